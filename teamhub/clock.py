"""Time in one place: UTC in the database, Asia/Tokyo on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import TypeDecorator

JST = ZoneInfo("Asia/Tokyo")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today_jst() -> date:
    """Return today's date in Japan."""
    return utcnow().astimezone(JST).date()


def jst_midnight(day: date) -> datetime:
    """Return the start of ``day`` in Japan as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=JST)


def days(n: int) -> timedelta:
    return timedelta(days=n)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC, on SQLite (naive) and PostgreSQL (timestamptz) alike."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def from_jst(day: date, at: time | None = None) -> datetime:
    """Combine a date and time entered in Japan time into an aware datetime."""
    at = at or time(23, 59)
    return datetime.combine(day, at, tzinfo=JST)


class hours_later(sa.sql.expression.FunctionElement):
    """``column + n hours`` in SQL, exact on both databases: PostgreSQL adds an interval to the
    timestamptz; SQLite (UTC stored as ``YYYY-MM-DD HH:MM:SS.ffffff`` text) shifts the date and
    whole seconds and keeps the original fraction of a second, so the text still compares
    exactly. SQLite's date functions are given the whole seconds only: they keep milliseconds
    and would round a time 0.9995 s or more into its second up to the next one. The hours are
    the construct's second clause, so they are part of the statement's cache key."""

    type = UTCDateTime()
    inherit_cache = True

    def __init__(self, column, hours: int):
        super().__init__(column, sa.literal_column(str(int(hours)), sa.Integer()))


@compiles(hours_later)
def _hours_later(element, compiler, **kw):
    column, hours = (compiler.process(c, **kw) for c in element.clauses)
    return f"({column} + {hours} * INTERVAL '1 hour')"


@compiles(hours_later, "sqlite")
def _hours_later_sqlite(element, compiler, **kw):
    column, hours = (compiler.process(c, **kw) for c in element.clauses)
    whole_seconds = f"substr({column}, 1, 19)"
    return (
        f"(strftime('%Y-%m-%d %H:%M:%S', {whole_seconds}, '+{hours} hours')"
        f" || substr({column}, 20))"
    )


class jst_date(sa.sql.expression.FunctionElement):
    """The day in Japan of a stored moment, in SQL, as ``moment.astimezone(JST).date()``:
    PostgreSQL reads the timestamptz in Asia/Tokyo; SQLite (UTC as text) adds nine hours to
    its whole seconds (Japan keeps no summer time)."""

    type = sa.Date()
    inherit_cache = True


@compiles(jst_date)
def _jst_date(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'Asia/Tokyo') AS DATE)"


@compiles(jst_date, "sqlite")
def _jst_date_sqlite(element, compiler, **kw):
    return f"date(substr({compiler.process(element.clauses, **kw)}, 1, 19), '+9 hours')"


class days_between(sa.sql.expression.FunctionElement):
    """Whole days from one stored date to another (``end - start``), on both databases:
    PostgreSQL subtracts dates; SQLite (``YYYY-MM-DD`` text) subtracts Julian day numbers,
    exact at midnight."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"({end} - {start})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
