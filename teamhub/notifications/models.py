"""The inbox, email preferences and the email outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db


class Notification(db.Model):
    """One message in a person's inbox. ``key`` names the event, so it is never sent twice."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "key"),
        sa.Index("ix_notification_person_read", "person_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("team.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    # kind:subject:period, for example "due_soon:assignment:12:2026-12-01T09:00".
    key: Mapped[str] = mapped_column(sa.String(200))
    # Plain values the message is rendered from, in the reader's language.
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person = relationship("Person")

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(db.Model):
    """Whether a person gets email for one kind of notification; the inbox always gets it."""

    __tablename__ = "notification_preference"
    __table_args__ = (sa.UniqueConstraint("person_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    email: Mapped[bool] = mapped_column(default=True)


DELIVERY_STATUSES = ("pending", "sent", "failed", "expired")


class EmailDelivery(db.Model):
    """The outbox: one email per notification, sent by the scheduler and retried when it fails."""

    __tablename__ = "email_delivery"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'expired')", name="status_known"
        ),
        sa.Index("ix_email_delivery_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(sa.ForeignKey("notification.id"), unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notification = relationship("Notification")
