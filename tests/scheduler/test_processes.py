"""Two real scheduler processes on PostgreSQL: one leads, each job runs once per period, and
killing the leader hands over to the other."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.scheduler.models import JobRun, SchedulerLease
from tests.notification_helpers import work_in_progress

DATABASE_URL = os.environ.get("TEAMHUB_TEST_DATABASE_URL", "")

pytestmark = [
    pytest.mark.commits,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgresql"),
        reason="needs PostgreSQL: set TEAMHUB_TEST_DATABASE_URL (CI does) to run two schedulers",
    ),
]

JOBS = ("due_soon", "overdue", "escrow_missing", "deliver_email")


def start_scheduler(tmp_path, name: str) -> tuple[subprocess.Popen, object]:
    env = {
        **os.environ,
        "TEAMHUB_DATABASE_URL": DATABASE_URL,
        "TEAMHUB_INSTANCE_PATH": str(tmp_path),
        "TEAMHUB_SECRET_KEY": "scheduler-test",
        "TEAMHUB_SMTP_URL": "smtp://127.0.0.1:9",  # nothing listens: sends fail, are retried
    }
    args = ["--every", "1", "--lease-seconds", "3"]
    for job in JOBS:
        args += ["--only", job]
    log = (tmp_path / f"{name}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "teamhub", "scheduler", *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def read(app, query):
    with app.app_context():
        try:
            return db.session.execute(query).all()
        finally:
            db.session.remove()


def wait_for(condition, timeout: float = 20.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def holder(app) -> str:
    rows = read(app, sa.select(SchedulerLease.holder, SchedulerLease.expires_at))
    return rows[0].holder if rows and rows[0].expires_at > utcnow() else ""


def runs(app) -> list:
    return read(app, sa.select(JobRun.job, JobRun.period, JobRun.runner, JobRun.started_at))


def test_one_leader_runs_each_job_once_per_period_and_a_killed_leader_hands_over(app, tmp_path):
    with app.app_context():
        work_in_progress(utcnow() + timedelta(hours=47))
        db.session.commit()
    first, first_log = start_scheduler(tmp_path, "first")
    second = None
    try:
        wait_for(lambda: holder(app).endswith(f":{first.pid}"), what="the first to lead")
        second, second_log = start_scheduler(tmp_path, "second")
        wait_for(
            lambda: "waiting for the lease" in (tmp_path / "second.log").read_text(),
            what="the second to start",
        )
        time.sleep(4)  # both run side by side for a few periods
        before = runs(app)
        assert {r.runner for r in before} == {holder(app)}
        assert holder(app).endswith(f":{first.pid}")
        assert {r.job for r in before} == set(JOBS)

        first.send_signal(signal.SIGKILL)  # dies without handing the lease back
        first.wait(timeout=10)
        killed_at = utcnow()
        wait_for(lambda: holder(app).endswith(f":{second.pid}"), what="the second to take over")
        wait_for(
            lambda: any(r.runner.endswith(f":{second.pid}") for r in runs(app)),
            what="the second to run jobs",
        )
        time.sleep(2)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
    after = runs(app)
    by_second = [r for r in after if r.runner.endswith(f":{second.pid}")]
    assert by_second and all(r.started_at > killed_at - timedelta(seconds=1) for r in by_second)
    for job in JOBS:
        periods = [r.period for r in after if r.job == job]
        assert len(periods) == len(set(periods)), f"{job} ran twice in a period"
    assert {r.runner.split(":")[-1] for r in after} == {str(first.pid), str(second.pid)}
    # Dozens of runs by two processes, one reminder and one queued email.
    reminders = read(app, sa.select(Notification.id).where(Notification.kind == "due_soon"))
    assert len(reminders) == 1
    outbox = read(
        app,
        sa.select(EmailDelivery.status, EmailDelivery.attempts)
        .join(Notification)
        .where(Notification.kind == "due_soon"),
    )
    assert len(outbox) == 1 and outbox[0].status == "pending" and outbox[0].attempts == 1
    assert holder(app) == ""  # the second handed the lease back when it stopped
    assert "leads now" in (tmp_path / "second.log").read_text()
    first_log.close()
    second_log.close()


def test_two_sessions_sending_the_same_notice_at_once_store_it_once(app):
    import threading

    from teamhub.notifications.services import notify
    from tests import factories

    with app.app_context():
        person_id = factories.make_person().id
        db.session.commit()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send(hold: float):
        with app.app_context():
            try:
                barrier.wait(timeout=10)  # both checked "not sent yet" before either inserts
                results.append(
                    notify(person_id, "approved", "event:1", {"job": "x", "comment": ""})
                )
                time.sleep(hold)
                db.session.commit()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send, args=(hold,)) for hold in (0.5, 0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    assert sorted(r is None for r in results) == [False, True]
    stored = read(app, sa.select(Notification.id).where(Notification.person_id == person_id))
    outbox = read(app, sa.select(EmailDelivery.id))
    assert len(stored) == 1 and len(outbox) == 1
