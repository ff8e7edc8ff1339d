"""The gateway run as it runs (issue 10, "The suite runs the product as it runs"): `make run` on
the embedded Redis and SQLite, minutes of polling with a browser on a quiet Monitor page, meters
that fail, a meter that dies and comes back. Each check reads the one run of conftest.soak."""

import re
from datetime import datetime, timedelta

import pytest

from tests.soak.scenario import CHANGED_V1, SoakResult

# The first check also waits for the run itself (start-up, the soak, the reads): a guard, not a wait.
pytestmark = [pytest.mark.soak, pytest.mark.timeout(1500)]

# Descriptors may differ by a few between two samples (a connection being opened or closed as
# the sample is taken); a leak of one socket per failed poll gives dozens over the soak.
DESCRIPTOR_SLACK = 5
# Resident memory: an early sample (after start-up, the first pages and polls) against the end.
# Python's allocator and the caches settle within the first minute; a leak of a reading, a
# connection or a payload per poll over hundreds of polls shows as tens of MiB.
RSS_SLACK_KIB = 16 * 1024
PROBLEM = re.compile(r"Traceback|\b(ERROR|CRITICAL)\b")


def _lines(result: SoakResult, pattern: re.Pattern) -> list[str]:
    return [line for line in result.log.splitlines() if pattern.search(line)]


def _by_name(samples) -> dict:
    return {sample.name: sample for sample in samples}


def test_every_process_runs_to_the_end(soak):
    # honcho stops every process when one exits: one that ended before our Ctrl-C ended them all.
    stopped = [line for line in soak.log_before_stop.splitlines()
               if re.search(r"system\s+\| \S+ (stopped|exited)", line)]
    assert not stopped, stopped
    assert len(soak.alive_at_end) > 1 and all(soak.alive_at_end.values()), soak.alive_at_end


def test_no_traceback_nor_error_in_any_process_output(soak):
    problems = _lines(soak, PROBLEM)
    assert not problems, f"{len(problems)} lines, first ones:\n" + "\n".join(problems[:20])


def test_the_monitor_socket_stays_open_on_a_quiet_meter(soak):
    assert len(soak.sockets) == 1, f"sockets opened: {soak.sockets}"
    assert not soak.socket_closes, f"{len(soak.socket_closes)} closes during the soak"
    assert not soak.banner_shown and soak.banner_hidden_at_end, (
        f'"Connection to the gateway lost" shown {len(soak.banner_shown)} times')


def test_the_page_logs_no_error_in_its_console(soak):
    # CSP violations, failed requests and uncaught exceptions over minutes of a page left open.
    assert not soak.console_errors, soak.console_errors[:10]


def test_after_the_quiet_period_a_change_reaches_the_page(soak):
    # Quiet means quiet: an unchanged meter sends nothing for the whole soak...
    assert soak.quiet_frames_during_soak == 0, f"{soak.quiet_frames_during_soak} messages for an unchanged meter"
    # ... and its next change still arrives on the page's socket.
    assert soak.change_seen_after is not None, f"V1 = {CHANGED_V1} never reached the page"


def test_descriptors_stay_flat_in_every_process(soak):
    early, late = _by_name(soak.early), _by_name(soak.late)
    assert early and set(early) <= set(late), f"processes gone: {set(early) - set(late)}"
    grown = {name: (early[name].descriptors, late[name].descriptors) for name in early
             if late[name].descriptors - early[name].descriptors > DESCRIPTOR_SLACK}
    assert not grown, f"descriptors (early, end) beyond +{DESCRIPTOR_SLACK}: {grown}"


def test_memory_stays_flat_in_every_process(soak):
    early, late = _by_name(soak.early), _by_name(soak.late)
    assert early and set(early) <= set(late), f"processes gone: {set(early) - set(late)}"
    grown = {name: (early[name].rss_kib, late[name].rss_kib) for name in early
             if late[name].rss_kib - early[name].rss_kib > RSS_SLACK_KIB}
    assert not grown, f"RSS KiB (early, end) beyond +{RSS_SLACK_KIB} KiB: {grown}"


def _minutes(points: list[list]) -> list[datetime]:
    return [datetime.fromisoformat(point[0]) for point in points]


def test_a_value_is_stored_every_integration_period(soak):
    for name, points in (("quiet", soak.quiet_points), ("ramp", soak.ramp_index)):
        minutes = _minutes(points)
        assert len(minutes) >= 3, f"{name}: {len(minutes)} minute points stored: {points}"
        gaps = [(a, b) for a, b in zip(minutes, minutes[1:]) if b - a != timedelta(minutes=1)]
        assert not gaps, f"{name}: minute points not consecutive: {gaps}"
    before_change = [point for point in soak.quiet_points
                     if datetime.fromisoformat(point[0]) + timedelta(minutes=1) <= soak.changed_at]
    assert before_change and all(point[1:] == [230.0, 230.0, 230.0] for point in before_change), soak.quiet_points


def test_consumption_equals_the_index_difference(soak):
    index = [point[2] for point in soak.ramp_index]
    assert len(index) >= 3 and index[-1] > index[0], f"the logged meter's index: {index}"
    body = soak.ramp_consumption
    values = body["loads"][0]["values"]
    assert values == pytest.approx([b - a for a, b in zip(index, index[1:])]), (index, values)
    assert body["total"] == pytest.approx(index[-1] - index[0]), (index, body)


def test_a_meter_that_dies_comes_back_online(soak):
    assert soak.revived_offline_seen, "the stopped meter was never shown offline"
    assert soak.revived_status_at_end == "online", soak.revived_status_at_end


def test_failing_meters_show_offline(soak):
    assert soak.failing_status and set(soak.failing_status.values()) == {"offline"}, soak.failing_status
