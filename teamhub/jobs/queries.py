"""Read-only lookups for job pages, scoped to one team, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from teamhub.assignments.models import Assignment
from teamhub.clock import utcnow
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.teams.models import Membership, Team


def team_job(team: Team, job_id: int) -> Job:
    """A job of ``team`` by id; another team's job is 404, as if it did not exist."""
    job = db.session.get(Job, job_id)
    if job is None or job.team_id != team.id:
        raise NotFound(_("This job does not exist in this team."))
    return job


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


@dataclass
class MemberLoad:
    membership: Membership
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def units(self) -> int:
        return sum(
            a.units
            for a in self.assignments
            if a.state not in ("declined", "cancelled", "reassigned")
        )

    @property
    def approved_units(self) -> int:
        return sum(a.units for a in self.assignments if a.state == "approved")


@dataclass
class Board:
    job: Job
    assignments: list[Assignment]
    by_state: dict[str, list[Assignment]]
    by_member: list[MemberLoad]
    approved_units: int
    assigned_units: int
    overdue_ids: set[int]

    @property
    def unassigned_units(self) -> int:
        return max(0, self.job.unit_count - self.assigned_units - self.job.kept_units)


def board(job: Job) -> Board:
    """Everything the job board shows, in one query whatever the number of assignments."""
    assignments = list(
        db.session.scalars(
            sa.select(Assignment)
            .where(Assignment.job_id == job.id)
            .options(
                joinedload(Assignment.membership, innerjoin=True).joinedload(
                    Membership.person, innerjoin=True
                )
            )
            .order_by(Assignment.due_at, Assignment.id)
        )
    )
    now = utcnow()
    by_state: dict[str, list[Assignment]] = defaultdict(list)
    loads: dict[int, MemberLoad] = {}
    for a in assignments:
        by_state[a.state].append(a)
        loads.setdefault(a.membership_id, MemberLoad(a.membership)).assignments.append(a)
    live = [a for a in assignments if a.state not in ("declined", "cancelled", "reassigned")]
    return Board(
        job=job,
        assignments=assignments,
        by_state=dict(by_state),
        by_member=sorted(loads.values(), key=lambda load: -load.units),
        approved_units=sum(a.units for a in live if a.state == "approved"),
        assigned_units=sum(a.units for a in live),
        overdue_ids={a.id for a in assignments if a.overdue(now)},
    )
