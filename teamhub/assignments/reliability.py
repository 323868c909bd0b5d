"""Member reliability, from the recorded history.

The figures follow Lancers' certified-worker criteria: answered within 24 h (target ≥ 80%),
completion (≥ 90%), on time, revisions. The rule is written once, as SQL conditions on an
assignment (``_conditions``), counted over the assignments a query groups (``counts``): per
member by one grouped query (``figures_of_members``, run by ``reliability_for``) and by the split
page's reading of the team; a member's own list adds up its rows' ``flags``.

The statements are built at their first use and kept (``functools.cache``), not at import: each
test that reads them builds them again (tests/conftest.py forgets them between tests), so mutation
testing sees every test that reaches the rule, not only the first one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
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


# Offers made before this moment have had their 24 hours to be answered (bound at each run).
WINDOW_START = sa.bindparam("window_start", type_=UTCDateTime())


def _conditions() -> list[sa.ColumnElement[bool]]:
    """The rule, as conditions on an assignment: whether it counts in each figure (offers,
    answered fast, finished, approved, on time, revised)."""
    a = Assignment
    answered = a.answered_at.is_not(None)
    approved = a.state == "approved"
    hours = int(ANSWER_WINDOW.total_seconds()) // 3600
    return [
        # An offer counts once answered, or once its 24 hours have passed without an answer.
        sa.or_(answered, a.offered_at < WINDOW_START),
        sa.and_(answered, a.answered_at <= hours_later(a.offered_at, hours)),
        # Accepted work that ended: approved, or cancelled or reassigned after it was accepted.
        sa.and_(answered, a.state.in_(("approved", "cancelled", "reassigned"))),
        approved,
        sa.and_(approved, a.first_submitted_at.is_not(None), a.first_submitted_at <= a.due_at),
        sa.and_(approved, a.revision_count > 0),
    ]


@cache
def flags() -> tuple[sa.Label[int], ...]:
    """Per assignment, whether it counts in each figure (0 or 1): a list of one member's
    assignments reads them beside its rows and adds them up (``from_flags``)."""
    return tuple(sa.case((c, 1), else_=0).label(f"counts_{i}") for i, c in enumerate(_conditions()))


def counts() -> list[sa.ColumnElement[int]]:
    """The six counts of the figures over the assignments a query groups (``WINDOW_START``
    bound at each run), in the order :func:`from_counts` takes them. A member without
    assignments, outer-joined, counts zeros."""
    return [sa.func.sum(sa.case((c, 1), else_=0)) for c in _conditions()]


@cache
def figures_of_members() -> sa.Select:
    """Each member's figures, added up over their whole history (members bound at each run)."""
    return (
        sa.select(Assignment.membership_id, *counts())
        .where(Assignment.membership_id.in_(sa.bindparam("membership_ids", expanding=True)))
        .group_by(Assignment.membership_id)
    )


def from_counts(offers, answered_fast, finished, approved, on_time, revised) -> Reliability:
    """The figures from their six counts (:func:`counts`)."""
    return Reliability(
        answered_in_24h=Rate(answered_fast, offers),
        completion=Rate(approved, finished),
        on_time=Rate(on_time, approved),
        revision=Rate(revised, approved),
    )


def from_flags(rows) -> Reliability:
    """A member's figures from rows of all their assignments that carry the ``flags``."""
    count = len(flags())
    totals = [0] * count
    for row in rows:
        for index, flag in enumerate(row[-count:]):
            totals[index] += flag
    return from_counts(*totals)


def window_start(now: datetime | None = None) -> datetime:
    """The bound value of ``WINDOW_START`` for a statement run ``now``."""
    return (now or utcnow()) - ANSWER_WINDOW


def reliability_for(
    membership_ids: list[int], now: datetime | None = None
) -> dict[int, Reliability]:
    """Reliability of each membership from their whole history, in one grouped query."""
    if not membership_ids:
        return {}
    rows = db.session.execute(
        figures_of_members(), {"membership_ids": membership_ids, "window_start": window_start(now)}
    )
    found = {membership_id: from_counts(*figures) for membership_id, *figures in rows}
    nothing = from_counts(0, 0, 0, 0, 0, 0)
    return {mid: found.get(mid, nothing) for mid in membership_ids}
