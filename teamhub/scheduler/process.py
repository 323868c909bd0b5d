"""The scheduler process: wait for the lease, run the tasks while holding it, hand it back."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.scheduler.runs import Lease, run_job
from teamhub.scheduling import ScheduledJob

log = logging.getLogger("teamhub.scheduler")


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
