"""Consumption's buckets on the site's calendar across DST changes (Europe/Paris): a day is 23 or
25 real hours, and each of them is a bucket of its own."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from datalogger.consumption import edges

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _site_in_paris():
    assert settings.TIME_ZONE == "Europe/Paris"


@pytest.mark.parametrize("day, hours", [((2026, 3, 29), 23), ((2026, 10, 25), 25), ((2026, 10, 24), 24)])
def test_a_day_has_a_bucket_per_real_hour(day, hours):
    start = datetime(*day, tzinfo=PARIS)
    end = (start.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=PARIS)
    cuts = edges(start, end, "hour")
    assert len(cuts) - 1 == hours
    assert cuts[0] == start and cuts[-1] == end
    # Every bucket lasts one real hour: none swallows the repeated hour, none is empty.
    assert {(b.astimezone(UTC) - a.astimezone(UTC)) for a, b in zip(cuts, cuts[1:])} == {timedelta(hours=1)}


def test_the_repeated_autumn_hour_is_two_buckets_with_their_offsets():
    start = datetime(2026, 10, 25, tzinfo=PARIS)
    cuts = edges(start, start + timedelta(hours=5), "hour")
    assert [c.isoformat() for c in cuts[2:5]] == [
        "2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"]


def test_days_of_a_week_across_the_change_are_seven_calendar_days():
    start = datetime(2026, 10, 19, tzinfo=PARIS)
    cuts = edges(start, datetime(2026, 10, 26, tzinfo=PARIS), "day")
    assert [c.isoformat() for c in (cuts[0], cuts[-1])] == ["2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00"]
    assert len(cuts) - 1 == 7
