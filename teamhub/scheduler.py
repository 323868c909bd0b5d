"""The registry of scheduled jobs and the one process that runs them.

Only ``flask --app teamhub scheduler`` starts a scheduler; web workers never do. Many scheduler
processes may run (on several hosts), but only the holder of the database lease acts; the others
wait and take over when its lease lapses. Each job runs at most once per period: a ``JobRun`` row
with a unique (job, period) key is claimed before the job starts, and what the job sends is keyed
too, so a retry, a crash mid-run or a second process never sends, warns or closes twice.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.notifications import payout_reminders, reminders
from teamhub.notifications.models import JobRun, SchedulerLease
from teamhub.notifications.reminders import Done

log = logging.getLogger("teamhub.scheduler")

LEASE_NAME = "scheduler"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
KEEP_RUNS = timedelta(days=31)


@dataclass(frozen=True)
class ScheduledJob:
    """A job: what it does, and when. ``every`` (seconds) or ``daily_at`` (hour, minute) in JST."""

    name: str
    label: object
    run: Callable[[datetime], Done]
    every: int | None = None
    daily_at: tuple[int, int] | None = None

    def trigger(self):
        if self.every:
            return IntervalTrigger(seconds=self.every, start_date=EPOCH, timezone=UTC)
        hour, minute = self.daily_at
        return CronTrigger(hour=hour, minute=minute, timezone=JST)

    def period(self, now: datetime) -> str:
        """The period ``now`` falls in: one run per period, whichever process runs it."""
        if self.every:
            slot = int((now - EPOCH).total_seconds() // self.every)
            return (EPOCH + timedelta(seconds=slot * self.every)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return now.astimezone(JST).date().isoformat()

    def next_run_at(self, now: datetime) -> datetime | None:
        return self.trigger().get_next_fire_time(None, now)

    def time_passed_today(self, now: datetime) -> bool:
        """Whether a daily job's time has come today (in Japan), so a late start runs it now."""
        if not self.daily_at:
            return False
        local = now.astimezone(JST)
        return (local.hour, local.minute) >= self.daily_at


REGISTRY: dict[str, ScheduledJob] = {}


def register(job: ScheduledJob) -> ScheduledJob:
    REGISTRY[job.name] = job
    return job


def _deliver_email(now: datetime) -> Done:
    from teamhub.notifications.email import deliver_outbox

    tally = deliver_outbox(now)
    return Done(total=tally.get("sent", 0), detail=tally)


register(
    ScheduledJob(
        "deliver_email", _l("Send queued emails, retry failed ones"), _deliver_email, every=60
    )
)
register(
    ScheduledJob(
        "due_soon", _l("Deadline reminders, 48 hours before"), reminders.due_soon, every=15 * 60
    )
)
register(ScheduledJob("overdue", _l("Overdue notices"), reminders.overdue, every=60 * 60))
register(
    ScheduledJob(
        "escrow_missing", _l("Escrow-missing warnings"), reminders.escrow_missing, daily_at=(9, 0)
    )
)
register(
    ScheduledJob(
        "close_due",
        _l("Payout closes for periods that ended"),
        payout_reminders.close_due,
        daily_at=(6, 0),
    )
)
register(
    ScheduledJob(
        "payment_due",
        _l("Member payments due under the 60-day rule"),
        payout_reminders.payment_due,
        daily_at=(9, 0),
    )
)
register(
    ScheduledJob(
        "withholding_due",
        _l("Withholding tax reminders, by the 10th"),
        payout_reminders.withholding_due,
        daily_at=(9, 0),
    )
)
register(
    ScheduledJob(
        "session_tomorrow",
        _l("Training session reminders for tomorrow"),
        reminders.session_tomorrow,
        daily_at=(9, 0),
    )
)


def _housekeeping(now: datetime) -> Done:
    """Forget job runs older than a month, so the run table stays small."""
    old = db.session.execute(
        sa.delete(JobRun).where(JobRun.started_at < now - KEEP_RUNS, JobRun.outcome != "running")
    )
    return Done(detail={"runs_deleted": old.rowcount})


register(ScheduledJob("housekeeping", _l("Forget old job runs"), _housekeeping, daily_at=(3, 30)))


# Running one job ------------------------------------------------------------------------------


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


# Leadership -----------------------------------------------------------------------------------


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
                acquired_at=sa.case(
                    (SchedulerLease.holder == self.holder, SchedulerLease.acquired_at), else_=now
                ),
            )
        ).rowcount
        if not taken and db.session.get(SchedulerLease, LEASE_NAME) is None:
            db.session.add(
                SchedulerLease(
                    name=LEASE_NAME, holder=self.holder, acquired_at=now, expires_at=now + self.ttl
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


# The scheduler process ------------------------------------------------------------------------


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _execute(app: Flask, job: ScheduledJob, lease: Lease) -> None:
    with app.app_context():
        try:
            now = utcnow()
            if lease.holds(now):  # the lease may have lapsed since the last renewal
                run_job(job, lease.holder, now)
        finally:
            db.session.remove()


def select_jobs(only: tuple[str, ...] = (), every: int | None = None) -> list[ScheduledJob]:
    unknown = set(only) - set(REGISTRY)
    if unknown:
        raise ValueError(f"unknown jobs: {', '.join(sorted(unknown))}")
    jobs = [REGISTRY[name] for name in (only or REGISTRY)]
    if every:
        jobs = [replace(job, every=every, daily_at=None) for job in jobs]
    return jobs


def run_scheduler(
    app: Flask,
    jobs: list[ScheduledJob],
    lease_seconds: float | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Wait for the lease, run the jobs while holding it, hand it back on the way out."""
    stop = stop or threading.Event()
    ttl = timedelta(seconds=lease_seconds or app.config["SCHEDULER_LEASE_SECONDS"])
    lease = Lease(runner_name(), ttl)
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30}
    )
    for job in jobs:
        scheduler.add_job(
            _execute, job.trigger(), args=[app, job, lease], id=job.name, name=job.name
        )
    scheduler.start(paused=True)
    leading = False
    log.info(
        "scheduler %s started with %s; waiting for the lease", lease.holder, [j.name for j in jobs]
    )
    try:
        while not stop.is_set():
            was_leading, leading = leading, _steer(app, scheduler, lease, leading)
            if leading and not was_leading:
                _catch_up(scheduler, jobs, utcnow())
            stop.wait(ttl.total_seconds() / 3)
    finally:
        scheduler.shutdown(wait=True)
        with app.app_context():
            lease.release()
            db.session.remove()
        log.info("scheduler %s stopped", lease.holder)


def _steer(app: Flask, scheduler: BackgroundScheduler, lease: Lease, leading: bool) -> bool:
    with app.app_context():
        try:
            now_leading = lease.claim(utcnow())
        except sa.exc.SQLAlchemyError:
            log.exception("could not reach the database to renew the lease")
            db.session.rollback()
            now_leading = False
        finally:
            db.session.remove()
    if now_leading and not leading:
        log.info("scheduler %s leads now", lease.holder)
        scheduler.resume()
    elif leading and not now_leading:
        log.warning("scheduler %s lost the lease; pausing", lease.holder)
        scheduler.pause()
    return now_leading


def _catch_up(scheduler: BackgroundScheduler, jobs: list[ScheduledJob], now: datetime) -> None:
    """Run today's daily jobs at once if their time passed while no scheduler led.

    A job that already ran today finds its (job, period) key taken and does nothing.
    """
    for job in jobs:
        if job.time_passed_today(now):
            scheduler.modify_job(job.name, next_run_time=now)


def stop_on_signals(stop: threading.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


# What the directors' page shows ------------------------------------------------------------


@dataclass(frozen=True)
class JobStatus:
    job: ScheduledJob
    last: JobRun | None
    next_run_at: datetime | None


def overview(now: datetime) -> list[JobStatus]:
    """Each registered job with its last run and its next planned run."""
    statuses = []
    for job in REGISTRY.values():
        last = db.session.scalar(
            sa.select(JobRun)
            .where(JobRun.job == job.name)
            .order_by(JobRun.started_at.desc())
            .limit(1)
        )
        statuses.append(JobStatus(job, last, job.next_run_at(now)))
    return statuses


def scheduler_is_running(now: datetime) -> bool:
    lease = current_lease()
    return lease is not None and lease.expires_at > now
