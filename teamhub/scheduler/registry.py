"""The scheduled tasks: each feature's ``tasks.py`` and the scheduler's own housekeeping."""

from __future__ import annotations

from dataclasses import replace

from teamhub.notifications import tasks as notification_tasks
from teamhub.payouts import tasks as payout_tasks
from teamhub.scheduler.runs import HOUSEKEEPING
from teamhub.scheduling import ScheduledJob

REGISTRY: dict[str, ScheduledJob] = {
    task.name: task for task in (*notification_tasks.TASKS, *payout_tasks.TASKS, HOUSEKEEPING)
}


def select_jobs(only: tuple[str, ...] = (), every: int | None = None) -> list[ScheduledJob]:
    unknown = set(only) - set(REGISTRY)
    if unknown:
        raise ValueError(f"unknown jobs: {', '.join(sorted(unknown))}")
    jobs = [REGISTRY[name] for name in (only or REGISTRY)]
    if every:
        jobs = [replace(job, every=every, daily_at=None) for job in jobs]
    return jobs
