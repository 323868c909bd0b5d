"""What the directors' page reads: what needs the director, what comes up next, and each of
the team's automatic tasks with its last and next run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.clock import JST
from teamhub.extensions import db
from teamhub.jobs.models import ESCROW_SOURCES, Job
from teamhub.notifications import payout_reminders
from teamhub.notifications.reminders import DUE_SOON, OWING
from teamhub.payouts import periods
from teamhub.payouts.models import PayoutClose
from teamhub.scheduler import runs
from teamhub.scheduler.models import JobRun
from teamhub.scheduling import ScheduledJob
from teamhub.teams.models import Team


@dataclass(frozen=True)
class Upcoming:
    """What teamhub will do next for one team."""

    next_close_end: date
    next_close_on: date
    due_soon: int


@dataclass(frozen=True)
class Attention:
    """What needs the director now: the things the warnings are about, and tasks that failed."""

    overdue: int
    escrow_missing: int
    payments: list[tuple[PayoutClose, date, int]]  # close, first payment date, owed
    withholding_yen: int
    withholding_due_on: date
    failed: list[ScheduledJob]

    @property
    def anything(self) -> bool:
        return bool(
            self.overdue or self.escrow_missing or self.payments or self.withholding_yen
        ) or bool(self.failed)


@dataclass(frozen=True)
class TeamTask:
    """One automatic task as the team's page shows it."""

    job: ScheduledJob
    cadence: str
    next_run_at: datetime | None
    last: JobRun | None


@dataclass(frozen=True)
class Running:
    """Whether a scheduler process leads now, and when one was last seen leading."""

    now: bool
    last_seen: datetime | None
    operators: list[Person]  # whom a director asks to start it again


def _count_assignments(team: Team, *conditions) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(Assignment.team_id == team.id, *conditions)
    )


def _escrow_missing(team: Team) -> int:
    waiting = sa.select(Assignment.id).where(
        Assignment.job_id == Job.id, Assignment.state.in_(("offered", "accepted"))
    )
    return db.session.scalar(
        sa.select(sa.func.count(Job.id)).where(
            Job.team_id == team.id,
            Job.status == "open",
            Job.source.in_(ESCROW_SOURCES),
            Job.escrow_confirmed_at.is_(None),
            waiting.exists(),
        )
    )


def upcoming(team: Team, now: datetime) -> Upcoming:
    """The team's next close day, and the work the next reminders will pick up."""
    _start, end = periods.period_containing(team.close_schedule, now.astimezone(JST).date())
    due_soon = _count_assignments(
        team,
        Assignment.state.in_(OWING),
        Assignment.due_at > now,
        Assignment.due_at <= now + DUE_SOON,
    )
    return Upcoming(end, end + timedelta(days=1), due_soon)


def attention(team: Team, tasks: list[TeamTask], now: datetime) -> Attention:
    """What the warnings would tell the director about this team today."""
    today = now.astimezone(JST).date()
    withheld = payout_reminders.withholding_to_pay(today, team)
    return Attention(
        overdue=_count_assignments(
            team, Assignment.state.in_(("offered", *OWING)), Assignment.due_at < now
        ),
        escrow_missing=_escrow_missing(team),
        payments=payout_reminders.payments_falling_due(today, team),
        withholding_yen=sum(yen for _team, yen in withheld),
        withholding_due_on=payout_reminders.withholding_due_on(today),
        failed=[t.job for t in tasks if t.last is not None and t.last.outcome == "failed"],
    )


def cadence(job: ScheduledJob) -> str:
    """How often a task runs, in words: every 15 minutes, every hour, every day at 9:00."""
    if job.daily_at:
        hour, minute = job.daily_at
        return _("every day at %(time)s", time=f"{hour}:{minute:02d}")
    minutes = job.every // 60
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("every hour", "every %(num)d hours", hours)
    return ngettext("every minute", "every %(num)d minutes", max(minutes, 1))


def team_tasks(jobs: list[ScheduledJob], team: Team, now: datetime) -> list[TeamTask]:
    """The tasks that can do something for this team, with their last and next runs."""
    return [
        TeamTask(status.job, cadence(status.job), status.next_run_at, status.last)
        for status in runs.overview([j for j in jobs if j.concerns_team(team)], now)
    ]


def running(now: datetime) -> Running:
    lease = runs.current_lease()
    operators = db.session.scalars(
        sa.select(Person).where(Person.is_operator.is_(True)).order_by(Person.id)
    ).all()
    return Running(
        now=lease is not None and lease.expires_at > now,
        last_seen=lease.expires_at if lease else None,
        operators=list(operators),
    )
