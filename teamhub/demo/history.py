"""Dating demo work back into the month it belongs to.

The demo walks past months' work through the real services, which stamp everything "now"; a
real team's history has its offers, answers, deliveries, reviews, notices and messages spread
over the month, each before the next and the work due within it. Everything here only moves
dates of rows those services wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.models import Assignment, AssignmentEvent, Submission, TermsNotice
from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.notifications.services import recount_unread
from teamhub.payouts.models import PayoutClose


@dataclass(frozen=True)
class Timeline:
    """When one assignment's steps happened; a revised one was sent back once, a day after
    its delivery, and delivered again the day after that."""

    offered: datetime
    answered: datetime
    delivered: datetime
    due: datetime
    revised: bool = False

    @property
    def approved(self) -> datetime:
        return self.delivered + timedelta(days=3 if self.revised else 1)

    def event_times(self) -> dict[str, list[datetime]]:
        """The moments of the events the state machine wrote, by the state they moved to."""
        submitted = [self.delivered]
        if self.revised:
            submitted.append(self.delivered + timedelta(days=2))
        return {
            "offered": [self.offered],
            "accepted": [self.answered],
            "in_progress": [self.answered + timedelta(hours=1)],
            "submitted": submitted,
            "changes_requested": [self.delivered + timedelta(days=1)],
            "approved": [self.approved],
        }


def date_back(assignment: Assignment, when: Timeline) -> None:
    """Move an approved assignment's history, its notices and submissions onto ``when``."""
    assignment.due_at = when.due
    assignment.offered_at = when.offered
    assignment.answered_at = when.answered
    assignment.started_at = when.answered + timedelta(hours=1)
    assignment.first_submitted_at = when.delivered
    assignment.approved_at = when.approved
    times = when.event_times()
    for event in _rows(AssignmentEvent, assignment, AssignmentEvent.id):
        event.at = times[event.to_state].pop(0)
    submissions = _rows(Submission, assignment, Submission.number)
    reviews = (
        [when.delivered + timedelta(days=1), when.approved] if when.revised else [when.approved]
    )
    for submission, submitted, reviewed in zip(
        submissions, when.event_times()["submitted"], reviews, strict=True
    ):
        submission.submitted_at, submission.reviewed_at = submitted, reviewed
    for notice in _rows(TermsNotice, assignment, TermsNotice.version):
        notice.issued_at, notice.accepted_at = when.offered, when.answered
        issued_on = when.offered.astimezone(JST).date().isoformat()
        notice.terms = {**notice.terms, "issued_on": issued_on, "due_at": when.due.isoformat()}


def _rows(model, assignment: Assignment, order) -> list:
    return list(
        db.session.scalars(
            sa.select(model).where(model.assignment_id == assignment.id).order_by(order)
        )
    )


def last_notification_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0


# How soon a demo person read a notice of past work: the same evening, as a busy member does.
READ_AFTER = timedelta(hours=3)
# What each kind of notice was about (the second and third parts of its key, "kind:model:id"):
# the moment that thing happened is when the notice was sent.
WHEN_HAPPENED = {
    "assignment": lambda row: row.offered_at,
    "submission": lambda row: row.submitted_at,
    "event": lambda row: row.at,
    "close": lambda row: row.confirmed_at,
}
MODELS = {
    "assignment": Assignment,
    "submission": Submission,
    "event": AssignmentEvent,
    "close": PayoutClose,
}


def _happened_at(key: str) -> datetime | None:
    """When the thing a notice is about happened, from its key, if the demo dated it."""
    _kind, model, ident = [*key.split(":"), "", ""][:3]
    if model not in MODELS or not ident.isdigit():
        return None
    row = db.session.get(MODELS[model], int(ident))
    return WHEN_HAPPENED[model](row) if row is not None else None


def read_and_sent_since(notification_id: int, at: datetime) -> None:
    """Messages written after ``notification_id`` were sent when what they tell of happened
    (or at ``at``), read soon after, and their emails sent: the inbox of a past month's work
    follows that month and is not news today."""
    db.session.flush()
    newer = db.session.scalars(sa.select(Notification).where(Notification.id > notification_id))
    for notice in newer:
        sent = _happened_at(notice.key) or at
        notice.created_at, notice.read_at = sent, min(sent + READ_AFTER, utcnow())
        db.session.execute(
            sa.update(EmailDelivery)
            .where(EmailDelivery.notification_id == notice.id)
            .values(status="sent", created_at=sent, next_attempt_at=sent, sent_at=sent, attempts=1)
        )
    recount_unread()


def date_close_back(close: PayoutClose, confirmed_at: datetime, paid_at: datetime) -> None:
    """A past month's close was confirmed after its period ended and marked paid on its day."""
    close.confirmed_at, close.marked_paid_at = confirmed_at, paid_at
