"""What the operator's health page reads: the database, the scheduler's lease and runs, the
email outbox, and per organisation and per team counts. Read only, a few grouped queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.notifications.models import EmailDelivery
from teamhub.scheduler import runs
from teamhub.scheduler.models import SchedulerLease
from teamhub.scheduling import ScheduledJob
from teamhub.teams.models import Membership, Team
from teamhub.training.models import Cohort, Enrolment, Organisation, OrganisationMembership


@dataclass(frozen=True)
class Database:
    reachable: bool
    dialect: str  # "postgresql", "sqlite"
    version: str


@dataclass(frozen=True)
class Scheduler:
    lease: SchedulerLease | None
    leading: bool  # a process holds an unexpired lease now


@dataclass(frozen=True)
class Outbox:
    waiting: int  # pending, not yet sent
    retrying: int  # pending after a failed attempt
    failed: int  # given up on
    oldest_waiting_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class Counts:
    id: int
    name: str
    slug: str
    figures: dict[str, int]


@dataclass(frozen=True)
class Health:
    """Everything the operator's health page shows."""

    database: Database
    scheduler: Scheduler
    outbox: Outbox
    jobs: list[runs.JobStatus]
    organisations: list[Counts]
    teams: list[Counts]


def health(jobs: list[ScheduledJob], now: datetime) -> Health:
    """Read the instance's health: database first (an answer means it is reachable)."""
    return Health(
        database(),
        scheduler(now),
        outbox(),
        runs.overview(jobs, now),
        organisation_counts(),
        team_counts(),
    )


def database() -> Database:
    """Ask the database for its version: an answer means it is reachable."""
    dialect = db.engine.dialect.name
    ask = "SELECT sqlite_version()" if dialect == "sqlite" else "SHOW server_version"
    try:
        version = db.session.scalar(sa.text(ask))
    except sa.exc.DBAPIError:
        return Database(False, dialect, "")
    return Database(True, dialect, str(version))


def scheduler(now: datetime) -> Scheduler:
    lease = runs.current_lease()
    return Scheduler(lease, lease is not None and lease.expires_at > now)


def outbox() -> Outbox:
    pending = EmailDelivery.status == "pending"
    counts = dict(
        db.session.execute(
            sa.select(
                sa.case(
                    (pending & (EmailDelivery.attempts > 0), "retrying"), else_=EmailDelivery.status
                ),
                sa.func.count(EmailDelivery.id),
            )
            .where(EmailDelivery.status.in_(("pending", "failed")))
            .group_by(sa.literal_column("1"))
        ).all()
    )
    oldest = db.session.scalar(sa.select(sa.func.min(EmailDelivery.created_at)).where(pending))
    error = db.session.scalar(
        sa.select(EmailDelivery.last_error)
        .where(EmailDelivery.last_error != "", EmailDelivery.status != "sent")
        .order_by(EmailDelivery.id.desc())
        .limit(1)
    )
    return Outbox(
        waiting=counts.get("pending", 0) + counts.get("retrying", 0),
        retrying=counts.get("retrying", 0),
        failed=counts.get("failed", 0),
        oldest_waiting_at=oldest,
        last_error=error or "",
    )


def _grouped(column, *where) -> dict[int, int]:
    query = sa.select(column, sa.func.count()).where(*where).group_by(column)
    return dict(db.session.execute(query).all())


def team_counts() -> list[Counts]:
    """Per team: members, open jobs and assignments still owed."""
    members = _grouped(Membership.team_id, Membership.removed_at.is_(None))
    jobs = _grouped(Job.team_id, Job.status == "open")
    work = _grouped(Assignment.team_id, Assignment.state.in_(ACTIVE_STATES))
    teams = db.session.execute(sa.select(Team.id, Team.name, Team.slug).order_by(Team.name))
    return [
        Counts(i, name, slug, {"members": members.get(i, 0), "open_jobs": jobs.get(i, 0),
                            "active_assignments": work.get(i, 0)})
        for i, name, slug in teams
    ]  # fmt: skip


def organisation_counts() -> list[Counts]:
    """Per organisation: staff, cohorts, trainees in training and graduates."""
    staff = _grouped(
        OrganisationMembership.organisation_id, OrganisationMembership.ended_at.is_(None)
    )
    cohorts = _grouped(Cohort.organisation_id)
    by_status = db.session.execute(
        sa.select(Cohort.organisation_id, Enrolment.status, sa.func.count())
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .group_by(Cohort.organisation_id, Enrolment.status)
    ).all()
    enrolled = {(org, status): n for org, status, n in by_status}
    orgs = db.session.execute(
        sa.select(Organisation.id, Organisation.name, Organisation.slug).order_by(Organisation.name)
    )
    return [
        Counts(i, name, slug, {"staff": staff.get(i, 0), "cohorts": cohorts.get(i, 0),
                            "active_trainees": enrolled.get((i, "active"), 0),
                            "graduates": enrolled.get((i, "completed"), 0)})
        for i, name, slug in orgs
    ]  # fmt: skip
