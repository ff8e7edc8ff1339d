"""The datalogger's raw row reads: day blocks and hot rows in one SELECT each, with days and
times as plain integers (days and seconds since 1970, UTC) computed by the database.

The ORM's per-value converters (and, on SQLite, the driver's own date parsing) cost more than
decoding a year of blocks, so these few hot queries are written by hand for both databases."""

from datetime import date, datetime

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from datalogger.models import DayBlock, HotPoint

# Two expressions per vendor: the day column as days since 1970-01-01, the time column as seconds.
_EPOCH_SQL = {
    "sqlite": ("CAST(julianday(day) - 2440587.5 AS INTEGER)", "CAST(strftime('%%s', ts) AS INTEGER)"),
    "postgresql": ("(day - DATE '1970-01-01')", "CAST(EXTRACT(EPOCH FROM ts) AS BIGINT)"),
}


def _connection() -> BaseDatabaseWrapper:
    return connections[DayBlock.objects.db]


def _epochs(connection: BaseDatabaseWrapper) -> tuple[str, str]:
    return _EPOCH_SQL.get(connection.vendor, _EPOCH_SQL["postgresql"])


def _in(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def blocks(series_ids: list[int], first_day: date, last_day: date, columns: str) -> list[tuple]:
    """(series id, day number, *columns) of the series' blocks from first_day to last_day
    included, by series and day; ``columns`` is a list of DayBlock column names."""
    if not series_ids:
        return []
    connection = _connection()
    day_sql, _ts_sql = _epochs(connection)
    sql = (f"SELECT series_id, {day_sql}, {columns} FROM {DayBlock._meta.db_table} "
           f"WHERE series_id IN ({_in(series_ids)}) AND day >= %s AND day <= %s ORDER BY series_id, day")
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [*series_ids, adapt(first_day), adapt(last_day)])
        return cursor.fetchall()


def hot(series_ids: list[int], start: datetime, end: datetime) -> list[tuple]:
    """(series id, start in seconds, value, quality) of the series' hot rows in [start, end),
    by series and time."""
    if not series_ids:
        return []
    connection = _connection()
    _day_sql, ts_sql = _epochs(connection)
    sql = (f"SELECT series_id, {ts_sql}, value, quality FROM {HotPoint._meta.db_table} "
           f"WHERE series_id IN ({_in(series_ids)}) AND ts >= %s AND ts < %s ORDER BY series_id, ts")
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [*series_ids, adapt(start), adapt(end)])
        return cursor.fetchall()


def rollups(series_ids: list[int], first_day: date, last_day: date, inner: tuple[int, int]) -> list[tuple]:
    """(series id, day number, period, hourly rollup, data, quality) of the series' blocks from
    first_day to last_day included, by series and day, where data (the day's points) is only
    read for the days outside ``inner`` (first and last day numbers whose rollup serves)."""
    if not series_ids:
        return []
    connection = _connection()
    day_sql, _ts_sql = _epochs(connection)
    sql = (f"SELECT series_id, {day_sql}, period_minutes, hourly, "
           f"CASE WHEN {day_sql} < %s OR {day_sql} > %s THEN data END, quality "
           f"FROM {DayBlock._meta.db_table} "
           f"WHERE series_id IN ({_in(series_ids)}) AND day >= %s AND day <= %s ORDER BY series_id, day")
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [inner[0], inner[1], *series_ids, adapt(first_day), adapt(last_day)])
        return cursor.fetchall()
