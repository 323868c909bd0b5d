"""Read-only lookups: a person's inbox and unread count, and their email preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.clock import JST
from teamhub.extensions import db
from teamhub.jobs.models import ESCROW_SOURCES, Job
from teamhub.notifications.kinds import KINDS, body_of, subject_of
from teamhub.notifications.models import Notification, NotificationPreference
from teamhub.teams.models import Team

INBOX_SIZE = 100


@dataclass(frozen=True)
class InboxItem:
    notification: Notification
    subject: str
    body: str


def inbox(person: Person) -> list[InboxItem]:
    """The person's latest notifications, newest first, rendered in the current language."""
    rows = db.session.scalars(
        sa.select(Notification)
        .where(Notification.person_id == person.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(INBOX_SIZE)
    )
    return [InboxItem(n, subject_of(n.kind, n.params), body_of(n.kind, n.params)) for n in rows]


def unread_count(person: Person) -> int:
    return db.session.scalar(unread_count_of(person.id))


def unread_count_of(person_id) -> sa.Select:
    """The unread count of ``person_id`` (an id, or a column to correlate with)."""
    return sa.select(sa.func.count(Notification.id)).where(
        Notification.person_id == person_id, Notification.read_at.is_(None)
    )


def email_choices(person: Person) -> dict[str, bool]:
    """Kind → whether the person gets it by email (on unless they switched it off)."""
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.person_id == person.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, True) for kind in KINDS}


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
    from teamhub.notifications.reminders import DUE_SOON, OWING
    from teamhub.payouts import periods

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
