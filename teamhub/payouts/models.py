"""Payout closes and the ledger behind every statement.

Ledger entries are never updated or deleted: a correction is a reversal plus a new entry. The
entries of one close always sum to zero (money in from the platform = team fee + members' gross +
what the team keeps), and a member's withholding moves yen from their account to the tax office.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db

CLOSE_STATUSES = ("confirmed", "paid")

# Ledger accounts. Signs: the platform's money comes in positive, where it goes is negative.
RECEIVED = "received"
TEAM_FEE = "team_fee"
MEMBER = "member"  # a member's gross share (negative); withholding adds it back (positive)
TAX_OFFICE = "tax_office"  # withholding owed to the tax office (negative)
RETAINED = "retained"  # distributable yen no member earned (for example units the director kept)
ACCOUNTS = (RECEIVED, TEAM_FEE, MEMBER, TAX_OFFICE, RETAINED)


class FeeScheduleRow(db.Model):
    """A platform's fee schedule as data; the operator may edit it, money.fee_for reads it."""

    __tablename__ = "fee_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    # [[upper_bound_yen or null, rate_bp], …] in ascending order, the last one unbounded
    tiers: Mapped[list] = mapped_column(sa.JSON)
    base: Mapped[str] = mapped_column(sa.String(10), default="incl_tax")
    fee_tax_rate_bp: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PayoutClose(db.Model):
    """One team's payout for one period; at most one per team and period, whoever asks."""

    __tablename__ = "payout_close"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "period_end"),
        sa.UniqueConstraint("id", "team_id"),  # what a ledger entry's (close, team) refers to
        sa.CheckConstraint("status IN ('confirmed', 'paid')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"))
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[str] = mapped_column(sa.String(20), default="confirmed")
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    paid_on: Mapped[date | None]
    marked_paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team = relationship("Team")


class ClosedJob(db.Model):
    """A job whose money a close distributed; a job is distributed once, by a close of its
    team."""

    __tablename__ = "closed_job"
    __table_args__ = (
        sa.UniqueConstraint("job_id"),
        # What a ledger entry's (close, job, team) refers to (migration 0010).
        sa.UniqueConstraint("close_id", "job_id", "team_id"),
        sa.ForeignKeyConstraint(
            ["close_id", "team_id"], ["payout_close.id", "payout_close.team_id"]
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    close_id: Mapped[int] = mapped_column(index=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("job.id"))
    team_id: Mapped[int]


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.Index("ix_ledger_entry_close_membership", "close_id", "membership_id"),
        # Statements and earnings by member, answered from the index alone (migration 0006); it
        # also serves every other read by member. No query reads by team (migration 0007).
        sa.Index(
            "ix_ledger_entry_membership_account",
            "membership_id",
            "account",
            postgresql_include=["close_id", "amount_yen"],
        ),
        # An entry is reversed at most once. Partial: almost every entry reverses nothing, and
        # the index need not hold all their nulls (migration 0009).
        sa.Index(
            "uq_ledger_entry_reverses_id",
            "reverses_id",
            unique=True,
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
        ),
        # An entry's job is one its close distributed, and its team the close's team: one key
        # checks the three (migration 0010).
        sa.ForeignKeyConstraint(
            ["close_id", "job_id", "team_id"],
            ["closed_job.close_id", "closed_job.job_id", "closed_job.team_id"],
            name="fk_ledger_entry_close_id_closed_job",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"], ["assignment.id"], name="fk_ledger_entry_assignment_id_assignment"
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["membership.id"], name="fk_ledger_entry_membership_id_membership"
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["ledger_entry.id"], name="fk_ledger_entry_reverses_id_ledger_entry"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["person.id"], name="fk_ledger_entry_created_by_id_person"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int]
    close_id: Mapped[int]
    job_id: Mapped[int]
    assignment_id: Mapped[int | None]
    membership_id: Mapped[int | None]
    account: Mapped[str] = mapped_column(sa.String(20))
    amount_yen: Mapped[int]
    units: Mapped[int] = mapped_column(default=0)
    payment_due_on: Mapped[date | None]
    reverses_id: Mapped[int | None]
    # For member entries: a SHARE of a job's money, or the WITHHOLDING taken from the statement.
    kind: Mapped[str] = mapped_column(sa.String(20), default="")
    note: Mapped[str] = mapped_column(sa.String(300), default="")  # why a correction was made
    created_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


SHARE = "share"
WITHHOLDING = "withholding"


class PaidDay(db.Model):
    """A person's net pay (gross less withholding) on one day they were paid, over every team.

    A summary of the ledger, rebuilt for the people concerned whenever a close is marked paid or a
    paid close is corrected (``services.refresh_paid_days``), so an outcome report of 10,000
    trainees reads one row per paid day instead of grouping two years of statements. The ledger
    stays the record; tests check that this table always equals it.
    """

    __tablename__ = "paid_day"
    __table_args__ = (
        # A report's earnings window: the recent paid days of everyone, read from the index alone.
        sa.Index("ix_paid_day_paid_on", "paid_on", "person_id", postgresql_include=["net_yen"]),
    )

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), primary_key=True)
    paid_on: Mapped[date] = mapped_column(primary_key=True)
    net_yen: Mapped[int]


class FirstPaidDay(db.Model):
    """The first day a person was paid more than zero, over every team: the earliest
    :class:`PaidDay` with net pay above zero, kept beside it by the same rebuild."""

    __tablename__ = "first_paid_day"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), primary_key=True)
    paid_on: Mapped[date]


class LedgerIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a posted ledger entry."""


@sa.event.listens_for(LedgerEntry, "before_update")
def _refuse_update(_mapper, _connection, entry):
    raise LedgerIsAppendOnly(f"ledger entry {entry.id} is posted; post a reversal instead")


@sa.event.listens_for(LedgerEntry, "before_delete")
def _refuse_delete(_mapper, _connection, entry):
    raise LedgerIsAppendOnly(f"ledger entry {entry.id} is posted; post a reversal instead")
