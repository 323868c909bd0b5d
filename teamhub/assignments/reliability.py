"""Member reliability, from the recorded history.

The figures follow Lancers' certified-worker criteria: answered within 24 h (target ≥ 80%),
completion (≥ 90%), on time, revisions. The rule is written once, as SQL conditions on an
assignment (``_conditions``). Pages that list a member's assignments count their flags
(``FLAGS``); the split page reads each member's counts kept by the database
(``MemberReliability``, kept by triggers made from the same conditions:
``reliability_summary.py``), adding the offers left unanswered past their 24 hours, which no
write marks (``summary_totals``). ``totals`` adds up the history itself.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.assignments.reliability_summary import FIGURES as SUMMARY_FIGURES
from teamhub.clock import UTCDateTime, hours_later, utcnow
from teamhub.database import sql_constant
from teamhub.extensions import db

ANSWER_WINDOW = timedelta(hours=24)
ANSWER_TARGET = 80
COMPLETION_TARGET = 90


class Rate(NamedTuple):
    """``hits`` out of ``total``; ``percent`` is None when there is nothing to measure yet.
    (Tuples: a page compares and hashes every member's figures, see fragments.py.)"""

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


# The rule, written once as SQL conditions on an assignment: which of its figures it counts in.
# Pages read them per assignment (``FLAGS``: 0 or 1 each) or added up per member (``totals``).
ANSWER_WINDOW_START = sa.bindparam("answer_window_start", type_=UTCDateTime())


def _conditions(a=None) -> dict[str, sa.ColumnElement[bool]]:
    """The figures' conditions on the assignment whose columns are ``a`` (``Assignment``'s
    unless given: the triggers give the rows they see)."""
    a = Assignment.__table__.c if a is None else a
    answered = a.answered_at.is_not(None)
    approved = a.state == sql_constant("approved")
    hours = int(ANSWER_WINDOW.total_seconds()) // 3600
    ended = [sql_constant(state) for state in ("approved", "cancelled", "reassigned")]
    return {
        # An offer counts once answered, or once its 24 hours have passed without an answer.
        "offers": sa.or_(answered, a.offered_at < ANSWER_WINDOW_START),
        "answered_fast": sa.and_(answered, a.answered_at <= hours_later(a.offered_at, hours)),
        # Accepted work that ended: approved, or cancelled or reassigned after it was accepted.
        "finished": sa.and_(answered, a.state.in_(ended)),
        "approved": approved,
        "on_time": sa.and_(
            approved, a.first_submitted_at.is_not(None), a.first_submitted_at <= a.due_at
        ),
        "revised": sa.and_(approved, a.revision_count > sql_constant(0)),
    }


def summary_conditions(a) -> dict[str, sa.ColumnElement[bool]]:
    """The conditions of the kept counts, on the assignment whose columns are ``a``: the rule's,
    with "answered" for its "offers" (which also counts offers unanswered past their 24 hours,
    a moment no write marks: ``summary_totals`` counts those when it reads)."""
    conditions = {"answered": a.answered_at.is_not(None), **_conditions(a)}
    del conditions["offers"]
    assert tuple(conditions) == SUMMARY_FIGURES
    return conditions


def _as_number(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.case((condition, sql_constant(1)), else_=sql_constant(0))


FIGURES = tuple(_conditions())  # offers, answered_fast, finished, approved, on_time, revised

# Per assignment: the 0/1 columns ``from_flags`` adds up (queries that list assignments).
FLAGS = tuple(_as_number(c).label(f"counts_{name}") for name, c in _conditions().items())


def parameters(now: datetime | None = None) -> dict[str, datetime]:
    """The bound values a statement with ``FLAGS`` or ``totals`` needs."""
    return {"answer_window_start": (now or utcnow()) - ANSWER_WINDOW}


def _freeze(offers, answered_fast, finished, approved, on_time, revised) -> Reliability:
    return Reliability(
        answered_in_24h=Rate(answered_fast, offers),
        completion=Rate(approved, finished),
        on_time=Rate(on_time, approved),
        revision=Rate(revised, approved),
    )


_FLAG_VALUES = operator.attrgetter(*(column.name for column in FLAGS))


def from_flags(rows: Iterable[sa.Row]) -> Reliability:
    """Reliability from rows that carry the ``FLAGS`` columns (one member's assignments)."""
    per_figure = list(zip(*map(_FLAG_VALUES, rows), strict=True))
    return _freeze(*(map(sum, per_figure) if per_figure else [0] * len(FLAGS)))


def totals() -> tuple[sa.ColumnElement[int], ...]:
    """The figures added up in SQL: put them in a statement grouped by membership."""
    return tuple(
        sa.func.coalesce(sa.func.sum(_as_number(c)), sql_constant(0)).label(f"total_{name}")
        for name, c in _conditions().items()
    )


def summary_totals(membership_id: sa.ColumnElement[int]) -> tuple[sa.ColumnElement[int], ...]:
    """``totals()``' columns for the member ``membership_id`` of a statement that outer-joins
    ``MemberReliability`` on it: the kept counts, with the offers still unanswered past their
    24 hours counted through ``ix_assignment_unanswered``. Needs ``parameters()``."""
    from teamhub.assignments.models import MemberReliability

    u = Assignment
    late_unanswered = (
        sa.select(sa.func.count())
        .where(
            u.membership_id == membership_id,
            u.answered_at.is_(None),
            u.offered_at < ANSWER_WINDOW_START,
        )
        .scalar_subquery()
    )
    kept = {
        name: sa.func.coalesce(getattr(MemberReliability, name), sql_constant(0))
        for name in SUMMARY_FIGURES
    }
    kept["offers"] = kept.pop("answered") + late_unanswered
    return tuple(kept[name].label(f"total_{name}") for name in FIGURES)


_TOTAL_VALUES = operator.attrgetter(*(f"total_{name}" for name in FIGURES))


def from_totals(row) -> Reliability:
    """Reliability from a row that carries the ``totals()`` columns (zero when it has none)."""
    return _freeze(*(int(value or 0) for value in _TOTAL_VALUES(row)))


def reliability_for(
    membership_ids: list[int], now: datetime | None = None
) -> dict[int, Reliability]:
    """Reliability of each membership, in one query whatever the number of members."""
    if not membership_ids:
        return {}
    rows = db.session.execute(
        sa.select(Assignment.membership_id, *totals())
        .where(Assignment.membership_id.in_(membership_ids))
        .group_by(Assignment.membership_id),
        parameters(now),
    )
    found = {row.membership_id: from_totals(row) for row in rows}
    empty = _freeze(0, 0, 0, 0, 0, 0)
    return {mid: found.get(mid, empty) for mid in membership_ids}
