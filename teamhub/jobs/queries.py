"""Read-only lookups for job pages, scoped to one team, in a fixed number of queries."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.assignments.models import OVERDUE_STATES, Assignment
from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.database import as_records
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.teams.models import Membership, Team


def no_such_job() -> NotFound:
    """404 for a job that is not the team's, as if it did not exist."""
    return NotFound(_("This job does not exist in this team."))


def team_job(team: Team, job_id: int) -> Job:
    """A job of ``team`` by id; another team's job is 404, as if it did not exist."""
    job = db.session.get(Job, job_id)
    if job is None or job.team_id != team.id:
        raise no_such_job()
    return job


# What the split page reads of the job's assignments (plain rows, not objects).
SPLIT_COLUMNS = (
    Assignment.id,
    Assignment.membership_id,
    Assignment.state,
    Assignment.units,
    Assignment.due_at,
    Assignment.pay_basis,
    Assignment.fixed_yen,
    Assignment.part_description,
    Assignment.override_reason,
)


def _job_with_assignments(*columns) -> sa.Select:
    """The job ``job_id`` of the team ``team_id`` with these columns of its assignments, soonest
    due first: one row per assignment (one row of nulls beside the job when it has none)."""
    return (
        sa.select(Job, *columns)
        .outerjoin(Assignment, Assignment.job_id == Job.id)
        .where(Job.id == sa.bindparam("job_id"), Job.team_id == sa.bindparam("team_id"))
        .order_by(Assignment.due_at, Assignment.id)
    )


def _job_and_rows(statement: sa.Select, team: Team, job_id: int) -> tuple[Job, list[sa.Row]]:
    """Run a :func:`_job_with_assignments` statement; another team's job is 404, as
    :func:`team_job`."""
    rows = db.session.execute(statement, {"job_id": job_id, "team_id": team.id}).all()
    if not rows:
        raise no_such_job()
    return rows[0][0], as_records([row for row in rows if row.id is not None], first=1)


@dataclass(frozen=True)
class JobRow:
    job: Job
    approved_units: int
    assigned_units: int


def jobs_of(team: Team) -> list[JobRow]:
    """The team's jobs, open first and soonest due, with approved and assigned unit counts."""
    approved = sa.func.coalesce(
        sa.func.sum(sa.case((Assignment.state == "approved", Assignment.units), else_=0)), 0
    )
    assigned = sa.func.coalesce(
        sa.func.sum(
            sa.case(
                (Assignment.state.in_(("declined", "cancelled", "reassigned")), 0),
                else_=Assignment.units,
            )
        ),
        0,
    )
    rows = db.session.execute(
        sa.select(Job, approved, assigned)
        .outerjoin(Assignment, Assignment.job_id == Job.id)
        .where(Job.team_id == team.id)
        .group_by(Job.id)
        .order_by(sa.case((Job.status == "open", 0), else_=1), Job.due_at.desc())
    )
    return [JobRow(job, a, s) for job, a, s in rows]


# States whose units no longer count as given out.
GONE_STATES = ("declined", "cancelled", "reassigned")


class MemberLoad(NamedTuple):
    """A member's units on the job, and how many of them are approved."""

    membership_id: int
    display_name: str
    units: int = 0
    approved_units: int = 0


@dataclass
class Board:
    job: Job
    assignments: list  # rows of BOARD_COLUMNS
    by_state: dict[str, int]
    by_member: list[MemberLoad]
    approved_units: int
    assigned_units: int
    overdue_ids: frozenset[int]

    @property
    def unassigned_units(self) -> int:
        return max(0, self.job.unit_count - self.assigned_units - self.job.kept_units)


# What the board shows of each assignment: plain rows, not objects.
BOARD_COLUMNS = (
    Assignment.id,
    Assignment.membership_id,
    Assignment.units,
    Assignment.part_description,
    Assignment.due_at,
    Assignment.state,
    Assignment.pay_basis,
    Assignment.fixed_yen,
    Person.display_name,
)


@functools.cache
def _board_statement() -> sa.Select:
    return (
        _job_with_assignments(*BOARD_COLUMNS)
        .outerjoin(Membership, Membership.id == Assignment.membership_id)
        .outerjoin(Person, Person.id == Membership.person_id)
    )


def board(team: Team, job_id: int) -> Board:
    """Everything the job board shows, the job included, in one query whatever the number of
    assignments; another team's job is 404, as :func:`team_job`."""
    job, assignments = _job_and_rows(_board_statement(), team, job_id)
    now = utcnow()
    by_state: dict[str, int] = defaultdict(int)
    loads: dict[int, MemberLoad] = {}
    overdue = set()
    for a in assignments:
        by_state[a.state] += 1
        if a.state in OVERDUE_STATES and now > a.due_at:
            overdue.add(a.id)
        load = loads.get(a.membership_id) or MemberLoad(a.membership_id, a.display_name)
        if a.state not in GONE_STATES:
            approved = a.units if a.state == "approved" else 0
            load = load._replace(
                units=load.units + a.units, approved_units=load.approved_units + approved
            )
        loads[a.membership_id] = load
    return Board(
        job=job,
        assignments=assignments,
        by_state=dict(by_state),
        by_member=sorted(loads.values(), key=lambda load: -load.units),
        approved_units=sum(load.approved_units for load in loads.values()),
        assigned_units=sum(load.units for load in loads.values()),
        overdue_ids=frozenset(overdue),
    )
