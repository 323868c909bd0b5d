"""People: one login per person; roles live on memberships, never here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def hash_login_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Person(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    locale: Mapped[str] = mapped_column(sa.String(5), default="ja")
    # Instance operators administer the whole instance (organisations, health).
    is_operator: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many of the person's notifications are unread, for the header of every page: kept by
    # the notifications' services, which alone add notifications and mark them read.
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")

    memberships = relationship("Membership", back_populates="person")
    skills = relationship("PersonSkill", back_populates="person", cascade="all, delete-orphan")

    # The login this request runs under; set by the login or the user loader, never stored.
    current_login_token = None

    def get_id(self) -> str:
        if not self.current_login_token:
            raise RuntimeError("a person is logged in only through a LoginSession")
        return self.current_login_token

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.email}>"


class LoginSession(db.Model):
    """One signed-in browser. Its token sits in the login cookie; ending it refuses that cookie."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")

    person = relationship("Person")
