"""manage.py seed_history: plausible demo history that joins the simulator's live values."""

import io
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from datalogger import reader
from datalogger.models import DayBlock, HotPoint, Series
from webview.demo.history import seed_demo_history
from webview.demo import physics
from webview.demo.site import load_site

pytestmark = pytest.mark.django_db
END = datetime(2026, 6, 10, 15, 7, tzinfo=timezone.utc)  # a Wednesday afternoon
Stat = Series.Stat


@pytest.fixture
def demo():
    call_command("setup_demo", "--port", "5999", stdout=io.StringIO())


def values(device: str, code: str, stat: str, index: int = 1) -> reader.Points:
    series = Series.objects.get(device__name=device, code=code, stat=stat, circuit_index=index)
    return reader.points(series, END - timedelta(days=30), END)


def test_a_week_of_history_follows_the_daily_profile_and_ends_at_the_live_counter(demo):
    assert seed_demo_history(7, end=END) > 0
    assert DayBlock.objects.exists() and HotPoint.objects.exists()  # closed days packed, today in rows
    power = values("A-40 General", "P", Stat.AVG)
    hours = (power.ts.astype("datetime64[h]").astype(np.int64) % 24)
    weekdays = (power.ts.astype("datetime64[D]").astype(np.int64) + 3) % 7
    working = power.values[(hours >= 10) & (hours < 16) & (weekdays < 5)].mean()
    night = power.values[(hours < 4)].mean()
    assert working > 2.5 * night > 0
    low, high = values("A-40 General", "P", Stat.MIN).values, values("A-40 General", "P", Stat.MAX).values
    assert np.all(low <= power.values) and np.all(power.values <= high)
    index = values("A-40 General", "EA_IMP", Stat.INDEX)
    delta = values("A-40 General", "EA_IMP", Stat.DELTA)
    assert np.all(np.diff(index.values) > 0)
    assert delta.values.sum() == pytest.approx(index.values[-1] - index.values[0], rel=1e-9)
    # Where the simulator's counter starts: live values carry on without a reset.
    last_period = datetime(2026, 6, 10, 14, 50, tzinfo=timezone.utc)
    assert index.ts[-1] == np.datetime64("2026-06-10T14:50:00")
    # The general meter counts its sub-meters' loads and its own (the non-measured part).
    general = next(meter for meter in load_site().meters if meter.name == "A-40 General")
    assert general.loads[0].rated_kw == pytest.approx(254.0)
    assert index.values[-1] == pytest.approx(physics.counted_kwh(END, 254.0), rel=1e-9)
    offices = values("E23 Offices", "EA_IMP", Stat.INDEX)
    assert offices.values[-1] == pytest.approx(physics.counted_kwh(END, 15.0), rel=1e-9)
    assert Series.objects.get(device__name="A-40 General", code="EA_IMP", stat=Stat.INDEX).last_ts == last_period
    assert 210 < values("U-30@6", "V1", Stat.AVG, index=0).values.mean() < 250
    assert 0 < values("L-60 Theatre", "RF", Stat.AVG, index=0).values.mean() < 1000


def test_seeding_twice_adds_nothing_and_bad_input_is_refused(demo):
    out = io.StringIO()
    call_command("seed_history", "--days", "2", stdout=out, stderr=io.StringIO())
    count = Series.objects.count()
    assert count > 0 and "series over 2 days" in out.getvalue()
    call_command("seed_history", "--days", "2", stdout=io.StringIO(), stderr=io.StringIO())
    assert Series.objects.count() == count
    with pytest.raises(CommandError, match="--days"):
        call_command("seed_history", "--days", "0")


def test_circuits_limits_what_is_seeded(demo):
    seed_demo_history(1, circuits=2, end=END)
    seeded = set(Series.objects.filter(code="P", stat=Stat.AVG).values_list("device__name", "circuit_index"))
    assert seeded == {("I-35@4", 1), ("I-35@4", 2)}  # the first device with loads, two of its three
    assert not Series.objects.filter(device__name="A-40 General").exists()
