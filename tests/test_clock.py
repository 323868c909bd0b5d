"""Time arithmetic in SQL is exact to the microsecond, on SQLite and on PostgreSQL.

The reliability figures compare an answer with its offer plus 24 hours in SQL
(``clock.hours_later``); the rule's edges are a microsecond wide.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from teamhub.clock import UTCDateTime, hours_later
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
