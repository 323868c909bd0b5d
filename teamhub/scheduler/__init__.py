"""Scheduled work: the tasks features list in their ``tasks.py``, run by one process.

Only ``flask --app teamhub scheduler`` starts a scheduler; web workers never do. Many scheduler
processes may run (on several hosts), but only the holder of the database lease acts; the others
wait and take over when its lease lapses. Each job runs at most once per period: a ``JobRun`` row
with a unique (job, period) key is claimed before the job starts, and what the job sends is keyed
too, so a retry, a crash mid-run or a second process never sends, warns or closes twice.
"""

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
