"""Member reliability, from the recorded history.

The figures follow Lancers' certified-worker criteria: answered within 24 h (target ≥ 80%),
completion (≥ 90%), on time, revisions. The rule is written once, as SQL conditions on an
assignment (``_conditions``), counted over the assignments a query groups (``counts``): per member
by ``reliability_for`` (a member's own figures) and by the split page's reading of the team.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.clock import UTCDateTime, hours_later, utcnow
from teamhub.extensions import db

ANSWER_WINDOW = timedelta(hours=24)
ANSWER_TARGET = 80
COMPLETION_TARGET = 90


class Rate(NamedTuple):
    """``hits`` out of ``total``; ``percent`` is None when there is nothing to measure yet."""

    hits: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if self.total == 0 else self.hits * 100 // self.total

    @property
    def shown(self) -> str:
        """The rate as pages show it: "80%", or "—" when there is nothing to measure."""
        percent = self.percent
        return "—" if percent is None else f"{percent}%"

    @property
    def fraction(self) -> str:
        return f"{self.hits}/{self.total}"


class Reliability(NamedTuple):
    answered_in_24h: Rate
    completion: Rate
    on_time: Rate
    revision: Rate


# The moment before which an unanswered offer has had its 24 hours: a query counting the
# figures (:func:`counts`) is given it as ``answer_window_start`` (:func:`answer_window_start`).
_WINDOW_START = sa.bindparam("answer_window_start", type_=UTCDateTime)


def answer_window_start(now: datetime | None = None) -> datetime:
    """The ``answer_window_start`` of a query counting the figures at ``now``."""
    return (now or utcnow()) - ANSWER_WINDOW


def _conditions() -> list[sa.ColumnElement[bool]]:
    """The rule, as conditions on an assignment: whether it counts in each figure (offers,
    answered fast, finished, approved, on time, revised)."""
    a = Assignment
    answered = a.answered_at.is_not(None)
    approved = a.state == "approved"
    hours = int(ANSWER_WINDOW.total_seconds()) // 3600
    return [
        # An offer counts once answered, or once its 24 hours have passed without an answer.
        sa.or_(answered, a.offered_at < _WINDOW_START),
        sa.and_(answered, a.answered_at <= hours_later(a.offered_at, hours)),
        # Accepted work that ended: approved, or cancelled or reassigned after it was accepted.
        sa.and_(answered, a.state.in_(("approved", "cancelled", "reassigned"))),
        approved,
        sa.and_(approved, a.first_submitted_at.is_not(None), a.first_submitted_at <= a.due_at),
        sa.and_(approved, a.revision_count > 0),
    ]


def counts() -> list[sa.ColumnElement[int]]:
    """The six counts of the figures over the assignments a query groups, for
    :func:`from_counts`; the query is given ``answer_window_start``. A member without
    assignments, outer-joined, counts zeros."""
    return [sa.func.sum(sa.case((c, 1), else_=0)) for c in _conditions()]


def from_counts(offers, answered_fast, finished, approved, on_time, revised) -> Reliability:
    """The figures from :func:`counts`, in their order."""
    return Reliability(
        answered_in_24h=Rate(answered_fast, offers),
        completion=Rate(approved, finished),
        on_time=Rate(on_time, approved),
        revision=Rate(revised, approved),
    )


_BY_MEMBERSHIP = (
    sa.select(Assignment.membership_id, *counts())
    .where(Assignment.membership_id.in_(sa.bindparam("membership_ids", expanding=True)))
    .group_by(Assignment.membership_id)
)
_NOTHING_MEASURED = from_counts(0, 0, 0, 0, 0, 0)


def reliability_for(
    membership_ids: list[int], now: datetime | None = None
) -> dict[int, Reliability]:
    """Reliability of each membership from their whole history, in one grouped query."""
    if not membership_ids:
        return {}
    params = {"membership_ids": membership_ids, "answer_window_start": answer_window_start(now)}
    rows = db.session.execute(_BY_MEMBERSHIP, params)
    found = {membership_id: from_counts(*figures) for membership_id, *figures in rows}
    return {mid: found.get(mid, _NOTHING_MEASURED) for mid in membership_ids}
