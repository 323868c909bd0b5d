"""Read-only lookups: a person's inbox and their email preferences (the unread count is the
person's ``unread_notifications``, kept by the services)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.extensions import db
from teamhub.notifications.kinds import KINDS, body_of, subject_of
from teamhub.notifications.models import Notification, NotificationPreference
from teamhub.teams.models import Membership
from teamhub.training.models import Enrolment, OrganisationMembership

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


def roles_of(person: Person) -> set[str]:
    """The roles the person holds now: in teams, in organisations, and "trainee" in a cohort."""
    team_roles = sa.select(Membership.role).where(
        Membership.person_id == person.id, Membership.removed_at.is_(None)
    )
    org_roles = sa.select(OrganisationMembership.role).where(
        OrganisationMembership.person_id == person.id, OrganisationMembership.ended_at.is_(None)
    )
    in_a_cohort = sa.exists().where(
        Enrolment.person_id == person.id, Enrolment.status != "withdrawn"
    )
    trainee = sa.select(sa.literal("trainee", sa.String)).where(in_a_cohort)
    return set(db.session.scalars(sa.union(team_roles, org_roles, trainee)))


def kinds_for(person: Person) -> list[str]:
    """The kinds of notice the person's roles may bring them, in the catalogue's order."""
    roles = roles_of(person)
    return [code for code, kind in KINDS.items() if kind.roles & roles]


def email_choices(person: Person) -> dict[str, bool]:
    """Kind → whether the person gets it by email (on unless they switched it off), for the
    kinds their roles may bring them."""
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.person_id == person.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, True) for kind in kinds_for(person)}
