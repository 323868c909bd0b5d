"""What the directors' page reads: each task's last and next run, and what comes up next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.clock import JST
from teamhub.extensions import db
from teamhub.jobs.models import ESCROW_SOURCES, Job
from teamhub.notifications.reminders import DUE_SOON, OWING
from teamhub.payouts import periods
from teamhub.teams.models import Team


@dataclass(frozen=True)
class Upcoming:
    """What the scheduler will do next for one team."""

    next_close_end: date
    next_close_on: date
    due_soon: int
    overdue: int
    escrow_missing: int


def upcoming(team: Team, now: datetime) -> Upcoming:
    """Count the team's work the next reminder runs will pick up, and its next close day."""

    def count(*conditions) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(Assignment.id)).where(
                Assignment.team_id == team.id, *conditions
            )
        )

    waiting = sa.select(Assignment.id).where(
        Assignment.job_id == Job.id, Assignment.state.in_(("offered", "accepted"))
    )
    _start, end = periods.period_containing(team.close_schedule, now.astimezone(JST).date())
    return Upcoming(
        next_close_end=end,
        next_close_on=end + timedelta(days=1),
        due_soon=count(
            Assignment.state.in_(OWING),
            Assignment.due_at > now,
            Assignment.due_at <= now + DUE_SOON,
        ),
        overdue=count(Assignment.state.in_(("offered", *OWING)), Assignment.due_at < now),
        escrow_missing=db.session.scalar(
            sa.select(sa.func.count(Job.id)).where(
                Job.team_id == team.id,
                Job.status == "open",
                Job.source.in_(ESCROW_SOURCES),
                Job.escrow_confirmed_at.is_(None),
                waiting.exists(),
            )
        ),
    )
