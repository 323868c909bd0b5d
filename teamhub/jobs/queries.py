"""Read-only lookups for job pages, scoped to one team, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.assignments import terms
from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.sections import shown_key
from teamhub.teams.models import Membership, Team
from teamhub.teams.queries import TeamAccess


def no_such_job() -> NotFound:
    """404 for a job that is not the team's, as if it did not exist."""
    return NotFound(_("This job does not exist in this team."))


def team_job(team: Team, job_id: int) -> Job:
    """A job of ``team`` by id; another team's job is 404, as if it did not exist."""
    job = db.session.get(Job, job_id)
    if job is None or job.team_id != team.id:
        raise no_such_job()
    return job


@dataclass(frozen=True)
class Receipt:
    """What the platform paid for a job, when, and the team's fee on it (None: the team's)."""

    received_yen: int | None
    received_on: date | None
    team_fee_bp: int | None


def receipt_shown(access: TeamAccess, job: Job) -> Receipt | None:
    """The job's money received and the team's fee on it, for a director; None for an editor,
    who sees the work on a job but never what the team was paid or keeps."""
    if not access.is_director:
        return None
    return Receipt(job.received_yen, job.received_on, job.team_fee_bp)


# States whose units no longer count as given out.
GONE_STATES = terms.GONE_STATES


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
        sa.func.sum(sa.case((Assignment.state.in_(GONE_STATES), 0), else_=Assignment.units)),
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


@dataclass
class MemberLoad:
    """A member's units on the job, and how many of them are approved."""

    membership_id: int
    display_name: str
    units: int = 0
    approved_units: int = 0


class BoardRow(NamedTuple):
    assignment: Assignment
    name: str  # the member's
    awaiting_terms: bool  # its latest terms notice not accepted yet


@dataclass
class Board:
    job: Job
    assignments: list[BoardRow]  # soonest due first, with their members' names
    by_state: dict[str, int]
    by_member: list[MemberLoad]
    approved_units: int
    assigned_units: int
    overdue_ids: frozenset[int]

    @property
    def shown(self) -> str:
        """The assignments section's key: every column of each assignment, its member's name
        and which are overdue (the counts and workloads follow from them)."""
        rows = [
            (name, awaiting, *(getattr(a, key) for key in _COLUMNS))
            for a, name, awaiting in self.assignments
        ]
        return shown_key(rows, sorted(self.overdue_ids))

    @property
    def summary_shown(self) -> str:
        """The summary's key: every column of the job and the units approved and assigned."""
        job = [getattr(self.job, key) for key in _JOB_COLUMNS]
        return shown_key(job, self.approved_units, self.assigned_units)

    @property
    def unassigned_units(self) -> int:
        return max(0, self.job.unit_count - self.assigned_units - self.job.kept_units)


# Every column of an assignment: the board's kept section is keyed by all of them.
_COLUMNS = [column.key for column in sa.inspect(Assignment).column_attrs]
_JOB_COLUMNS = [column.key for column in sa.inspect(Job).column_attrs]


@cache
def _board_rows() -> sa.Select:
    """The team's job with each of its assignments, their members' names (not their memberships
    and people) and whether new terms await the member's consent; a job without assignments is
    one row without them (built once, at first use)."""
    return (
        sa.select(Job, Assignment, Person.display_name, terms.awaiting_terms())
        .outerjoin(Assignment, Assignment.job_id == Job.id)
        .outerjoin(Membership, Membership.id == Assignment.membership_id)
        .outerjoin(Person, Person.id == Membership.person_id)
        .where(Job.id == sa.bindparam("job_id"), Job.team_id == sa.bindparam("team_id"))
        .order_by(Assignment.due_at, Assignment.id)
    )


def board(team: Team, job_id: int) -> Board:
    """Everything the job board shows, in one query whatever the number of assignments;
    another team's job is 404, as :func:`team_job`."""
    found = db.session.execute(_board_rows(), {"job_id": job_id, "team_id": team.id}).all()
    if not found:
        raise no_such_job()
    job = found[0][0]
    rows = [BoardRow(a, name, awaiting) for _job, a, name, awaiting in found if a is not None]
    loads = _loads(rows)
    now = utcnow()
    return Board(
        job=job,
        assignments=rows,
        by_state=dict(Counter(row.assignment.state for row in rows)),
        by_member=loads,
        approved_units=sum(load.approved_units for load in loads),
        assigned_units=sum(load.units for load in loads),
        overdue_ids=frozenset(row.assignment.id for row in rows if row.assignment.overdue(now)),
    )


def _loads(rows: Sequence[BoardRow]) -> list[MemberLoad]:
    """Each member's units on the job (declined or withdrawn offers left out), most first."""
    loads: dict[int, MemberLoad] = {}
    for a, name, _awaiting in rows:
        load = loads.setdefault(a.membership_id, MemberLoad(a.membership_id, name))
        if a.state not in GONE_STATES:
            load.units += a.units
            load.approved_units += a.units if a.state == "approved" else 0
    return sorted(loads.values(), key=lambda load: -load.units)


# A job is delivered once every assignment still live on it is approved (declined, withdrawn
# and reassigned offers left out, at least one approved) and the job was not cancelled: the
# moment of its last approval is when the team could hand in the whole work, on time when
# that is by the job's deadline.
_LIVE_NOT_APPROVED = sa.and_(Assignment.state.not_in(GONE_STATES), Assignment.state != "approved")
_DELIVERED_JOBS = (
    sa.select(
        Job.id,
        sa.case((sa.func.max(Assignment.approved_at) <= Job.due_at, 1), else_=0).label("on_time"),
    )
    .join(Assignment, Assignment.job_id == Job.id)
    .where(Job.team_id == sa.bindparam("team_id"), Job.status == "open")
    .group_by(Job.id, Job.due_at)
    .having(
        sa.func.sum(sa.case((_LIVE_NOT_APPROVED, 1), else_=0)) == 0,
        sa.func.sum(sa.case((Assignment.state == "approved", 1), else_=0)) > 0,
    )
    .subquery()
)
TRACK_RECORD = sa.select(
    sa.func.count(_DELIVERED_JOBS.c.id), sa.func.coalesce(sa.func.sum(_DELIVERED_JOBS.c.on_time), 0)
)


class TrackRecord(NamedTuple):
    """What a client sees of the team's history: jobs delivered, and how many by the deadline."""

    jobs_delivered: int
    on_time: int

    @property
    def on_time_rate(self) -> int | None:
        """Percent of delivered jobs handed in by their deadline (None: nothing delivered)."""
        return self.on_time * 100 // self.jobs_delivered if self.jobs_delivered else None


def track_record(team: Team) -> TrackRecord:
    """The team's jobs delivered and on-time rate, in one query."""
    delivered, on_time = db.session.execute(TRACK_RECORD, {"team_id": team.id}).one()
    return TrackRecord(int(delivered), int(on_time))
