"""Read-only lookups: a person's inbox and unread count, and their email preferences."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.extensions import db
from teamhub.notifications.kinds import KINDS, body_of, subject_of
from teamhub.notifications.models import Notification, NotificationPreference

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


# The header's count of a person's unread notifications; every signed-in page runs it.
UNREAD_COUNT = sa.select(sa.func.count(Notification.id)).where(
    Notification.person_id == sa.bindparam("person_id"), Notification.read_at.is_(None)
)


def unread_count(person: Person) -> int:
    return db.session.scalar(UNREAD_COUNT, {"person_id": person.id})


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
