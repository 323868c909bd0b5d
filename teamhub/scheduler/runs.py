"""Running a task once per period, and the lease that lets one scheduler process lead."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from teamhub import submissions
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.scheduler.models import JobRun, SchedulerLease
from teamhub.scheduling import Done, ScheduledJob

log = logging.getLogger("teamhub.scheduler")

LEASE_NAME = "scheduler"
KEEP_RUNS = timedelta(days=31)


def run_job(job: ScheduledJob, runner: str, now: datetime | None = None) -> JobRun | None:
    """Run ``job`` for the period containing ``now``, unless some process already has."""
    now = now or utcnow()
    run = JobRun(job=job.name, period=job.period(now), runner=runner, started_at=now)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    run_id = run.id
    try:
        counts, outcome = job.run(now).as_json(), "ok"
        db.session.flush()
    except Exception as error:  # recorded for the directors' page; the next period tries again
        log.exception("scheduled job %s failed", job.name)
        db.session.rollback()
        counts, outcome = {"error": f"{type(error).__name__}: {error}"[:300]}, "failed"
    run = db.session.get(JobRun, run_id)
    run.outcome, run.counts, run.finished_at = outcome, counts, utcnow()
    db.session.commit()
    return run


class Lease:
    """A row in ``scheduler_lease``: held by one process until it stops renewing it."""

    def __init__(self, holder: str, ttl: timedelta):
        self.holder, self.ttl = holder, ttl

    def claim(self, now: datetime) -> bool:
        """Take or renew the lease; return whether this process now leads."""
        taken = db.session.execute(
            sa.update(SchedulerLease)
            .where(
                SchedulerLease.name == LEASE_NAME,
                sa.or_(SchedulerLease.holder == self.holder, SchedulerLease.expires_at < now),
            )
            .values(
                holder=self.holder,
                expires_at=now + self.ttl,
                renewed_at=now,
                acquired_at=sa.case(
                    (SchedulerLease.holder == self.holder, SchedulerLease.acquired_at), else_=now
                ),
            )
        ).rowcount
        if not taken and db.session.get(SchedulerLease, LEASE_NAME) is None:
            db.session.add(
                SchedulerLease(
                    name=LEASE_NAME,
                    holder=self.holder,
                    acquired_at=now,
                    renewed_at=now,
                    expires_at=now + self.ttl,
                )
            )
            taken = 1
        try:
            db.session.commit()
        except IntegrityError:  # another process created the row first
            db.session.rollback()
            return False
        return bool(taken)

    def holds(self, now: datetime) -> bool:
        lease = db.session.get(SchedulerLease, LEASE_NAME, populate_existing=True)
        return lease is not None and lease.holder == self.holder and lease.expires_at > now

    def release(self) -> None:
        db.session.execute(
            sa.update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
            .values(expires_at=utcnow())
        )
        db.session.commit()


def current_lease() -> SchedulerLease | None:
    return db.session.get(SchedulerLease, LEASE_NAME)


def scheduler_is_running(now: datetime) -> bool:
    lease = current_lease()
    return lease is not None and lease.expires_at > now


def housekeeping(now: datetime) -> Done:
    """Forget job runs and the keys of forms sent more than a month ago, so their tables stay
    small."""
    old = db.session.execute(
        sa.delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS, JobRun.outcome != "running")
    )
    keys = submissions.forget_sent_before(now - KEEP_RUNS)
    return Done(detail={"runs_deleted": old.rowcount, "form_keys_deleted": keys})


HOUSEKEEPING = ScheduledJob(
    "housekeeping", _l("Forget old job runs and form keys"), housekeeping, daily_at=(3, 30)
)


@dataclass(frozen=True)
class JobStatus:
    job: ScheduledJob
    last: JobRun | None
    next_run_at: datetime | None


def overview(jobs: list[ScheduledJob], now: datetime) -> list[JobStatus]:
    """Each registered job with its last run and its next planned run."""
    statuses = []
    for job in jobs:
        last = db.session.scalar(
            sa.select(JobRun)
            .where(JobRun.job == job.name)
            .order_by(JobRun.started_at.desc())
            .limit(1)
        )
        statuses.append(JobStatus(job, last, job.next_run_at(now)))
    return statuses
