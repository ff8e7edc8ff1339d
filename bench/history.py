"""Datalogger read and storage benchmark (issue 5), on the database DATABASE_URL names
(SQLite in the data dir by default; PostgreSQL with DATABASE_URL=postgres://...).

A scratch test database gets a year of 10-minute history for --circuits circuits (the way
seed_history writes it: day blocks, plus today's hot rows). Then, each against the plain SQL
query that reads the same rows in the same run (the reader's own SELECTs, fetched and not
decoded):
  1. one series, a year raw (52,560 points);
  2. the same year reduced to 1,000 (min, avg, max) buckets, as GET /api/v1/trends/ does (from
     the day blocks' hourly rollups);
  3. a year of daily consumption for all the circuits (from the day blocks' hourly rollups, local days);
  4. storage bytes per million stored points (PostgreSQL: pg_total_relation_size).

    .venv/bin/python bench/history.py [--circuits 50] [--repeat 7]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("WEBVIEW_TEST_DATABASE_NAME", "")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

from datalogger import reader, rows, seeding, summary  # noqa: E402
from datalogger.consumption import consumed  # noqa: E402
from datalogger.models import DayBlock, HotPoint, Series  # noqa: E402
from devices.models import Circuit, Device  # noqa: E402
from webview.demo import history as demo_history  # noqa: E402

END = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
START = END - timedelta(days=365)
Stat = Series.Stat


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time in ms of ``repeat`` runs (after one warm-up), and the last result."""
    result = function()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def populate(circuits: int) -> None:
    t = seeding.Timeline.ending(END, 365, 10)
    for n in range(circuits):
        device = Device.objects.create(reference="E23", name=f"Bench {n}", host="127.0.0.1", unit_id=1 + n % 247,
                                       port=20000 + n // 247)
        Circuit.objects.create(device=device, index=1, name=f"Load {n}")
        for (code, stat), values in demo_history.circuit_history(t, 20.0 + n, 100 + n, END).items():
            if code not in ("P", "EA_IMP"):
                continue
            series = Series.objects.create(device=device, circuit_index=1, code=code, stat=stat, period_minutes=10)
            seeding.write_series(series, t, values, datetime(2026, 11, 20, tzinfo=timezone.utc))


def plain_sql_blocks(series_ids: list[int]) -> list:
    """The baseline: the same SELECTs of block and hot rows as the reader's, fetched, nothing
    decoded."""
    return (rows.blocks(series_ids, START.date(), END.date(), "period_minutes, data, quality")
            + rows.hot(series_ids, START, END))


def plain_sql_rollup_days(series_ids: list[int], bounds: tuple) -> list:
    """The baseline of the downsampled year: the same SELECTs as the reader's, the hours'
    rollups of the whole days and the points of the edge days and hot rows, fetched, nothing
    decoded."""
    return rows.rollups(series_ids, *bounds) + rows.hot(series_ids, START, END)


def plain_sql_rollups(series_ids: list[int]) -> list:
    """The baseline of daily consumption: the same SELECTs of each day's hourly rollup and of
    the hot rows, fetched, nothing decoded."""
    return rows.blocks(series_ids, START.date(), END.date(), "hourly") + rows.hot(series_ids, START, END)


def storage_bytes() -> tuple[int, int]:
    points = sum(len(bytes(v)) // (8 if stat in (Stat.INDEX, Stat.DELTA) else 4)
                 for v, stat in DayBlock.objects.values_list("data", "series__stat")) + HotPoint.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('datalogger_dayblock') + "
                           "pg_total_relation_size('datalogger_hotpoint')")
            return cursor.fetchone()[0], points
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'datalogger_%'")
        return cursor.fetchone()[0], points


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuits", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    creation = connection.creation
    name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        began = time.perf_counter()
        populate(args.circuits)
        seeded_s = time.perf_counter() - began
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE datalogger_dayblock")
        p_avg = Series.objects.filter(code="P", stat=Stat.AVG).first()
        p_min = Series.objects.get(device=p_avg.device, code="P", stat=Stat.MIN)
        p_max = Series.objects.get(device=p_avg.device, code="P", stat=Stat.MAX)
        deltas = list(Series.objects.filter(code="EA_IMP", stat=Stat.DELTA))

        raw_ms, raw = timed(lambda: reader.points(p_avg, START, END), args.repeat)
        raw_sql_ms, _ = timed(lambda: plain_sql_blocks([p_avg.pk]), args.repeat)

        bounds = (START.date(), END.date(), (-(-int(START.timestamp()) // 86400), int(END.timestamp()) // 86400 - 1))
        buckets_ms, (_width, buckets) = timed(lambda: summary.summarise(p_min, p_avg, p_max, START, END, 1000),
                                              args.repeat)
        buckets_sql_ms, _ = timed(lambda: plain_sql_rollup_days([p_min.pk, p_avg.pk, p_max.pk], bounds), args.repeat)

        consumption_ms, (_days, consumption) = timed(lambda: consumed(deltas, START, END, "day"), args.repeat)
        consumption_sql_ms, _ = timed(lambda: plain_sql_rollups([s.pk for s in deltas]), args.repeat)
        size, points = storage_bytes()
    finally:
        creation.destroy_test_db(name, verbosity=0)

    print(f"database: {connection.vendor}; {args.circuits} circuits × a year of 10-minute history seeded in "
          f"{seeded_s:.1f} s; median of {args.repeat} runs")
    print(f"{'query':<48}{'ours ms':>9}{'plain SQL ms':>14}{'× SQL':>8}")
    for label, ours, sql in [
        (f"1 series, a year raw ({len(raw)} points)", raw_ms, raw_sql_ms),
        (f"the year → 1,000 buckets ({len(buckets.start)} returned)", buckets_ms, buckets_sql_ms),
        (f"daily consumption, a year, {len(consumption)} circuits", consumption_ms, consumption_sql_ms),
    ]:
        print(f"{label:<48}{ours:>9.1f}{sql:>14.1f}{ours / sql:>8.2f}")
    print(f"storage: {size:,} bytes for {points:,} points = {size / points:.2f} bytes/point "
          f"({size / points * 1e6 / 2**20:.1f} MiB per million points)")


if __name__ == "__main__":
    main()
