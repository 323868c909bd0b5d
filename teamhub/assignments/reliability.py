"""Member reliability, computed from the recorded history every time (no counters to drift).

The figures follow Lancers' certified-worker criteria: answered within 24 h (target ≥ 80%),
completion (≥ 90%), on time, revisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.clock import utcnow
from teamhub.extensions import db

ANSWER_WINDOW = timedelta(hours=24)
ANSWER_TARGET = 80
COMPLETION_TARGET = 90


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``total``; ``percent`` is None when there is nothing to measure yet."""

    hits: int
    total: int

    @property
    def percent(self) -> int | None:
        return None if self.total == 0 else self.hits * 100 // self.total


@dataclass(frozen=True)
class Reliability:
    answered_in_24h: Rate
    completion: Rate
    on_time: Rate
    revision: Rate


@dataclass
class _Counts:
    offers: int = 0
    answered_fast: int = 0
    finished: int = 0
    approved: int = 0
    on_time: int = 0
    revised: int = 0

    def freeze(self) -> Reliability:
        return Reliability(
            answered_in_24h=Rate(self.answered_fast, self.offers),
            completion=Rate(self.approved, self.finished),
            on_time=Rate(self.on_time, self.approved),
            revision=Rate(self.revised, self.approved),
        )


def _count(counts: _Counts, row, now: datetime) -> None:
    offered_at, answered_at, state, due_at, submitted_at, revisions = row
    if answered_at is not None or now - offered_at > ANSWER_WINDOW:
        counts.offers += 1
        if answered_at is not None and answered_at - offered_at <= ANSWER_WINDOW:
            counts.answered_fast += 1
    accepted = answered_at is not None and state != "declined"
    if accepted and state in ("approved", "cancelled", "reassigned"):
        counts.finished += 1
    if state == "approved":
        counts.approved += 1
        counts.on_time += int(submitted_at is not None and submitted_at <= due_at)
        counts.revised += int(revisions > 0)


def reliability_of(assignments: Iterable, now: datetime | None = None) -> Reliability:
    """Reliability from a member's assignments already loaded (no query): objects or rows
    with the attributes named in :data:`COLUMNS`."""
    now = now or utcnow()
    counts = _Counts()
    for a in assignments:
        row = (a.offered_at, a.answered_at, a.state, a.due_at, a.first_submitted_at)
        _count(counts, (*row, a.revision_count), now)
    return counts.freeze()


# What reliability is computed from, per assignment.
COLUMNS = (
    Assignment.offered_at,
    Assignment.answered_at,
    Assignment.state,
    Assignment.due_at,
    Assignment.first_submitted_at,
    Assignment.revision_count,
)


def tally(
    rows: Iterable[tuple], membership_ids: list[int], now: datetime | None = None
) -> dict[int, Reliability]:
    """Reliability of each membership from (membership id, *COLUMNS) rows."""
    now = now or utcnow()
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for membership_id, *row in rows:
        _count(counts[membership_id], row, now)
    return {mid: counts[mid].freeze() for mid in membership_ids}


def reliability_for(
    membership_ids: list[int], now: datetime | None = None
) -> dict[int, Reliability]:
    """Reliability of each membership, in one query whatever the number of members."""
    if not membership_ids:
        return {}
    rows = db.session.execute(
        sa.select(Assignment.membership_id, *COLUMNS).where(
            Assignment.membership_id.in_(membership_ids)
        )
    )
    return tally(rows, membership_ids, now)
