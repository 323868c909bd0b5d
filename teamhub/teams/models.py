"""Teams, their memberships, invitations and the members' availability."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db
from teamhub.labels import label, register

ROLE_LABELS = register(
    "role",
    {
        "director": _l("Director"),
        "editor": _l("Editor"),
        "member": _l("Member"),
    },
)
ROLES = tuple(ROLE_LABELS)

PAYER_TYPE_LABELS = register(
    "payer_type",
    {
        "individual": _l("Individual without employees"),
        "individual_employer": _l("Individual with employees"),
        "corporation": _l("Corporation"),
        "cooperative": _l("Cooperative"),
    },
)
PAYER_TYPES = tuple(PAYER_TYPE_LABELS)
# Payer types that must withhold income tax on listed fees (源泉徴収).
WITHHOLDING_PAYER_TYPES = frozenset({"individual_employer", "corporation", "cooperative"})

PLATFORM_LABELS = register(
    "platform",
    {
        "lancers": _l("Lancers"),
        "crowdworks": _l("CrowdWorks"),
        "shufti": _l("Shufti"),
        "coconala": _l("coconala"),
        "other": _l("Other"),
    },
)
PLATFORMS = tuple(PLATFORM_LABELS)


# Payout periods: monthly at month-end, or twice a month (the 15th and month-end).
CLOSE_SCHEDULES = ("month_end", "semi_monthly")


class Team(db.Model):
    __tablename__ = "team"
    __table_args__ = (
        sa.CheckConstraint("fee_rate_bp >= 0 AND fee_rate_bp <= 5000", name="fee_rate_range"),
        sa.CheckConstraint(
            "close_schedule IN ('month_end', 'semi_monthly')", name="close_schedule_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    prefecture: Mapped[str] = mapped_column(sa.String(10))
    municipality: Mapped[str] = mapped_column(sa.String(40))
    payer_type: Mapped[str] = mapped_column(sa.String(30), default="individual")
    # The director's management cut in basis points (1000 = 10%).
    fee_rate_bp: Mapped[int] = mapped_column(default=1000)
    # Payout periods: "month_end", or "semi_monthly" (the 15th and month-end).
    close_schedule: Mapped[str] = mapped_column(sa.String(20), default="month_end")
    invoice_number: Mapped[str | None] = mapped_column(sa.String(14))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships = relationship("Membership", back_populates="team", lazy="raise")
    platform_accounts = relationship(
        "PlatformAccount",
        back_populates="team",
        cascade="all, delete-orphan",
        order_by="PlatformAccount.id",
    )

    @property
    def withholds(self) -> bool:
        return self.payer_type in WITHHOLDING_PAYER_TYPES

    @property
    def region(self) -> str:
        return f"{self.prefecture}{self.municipality}"

    def __repr__(self) -> str:
        return f"<Team {self.slug}>"


class PlatformAccount(db.Model):
    """The team's handle on an external platform. Never a password or a token."""

    __tablename__ = "platform_account"
    __table_args__ = (sa.UniqueConstraint("team_id", "platform", "handle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    platform: Mapped[str] = mapped_column(sa.String(20))
    handle: Mapped[str] = mapped_column(sa.String(80))

    team = relationship("Team", back_populates="platform_accounts")


class Membership(db.Model):
    """A person's place in a team; the role lives here. Removal keeps the row and its history."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "person_id"),
        sa.CheckConstraint("role IN ('director', 'editor', 'member')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Availability declared by the member.
    weekly_units: Mapped[int | None]
    weekly_hours: Mapped[int | None]
    availability_note: Mapped[str] = mapped_column(sa.String(200), default="")
    availability_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Public profile: shown only when the member opts in, and then only the handle.
    public_handle: Mapped[str] = mapped_column(sa.String(40), default="")
    show_on_profile: Mapped[bool] = mapped_column(default=False)

    team = relationship("Team", back_populates="memberships")
    person = relationship("Person", back_populates="memberships")
    absences = relationship(
        "Absence",
        back_populates="membership",
        cascade="all, delete-orphan",
        order_by="Absence.starts_on",
    )

    @property
    def active(self) -> bool:
        return self.removed_at is None

    @property
    def is_director(self) -> bool:
        return self.active and self.role == "director"

    @property
    def can_review(self) -> bool:
        return self.active and self.role in ("director", "editor")

    @property
    def role_label(self) -> str:
        return label("role", self.role)


class Absence(db.Model):
    """Dates a member is away (a child's illness, care duties); both days included."""

    __tablename__ = "absence"
    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("membership.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    membership = relationship("Membership", back_populates="absences")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Invitation(db.Model):
    """A one-time, expiring link to join a team. Only the token's hash is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(20), default="member")
    note: Mapped[str] = mapped_column(sa.String(120), default="")
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team = relationship("Team")
    created_by = relationship("Person", foreign_keys=[created_by_id])
    accepted_by = relationship("Person", foreign_keys=[accepted_by_id])

    def is_pending(self, now: datetime) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
