"""A member's work: their assignments on the team's jobs, those needing them first, and their
reliability figures, read together in one statement."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache

import sqlalchemy as sa

from teamhub.assignments import reliability, terms
from teamhub.assignments.models import Assignment
from teamhub.extensions import db
from teamhub.jobs.models import Job, escrow_ready
from teamhub.sections import shown_key
from teamhub.teams.models import Membership

# The list's order: what needs the member first, then work in hand, then the rest.
ACTION_ORDER = {
    "offered": 0,
    "changes_requested": 1,
    "accepted": 2,
    "in_progress": 3,
    "submitted": 4,
    "approved": 5,
    "declined": 6,
    "cancelled": 6,
    "reassigned": 6,
}


@cache
def _my_assignments() -> sa.Select:
    """Built once, at first use: every member opens it (the member bound at each run). The
    columns the list shows, then the reliability rule's flags, which add up to the member's
    figures."""
    return (
        sa.select(
            Assignment.id,
            Assignment.state,
            Assignment.units,
            Assignment.part_description,
            Assignment.due_at,
            Job.title,
            Job.unit_name,
            Job.source,
            Job.escrow_confirmed_at,
            terms.awaiting_terms().label("awaiting_terms"),
            *reliability.flags(),
        )
        .join(Job, Job.id == Assignment.job_id)
        .where(Assignment.membership_id == sa.bindparam("membership_id"))
        .order_by(
            sa.case(
                *((Assignment.state == state, rank) for state, rank in ACTION_ORDER.items()),
                else_=9,
            ),
            Assignment.due_at,
            Assignment.id,
        )
    )


@dataclass(frozen=True)
class Work:
    """One of the member's assignments as their list shows it."""

    id: int
    state: str
    units: int
    part_description: str
    due_at: datetime
    title: str
    unit_name: str
    source: str
    escrow_confirmed_at: datetime | None
    awaiting_terms: bool  # a changed terms notice the member has not accepted yet

    @property
    def escrow_ready(self) -> bool:
        return escrow_ready(self.source, self.escrow_confirmed_at)


_SHOWN = len(fields(Work))  # the row's columns the list shows, before the reliability flags


def my_assignments(membership: Membership) -> tuple[list[Work], reliability.Reliability, str]:
    """The member's assignments with their jobs' titles, those needing action first, soonest due
    first; the member's reliability figures, added up from the same rows; and the key of what
    the list shows (for its kept section)."""
    rows = db.session.execute(
        _my_assignments(),
        {"membership_id": membership.id, "window_start": reliability.window_start()},
    ).all()
    figures = reliability.from_flags(rows)
    shown = [tuple(row)[:_SHOWN] for row in rows]
    return [Work(*values) for values in shown], figures, shown_key(shown, figures)


# Assignments a member has to answer, do or revise (the home page counts them per team).
TO_DO_STATES = ("offered", "accepted", "in_progress", "changes_requested")


def work_to_do(person_id: int) -> dict[int, int]:
    """How many assignments the person has to answer, do or revise, by membership id."""
    rows = db.session.execute(
        sa.select(Assignment.membership_id, sa.func.count(Assignment.id))
        .join(Membership, Membership.id == Assignment.membership_id)
        .where(Membership.person_id == person_id, Assignment.state.in_(TO_DO_STATES))
        .group_by(Assignment.membership_id)
    )
    return {membership_id: n for membership_id, n in rows}
