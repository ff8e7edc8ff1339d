"""daphne's access log in UTC (issue 10, defect 7: "logs in UTC"): its lines carried the site's
local time (Django sets the process's TZ) under honcho's UTC prefix, two clocks on one line."""

import re
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from tests.webview.processes import daphne, database_env, environment, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

LINE = re.compile(r"\[(?P<stamp>[^\]]+)\] \"GET /login/\"")


def test_access_log_lines_are_stamped_in_utc(tmp_path, settings):
    assert settings.TIME_ZONE == "Europe/Paris"  # an hour or two from UTC all year
    log = tmp_path / "daphne.log"
    with daphne(environment(**database_env()), log) as (port, process):
        asked = datetime.now(UTC)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=30) as response:
            assert response.status == 200
        line = wait_until(lambda: next((m for m in LINE.finditer(process.output()) if m["stamp"]), None),
                          30, "no access log line for GET /login/")
    stamp = line["stamp"]
    assert stamp.endswith("Z"), stamp
    logged = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(logged - asked) < timedelta(minutes=1), (stamp, asked)
