"""Jobs a team wins: the contract, escrow, the scam guard and the split into assignments."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.assignments import terms
from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db

SOURCE_LABELS = {
    "lancers": _l("Lancers"),
    "crowdworks": _l("CrowdWorks"),
    "shufti": _l("Shufti"),
    "direct": _l("Direct from the client"),
}
SOURCES = tuple(SOURCE_LABELS)
# Platforms that hold the client's money in escrow (仮払い) before work starts.
ESCROW_SOURCES = frozenset({"lancers", "crowdworks", "shufti"})

FORMAT_LABELS = {
    "project": _l("Project"),
    "competition": _l("Competition"),
    "task": _l("Task"),
}
FORMATS = tuple(FORMAT_LABELS)

CATEGORY_LABELS = {
    "writing": _l("Writing"),
    "design": _l("Design"),
    "illustration": _l("Illustration"),
    "translation": _l("Translation"),
    "photo": _l("Photography"),
    "programming": _l("Programming"),
    "data_entry": _l("Data entry"),
    "other": _l("Other"),
}
CATEGORIES = tuple(CATEGORY_LABELS)
# Fees that an employer-payer must withhold income tax on (written once, beside the terms
# notices that state it).
WITHHOLDING_CATEGORIES = terms.WITHHOLDING_CATEGORIES

JOB_STATUSES = ("open", "cancelled")


def escrow_ready(source: str, escrow_confirmed_at: datetime | None) -> bool:
    """Whether members may start work: the platform holds the client's money, or needs not."""
    return source not in ESCROW_SOURCES or escrow_confirmed_at is not None


def scam_cleared(scam_reasons: list, scam_acknowledged_at: datetime | None) -> bool:
    """Whether the job may be split: the scam guard flagged nothing, or a director
    acknowledged its reasons."""
    return not scam_reasons or scam_acknowledged_at is not None


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (
        sa.CheckConstraint("contract_yen >= 0", name="contract_not_negative"),
        sa.CheckConstraint("unit_count >= 1", name="at_least_one_unit"),
        sa.CheckConstraint("kept_units >= 0", name="kept_not_negative"),
        sa.CheckConstraint(
            "received_yen IS NULL OR received_yen >= 0", name="received_not_negative"
        ),
        sa.CheckConstraint(
            "team_fee_bp IS NULL OR (team_fee_bp >= 0 AND team_fee_bp <= 5000)",
            name="team_fee_range",
        ),
        sa.Index("ix_job_team_status_due", "team_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"))
    title: Mapped[str] = mapped_column(sa.String(120))
    client_name: Mapped[str] = mapped_column(sa.String(80))
    source: Mapped[str] = mapped_column(sa.String(20))
    format: Mapped[str] = mapped_column(sa.String(20), default="project")
    category: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    contract_yen: Mapped[int]  # before consumption tax
    tax_yen: Mapped[int]  # 10%, fraction dropped
    tax_shown_separately: Mapped[bool] = mapped_column(default=True)
    unit_name: Mapped[str] = mapped_column(sa.String(60))
    unit_count: Mapped[int]
    # Units the director keeps for themself (not offered to members).
    kept_units: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expected_payment_on: Mapped[date | None]
    required_skills: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    escrow_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escrow_confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    scam_reasons: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)
    scam_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    scam_acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    # What the platform actually paid out (its statement wins over the fee estimate).
    received_yen: Mapped[int | None]
    received_on: Mapped[date | None]
    # The team fee for this job in basis points; None means the team's rate.
    team_fee_bp: Mapped[int | None]
    # A re-entrustment notice names the original client: pay within 30 days of the platform paying.
    reentrustment: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default="open")
    cancel_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every saved split; a save naming an older version is refused (optimistic lock).
    split_version: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team = relationship("Team")
    assignments = relationship(
        "Assignment", back_populates="job", order_by="Assignment.id", lazy="raise"
    )

    @property
    def total_incl_tax_yen(self) -> int:
        return self.contract_yen + self.tax_yen

    @property
    def needs_escrow(self) -> bool:
        return self.source in ESCROW_SOURCES

    @property
    def escrow_ready(self) -> bool:
        return escrow_ready(self.source, self.escrow_confirmed_at)

    @property
    def scam_flagged(self) -> bool:
        return bool(self.scam_reasons)

    @property
    def scam_cleared(self) -> bool:
        return scam_cleared(self.scam_reasons, self.scam_acknowledged_at)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS[self.format])
