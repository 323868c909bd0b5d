"""Time arithmetic in SQL is exact to the microsecond, on SQLite and on PostgreSQL.

The reliability figures compare an answer with its offer plus 24 hours in SQL
(``clock.hours_later``); the rule's edges are a microsecond wide.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from teamhub.clock import JST, UTCDateTime, hours_later, jst_date
from teamhub.extensions import db

MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=MOMENTS, hours=st.sampled_from([1, 24, 72]))
# SQLite's date functions keep milliseconds: a time 0.9995 s or more into its second was rounded
# up to the next one before the hours were added, and then given back its microseconds.
@example(moment=datetime(2026, 11, 22, 9, 24, 59, 999_700, tzinfo=UTC), hours=24)
@example(moment=datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), hours=24)
@example(moment=datetime(2026, 11, 22, 9, 0, tzinfo=UTC), hours=24)
def test_hours_later_adds_exactly_that_many_hours(ctx, moment, hours):
    later = db.session.scalar(sa.select(hours_later(sa.literal(moment, UTCDateTime()), hours)))
    assert later == moment + timedelta(hours=hours)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moment=MOMENTS)
@example(moment=datetime(2026, 12, 10, 14, 59, 59, 999_999, tzinfo=UTC))  # 23:59:59 in Japan
@example(moment=datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # midnight in Japan
@example(moment=datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC))
def test_jst_date_is_the_day_in_japan(ctx, moment):
    day = db.session.scalar(sa.select(jst_date(sa.literal(moment, UTCDateTime()))))
    assert day == moment.astimezone(JST).date()


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.sampled_from([UTC, ZoneInfo("Asia/Tokyo"), ZoneInfo("Etc/UTC")]),
    )
)
def test_a_moment_reads_back_as_the_same_moment_in_utc(ctx, moment):
    """Whatever zone a time is written in, it reads back as that moment in Python's ``UTC``,
    on SQLite (naive text) and PostgreSQL (timestamptz, sessions in UTC)."""
    read = db.session.scalar(sa.select(sa.literal(moment, UTCDateTime())))
    assert read == moment and read.tzinfo is UTC
    assert read.astimezone(ZoneInfo("Asia/Tokyo")).hour == moment.astimezone(JST).hour


def test_a_server_in_another_zone_still_gives_utc(ctx):
    """A connection whose session zone is not UTC (set by hand here) still reads UTC."""
    moment = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL TimeZone = 'Asia/Tokyo'"))
    read = db.session.scalar(sa.select(sa.literal(moment, UTCDateTime())))
    assert read == moment and read.tzinfo is UTC
