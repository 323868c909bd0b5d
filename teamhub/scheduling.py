"""What a scheduled task is: what it does, when it runs, and what it reports having done.

Features list their tasks in their own ``tasks.py`` (``TASKS``); ``teamhub.scheduler`` collects
them and runs them in the one scheduler process. A task takes ``now`` (so tests set the clock)
and returns a :class:`Done`; each runs at most once per period, and what it sends is keyed, so a
rerun does nothing twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from teamhub.clock import JST

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class Done:
    """What a job did: notifications sent, per team (for the directors' page), and details."""

    total: int = 0
    teams: Counter = field(default_factory=Counter)
    detail: dict = field(default_factory=dict)

    def count(self, team_id: int | None, sent: int | bool = 1) -> None:
        sent = int(sent)
        self.total += sent
        if team_id is not None and sent:
            self.teams[team_id] += sent

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "teams": {str(k): v for k, v in self.teams.items()},
            **self.detail,
        }


@dataclass(frozen=True)
class ScheduledJob:
    """A job: what it does, and when. ``every`` (seconds) or ``daily_at`` (hour, minute) in JST."""

    name: str
    label: object
    run: Callable[[datetime], Done]
    every: int | None = None
    daily_at: tuple[int, int] | None = None
    # What the job does for a team, in a director's words (a lazy string); None: the job is the
    # instance's own housekeeping, shown to the operator only.
    for_directors: object = None
    # Whether the job can do anything for a given team (its payer type, say); None: every team.
    concerns: Callable[[object], bool] | None = None

    def concerns_team(self, team) -> bool:
        return self.for_directors is not None and (self.concerns is None or self.concerns(team))

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
