"""Assignments: a member's part of a job, its terms notice, its history and its submissions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.assignments import notice_format
from teamhub.assignments.notice_format import NoticeContent
from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db
from teamhub.labels import label, register

STATE_LABELS = register(
    "state",
    {
        "offered": _l("Offered"),
        "accepted": _l("Accepted"),
        "declined": _l("Declined"),
        "in_progress": _l("In progress"),
        "submitted": _l("Submitted"),
        "changes_requested": _l("Changes requested"),
        "approved": _l("Approved"),
        "cancelled": _l("Cancelled"),
        "reassigned": _l("Reassigned"),
    },
)
STATES = tuple(STATE_LABELS)
# States in which the member still owes work (they count against capacity).
ACTIVE_STATES = ("offered", "accepted", "in_progress", "submitted", "changes_requested")
FINAL_STATES = ("declined", "approved", "cancelled", "reassigned")
# Work still owed by its member: late once its deadline has passed.
OVERDUE_STATES = ("offered", "accepted", "in_progress", "changes_requested")

PAY_BASIS_LABELS = register(
    "pay_basis",
    {
        "units": _l("Share by approved units"),
        "fixed": _l("Fixed amount"),
    },
)
PAY_BASES = tuple(PAY_BASIS_LABELS)


class Assignment(db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        sa.CheckConstraint("units >= 0", name="units_not_negative"),
        sa.CheckConstraint("fixed_yen IS NULL OR fixed_yen >= 0", name="fixed_not_negative"),
        sa.CheckConstraint("pay_basis IN ('units', 'fixed')", name="pay_basis_known"),
        sa.Index("ix_assignment_membership_state_due", "membership_id", "state", "due_at"),
        sa.Index("ix_assignment_job_state", "job_id", "state"),
        sa.Index("ix_assignment_team_state_due", "team_id", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"))
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("job.id"))
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("membership.id"))
    units: Mapped[int] = mapped_column(default=0)
    part_description: Mapped[str] = mapped_column(sa.String(200), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pay_basis: Mapped[str] = mapped_column(sa.String(10), default="units")
    fixed_yen: Mapped[int | None]
    state: Mapped[str] = mapped_column(sa.String(20), default="offered")
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revision_count: Mapped[int] = mapped_column(default=0)
    # Why the director assigned beyond capacity or without a required skill, if they did.
    override_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assignment.id"))

    job = relationship("Job", back_populates="assignments")
    membership = relationship("Membership")
    events = relationship(
        "AssignmentEvent", back_populates="assignment", order_by="AssignmentEvent.id", lazy="raise"
    )
    notices = relationship(
        "TermsNotice", back_populates="assignment", order_by="TermsNotice.version", lazy="raise"
    )
    submissions = relationship(
        "Submission", back_populates="assignment", order_by="Submission.number", lazy="raise"
    )

    @property
    def state_label(self) -> str:
        return label("state", self.state)

    @property
    def pay_basis_label(self) -> str:
        return label("pay_basis", self.pay_basis)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def overdue(self, now: datetime) -> bool:
        return self.state in OVERDUE_STATES and now > self.due_at


# What an event records: a move between states, or (its state unchanged) new terms issued by a
# director or the member's consent to them (``terms_version``: the notice's version).
EVENT_KINDS = ("move", "terms_issued", "terms_accepted")


class AssignmentEvent(db.Model):
    """One step of an assignment's life: who moved it from which state to which, or changed or
    accepted its terms, and when."""

    __tablename__ = "assignment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignment.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(sa.String(20))
    to_state: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="move", server_default="move")
    terms_version: Mapped[int | None]

    assignment = relationship("Assignment", back_populates="events")
    actor = relationship("Person")


class TermsNotice(db.Model):
    """The Freelance Act art. 3 notice for an assignment; frozen once the member accepts it."""

    __tablename__ = "terms_notice"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignment.id"))
    version: Mapped[int]
    # The notice's text as issued: parties, date, work, due date, fee, payment date.
    terms: Mapped[dict] = mapped_column(sa.JSON)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment = relationship("Assignment", back_populates="notices")

    @property
    def content(self) -> NoticeContent:
        """What the notice says, in the current shape whatever format it was written in."""
        return notice_format.read(self.terms)


SUBMISSION_KINDS = ("text", "link", "file")


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (sa.UniqueConstraint("assignment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignment.id"))
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    stored_name: Mapped[str] = mapped_column(sa.String(80), default="")
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decision: Mapped[str | None] = mapped_column(sa.String(20))
    review_comment: Mapped[str] = mapped_column(sa.Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment = relationship("Assignment", back_populates="submissions")
    reviewed_by = relationship("Person", foreign_keys=[reviewed_by_id])
