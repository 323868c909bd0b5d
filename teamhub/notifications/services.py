"""Send notifications (once per key), read them, and choose which ones also come by email."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.notifications.kinds import KINDS
from teamhub.notifications.models import EmailDelivery, Notification, NotificationPreference


def make_key(kind: str, subject: str, period: str = "") -> str:
    return f"{kind}:{subject}:{period}" if period else f"{kind}:{subject}"


def wants_email(person_id: int, kind: str) -> bool:
    chosen = db.session.scalar(
        sa.select(NotificationPreference.email).where(
            NotificationPreference.person_id == person_id, NotificationPreference.kind == kind
        )
    )
    return True if chosen is None else chosen


def notify(
    person_id: int,
    kind: str,
    subject: str,
    params: dict,
    link: str = "",
    period: str = "",
    team_id: int | None = None,
) -> Notification | None:
    """Put a notification in the person's inbox (and the email outbox) unless its key was used."""
    assert kind in KINDS, kind
    key = make_key(kind, subject, period)
    taken = sa.select(Notification.id).where(
        Notification.person_id == person_id, Notification.key == key
    )
    if db.session.scalar(taken) is not None:
        return None
    notification = Notification(
        person_id=person_id, team_id=team_id, kind=kind, key=key, params=params, link=link
    )
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:  # another process sent it between our check and our insert
        return None
    if wants_email(person_id, kind):
        db.session.add(EmailDelivery(notification_id=notification.id))
        db.session.flush()
    return notification


def notify_all(person_ids: Iterable[int], *args, **kwargs) -> int:
    """Notify each person once; return how many notifications were new."""
    return sum(1 for pid in sorted(set(person_ids)) if notify(pid, *args, **kwargs))


def _own(person: Person, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.person_id != person.id:
        raise NotFound(_("This notification does not exist."))
    return notification


def mark_read(person: Person, notification_id: int) -> Notification:
    """Mark one of the person's notifications read; return it (its link is where to go)."""
    notification = _own(person, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
    db.session.flush()
    return notification


def mark_all_read(person: Person) -> int:
    """Mark every unread notification of the person read; return how many."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def set_email_preferences(person: Person, email_kinds: Iterable[str]) -> None:
    """Email the person only for ``email_kinds``; the inbox keeps receiving every kind."""
    chosen = set(email_kinds) & set(KINDS)
    existing = {
        p.kind: p
        for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.person_id == person.id)
        )
    }
    for kind in KINDS:
        preference = existing.get(kind)
        if preference is None:
            preference = NotificationPreference(person_id=person.id, kind=kind)
            db.session.add(preference)
        preference.email = kind in chosen
    db.session.flush()
