"""Send notifications (once per key), read them, and choose which ones also come by email."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from teamhub.auth.models import Person
from teamhub.claims import claim, insert_once
from teamhub.clock import utcnow
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.notifications.kinds import KINDS
from teamhub.notifications.models import EmailDelivery, Notification, NotificationPreference
from teamhub.notifications.queries import kinds_for


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
    _count_unread([person_id], +1)
    if wants_email(person_id, kind):
        db.session.add(EmailDelivery(notification_id=notification.id))
        db.session.flush()
    return notification


def notify_each(
    notices: list[tuple[int, dict, str]],
    kind: str,
    subject: str,
    period: str = "",
    team_id: int | None = None,
) -> int:
    """:func:`notify` for many people at once, each with their own params and link.

    One query finds who already has the key, one INSERT adds the rest, one query reads who
    declined email: a payout close tells hundreds of members at once. If another process sends
    the same key meanwhile, fall back to :func:`notify` one by one. Return how many were new.
    """
    assert kind in KINDS, kind
    key = make_key(kind, subject, period)
    people = [person_id for person_id, _params, _link in notices]
    if not people:
        return 0
    taken = set(
        db.session.scalars(
            sa.select(Notification.person_id).where(
                Notification.key == key, Notification.person_id.in_(people)
            )
        )
    )
    fresh = [notice for notice in notices if notice[0] not in taken]
    if not fresh:
        return 0
    now = utcnow()
    rows = [
        {"person_id": person_id, "team_id": team_id, "kind": kind, "key": key,
         "params": params, "link": link, "created_at": now, "read_at": None}
        for person_id, params, link in fresh
    ]  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.execute(sa.insert(Notification), rows)
    except IntegrityError:
        return sum(
            1 for pid, p, link in fresh if notify(pid, kind, subject, p, link, period, team_id)
        )
    _count_unread([person_id for person_id, _params, _link in fresh], +1)
    _queue_emails(key, kind, [person_id for person_id, _params, _link in fresh])
    return len(fresh)


def _queue_emails(key: str, kind: str, person_ids: list[int]) -> None:
    declined = set(
        db.session.scalars(
            sa.select(NotificationPreference.person_id).where(
                NotificationPreference.kind == kind,
                NotificationPreference.email.is_(False),
                NotificationPreference.person_id.in_(person_ids),
            )
        )
    )
    created = db.session.execute(
        sa.select(Notification.id, Notification.person_id).where(
            Notification.key == key, Notification.person_id.in_(person_ids)
        )
    ).all()
    deliveries = [{"notification_id": nid} for nid, pid in created if pid not in declined]
    if deliveries:
        db.session.execute(sa.insert(EmailDelivery), deliveries)


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
    if notification.read_at is None and claim(
        notification, {"read_at": None}, {"read_at": utcnow()}
    ):
        _count_unread([person.id], -1)
    return notification


def mark_all_read(person: Person) -> int:
    """Mark every unread notification of the person read; return how many."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if result.rowcount:
        _count_unread([person.id], -result.rowcount)
    return result.rowcount


def _count_unread(person_ids: list[int], change: int) -> None:
    """Add ``change`` to each person's count of unread notifications, in the database (where a
    concurrent change adds up) and on the person this session holds. People are updated in the
    order of their ids, so two requests telling the same people never wait on each other."""
    db.session.execute(
        sa.update(Person)
        .where(Person.id.in_(sorted(person_ids)))
        .values(unread_notifications=Person.unread_notifications + change)
        .execution_options(synchronize_session="fetch")
    )


# Each person's count of unread notifications, counted again from the notifications themselves.
UNREAD_COUNTED = (
    sa.select(sa.func.count(Notification.id))
    .where(Notification.person_id == Person.id, Notification.read_at.is_(None))
    .scalar_subquery()
)


def recount_unread() -> None:
    """Set every person's unread count from their notifications: after notifications were
    written in bulk outside :func:`notify` (the demo's history, a benchmark's seed)."""
    db.session.flush()
    db.session.execute(
        sa.update(Person)
        .values(unread_notifications=UNREAD_COUNTED)
        .execution_options(synchronize_session=False)
    )
    for held in list(db.session.identity_map.values()):
        if isinstance(held, Person):
            db.session.expire(held, ["unread_notifications"])


def set_email_preferences(
    person: Person, email_kinds: Iterable[str], among: Iterable[str] | None = None
) -> None:
    """Email the person only for ``email_kinds`` of the kinds ``among`` (every kind unless
    given); the inbox keeps receiving every kind, and kinds not among them keep their choice."""
    asked = list(KINDS) if among is None else [kind for kind in KINDS if kind in set(among)]
    chosen = set(email_kinds) & set(asked)
    existing = {
        p.kind: p
        for p in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.person_id == person.id)
        )
    }
    for kind in asked:
        preference = existing.get(kind)
        if preference is not None:
            preference.email = kind in chosen
        elif not insert_once(
            NotificationPreference(person_id=person.id, kind=kind, email=kind in chosen)
        ):
            _choose_again(person, kind, kind in chosen)  # another save added it meanwhile
    db.session.flush()


def _choose_again(person: Person, kind: str, email: bool) -> None:
    """Write this save's choice over the one another request added for the same kind."""
    db.session.execute(
        sa.update(NotificationPreference)
        .where(NotificationPreference.person_id == person.id, NotificationPreference.kind == kind)
        .values(email=email)
    )


def choose_emails(person: Person, email_kinds: Iterable[str]) -> None:
    """Save the choices of the preferences page: the kinds the person's roles may bring them."""
    set_email_preferences(person, email_kinds, among=kinds_for(person))
