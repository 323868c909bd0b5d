"""Set-ups for notification and scheduler tests: work in progress, a local SMTP server."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments import lifecycle
from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.teams.models import Membership, Team
from tests import factories


@dataclass(frozen=True)
class Work:
    roles: factories.TeamRoles
    job_id: int
    assignment_id: int


def work_in_progress(due_at: datetime, source: str = "direct", state: str = "in_progress") -> Work:
    """A team whose member has an assignment due at ``due_at``, taken to ``state``."""
    roles = factories.team_with_roles()
    team = db.session.get(Team, roles.team.id)
    director = db.session.get(Membership, roles.director_membership)
    member = factories.give_capacity(db.session.get(Membership, roles.member_membership))
    director_person = db.session.get(Person, roles.director.id)
    job = factories.make_job(
        team, director_person, source=source, due_at=due_at + timedelta(days=1)
    )
    line = splitting.SplitLine(membership_id=member.id, units=4, due_at=due_at)
    [assignment] = splitting.save_split(job, director, [line], 0, 0).created
    if state in ("accepted", "in_progress"):
        lifecycle.accept(assignment, member)
    if state == "in_progress":
        lifecycle.start(assignment, member)
    db.session.flush()
    return Work(roles, job.id, assignment.id)


def notifications(kind: str | None = None, person_id: int | None = None) -> list[Notification]:
    query = sa.select(Notification).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    if person_id:
        query = query.where(Notification.person_id == person_id)
    return list(db.session.scalars(query))


def deliveries() -> list[EmailDelivery]:
    return list(db.session.scalars(sa.select(EmailDelivery).order_by(EmailDelivery.id)))


def assignment(assignment_id: int) -> Assignment:
    return db.session.get(Assignment, assignment_id)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"
