"""Statements and earnings, read back from the ledger (the one record of what was paid)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from teamhub.assignments.models import Assignment
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts.models import (
    MEMBER,
    RECEIVED,
    RETAINED,
    TAX_OFFICE,
    TEAM_FEE,
    WITHHOLDING,
    FirstPaidDay,
    LedgerEntry,
    PaidDay,
    PayoutClose,
)
from teamhub.teams.models import Membership, Team
from teamhub.teams.queries import TeamAccess


def team_close(team: Team, close_id: int) -> PayoutClose:
    close = db.session.get(PayoutClose, close_id)
    if close is None or close.team_id != team.id:
        raise NotFound(_("This payout close does not exist in this team."))
    return close


def closes_of(team: Team) -> list[PayoutClose]:
    return list(
        db.session.scalars(
            sa.select(PayoutClose)
            .where(PayoutClose.team_id == team.id)
            .order_by(PayoutClose.period_end.desc())
        )
    )


@dataclass
class StatementLine:
    entry_id: int
    job_title: str
    units: int
    gross_yen: int
    payment_due_on: date | None
    note: str = ""
    reversal: bool = False  # this line cancels an earlier one
    reversed: bool = False  # a later line cancelled this one

    @property
    def correctable(self) -> bool:
        return not (self.reversal or self.reversed)


@dataclass
class Statement:
    close: PayoutClose
    membership: Membership
    lines: list[StatementLine] = field(default_factory=list)
    withheld_yen: int = 0

    @property
    def gross_yen(self) -> int:
        return sum(line.gross_yen for line in self.lines)

    @property
    def net_yen(self) -> int:
        return self.gross_yen - self.withheld_yen

    @property
    def payment_due_on(self) -> date | None:
        dues = [line.payment_due_on for line in self.lines if line.payment_due_on]
        return min(dues) if dues else None


def statements(close: PayoutClose, membership_id: int | None = None) -> list[Statement]:
    """Every member's statement in a close (or one member's), from the posted entries."""
    query = (
        sa.select(LedgerEntry, Job.title)
        .join(Job, Job.id == LedgerEntry.job_id)
        .where(LedgerEntry.close_id == close.id, LedgerEntry.account == MEMBER)
        .order_by(LedgerEntry.id)
    )
    if membership_id is not None:
        query = query.where(LedgerEntry.membership_id == membership_id)
    rows = db.session.execute(query).all()
    members = {
        m.id: m
        for m in db.session.scalars(
            sa.select(Membership)
            .where(Membership.id.in_({e.membership_id for e, _t in rows}))
            .options(joinedload(Membership.person))
        )
    }
    reversed_ids = {e.reverses_id for e, _t in rows if e.reverses_id}
    result: dict[int, Statement] = {}
    for entry, title in rows:
        statement = result.setdefault(
            entry.membership_id, Statement(close, members[entry.membership_id])
        )
        if entry.kind == WITHHOLDING:
            statement.withheld_yen += entry.amount_yen
        else:
            statement.lines.append(
                StatementLine(
                    entry.id,
                    title,
                    entry.units,
                    -entry.amount_yen,
                    entry.payment_due_on,
                    entry.note,
                    reversal=entry.reverses_id is not None,
                    reversed=entry.id in reversed_ids,
                )
            )
    return sorted(result.values(), key=lambda s: s.membership.id)


def _no_statement() -> NotFound:
    return NotFound(_("This statement does not exist or is not yours."))


def team_statement(team: Team, close_id: int, membership_id: int) -> Statement:
    """One member's statement in a close of ``team``; 404 when there is none."""
    found = statements(team_close(team, close_id), membership_id)
    if not found:
        raise _no_statement()
    return found[0]


def visible_statement(access: TeamAccess, close_id: int, membership_id: int) -> Statement:
    """A statement for its own member or a director of the team; anyone else gets 404, as if
    it did not exist."""
    if not (access.is_director or access.membership.id == membership_id):
        raise _no_statement()
    return team_statement(access.team, close_id, membership_id)


@dataclass(frozen=True)
class CloseSummary:
    received_yen: int
    team_fee_yen: int
    distributed_yen: int
    withheld_yen: int
    retained_yen: int

    @property
    def balance_yen(self) -> int:
        """Always zero: every yen received is accounted for."""
        return self.received_yen - self.team_fee_yen - self.distributed_yen - self.retained_yen


def summary(close: PayoutClose) -> CloseSummary:
    totals = dict(
        db.session.execute(
            sa.select(LedgerEntry.account, sa.func.sum(LedgerEntry.amount_yen))
            .where(LedgerEntry.close_id == close.id)
            .group_by(LedgerEntry.account)
        ).all()
    )
    withheld = -(totals.get(TAX_OFFICE) or 0)
    return CloseSummary(
        received_yen=totals.get(RECEIVED) or 0,
        team_fee_yen=-(totals.get(TEAM_FEE) or 0),
        distributed_yen=-(totals.get(MEMBER) or 0) + withheld,
        withheld_yen=withheld,
        retained_yen=-(totals.get(RETAINED) or 0),
    )


@dataclass
class EarningsRow:
    period: date  # the first day of the month (or of the year) the row adds up
    gross_yen: int = 0
    withheld_yen: int = 0

    @property
    def net_yen(self) -> int:
        return self.gross_yen - self.withheld_yen


def earnings(statements: list[StatementRef]) -> tuple[list[EarningsRow], list[EarningsRow]]:
    """A member's gross, withheld and net by month and by year (newest first), from their
    statements (:func:`statements_of`): no second read of the ledger."""
    months: dict[str, EarningsRow] = {}
    years: dict[str, EarningsRow] = {}
    for statement in statements:
        period_end = statement.period_end
        month, year = period_end.replace(day=1), period_end.replace(month=1, day=1)
        for key, bucket in ((month, months), (year, years)):
            row = bucket.setdefault(key, EarningsRow(key))
            row.gross_yen += statement.gross_yen
            row.withheld_yen += statement.withheld_yen
    return sorted(months.values(), key=lambda r: r.period, reverse=True), sorted(
        years.values(), key=lambda r: r.period, reverse=True
    )


def statement_csv(statement: Statement) -> bytes:
    """The statement as CSV that Japanese Excel opens correctly: UTF-8 with a BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["対象期間", "メンバー", "案件", "件数", "報酬額（税込・源泉徴収前）", "支払期日"]
    )
    period = f"{statement.close.period_start:%Y/%m/%d}〜{statement.close.period_end:%Y/%m/%d}"
    name = statement.membership.person.display_name
    for line in statement.lines:
        due = f"{line.payment_due_on:%Y/%m/%d}" if line.payment_due_on else ""
        writer.writerow([period, name, line.job_title, line.units, line.gross_yen, due])
    writer.writerow(["", "", "合計", "", statement.gross_yen, ""])
    writer.writerow(["", "", "源泉徴収税額", "", -statement.withheld_yen, ""])
    writer.writerow(["", "", "差引支払額", "", statement.net_yen, ""])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def statement_csv_name(statement: Statement) -> str:
    return f"statement-{statement.close.period_end:%Y%m%d}-{statement.membership.id}.csv"


def approved_assignment_ids(close: PayoutClose) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(LedgerEntry.assignment_id).where(
                LedgerEntry.close_id == close.id, LedgerEntry.assignment_id.is_not(None)
            )
        )
    )


def jobs_awaiting_receipt(team: Team) -> list[Job]:
    """Jobs with approved work whose money has not been recorded as received."""
    has_approved = sa.select(Assignment.job_id).where(
        Assignment.team_id == team.id, Assignment.state == "approved"
    )
    return list(
        db.session.scalars(
            sa.select(Job)
            .where(Job.team_id == team.id, Job.received_yen.is_(None), Job.id.in_(has_approved))
            .order_by(Job.due_at)
        )
    )


@dataclass(frozen=True)
class StatementRef:
    """A member's statement as their earnings page lists it: the close's id and period."""

    close_id: int
    period_start: date
    period_end: date
    gross_yen: int
    withheld_yen: int

    @property
    def net_yen(self) -> int:
        return self.gross_yen - self.withheld_yen


_WITHHOLDING = LedgerEntry.kind == WITHHOLDING
# A member's statements (bound at each run), newest first, with their totals.
STATEMENTS_OF_MEMBER = (
    sa.select(
        PayoutClose.id,
        PayoutClose.period_start,
        PayoutClose.period_end,
        sa.func.sum(sa.case((_WITHHOLDING, 0), else_=-LedgerEntry.amount_yen)),
        sa.func.sum(sa.case((_WITHHOLDING, LedgerEntry.amount_yen), else_=0)),
    )
    .join(LedgerEntry, LedgerEntry.close_id == PayoutClose.id)
    .where(
        LedgerEntry.membership_id == sa.bindparam("membership_id"), LedgerEntry.account == MEMBER
    )
    .group_by(PayoutClose.id)
    .order_by(PayoutClose.period_end.desc(), PayoutClose.id.desc())
)


def statements_of(membership: Membership) -> list[StatementRef]:
    """The member's statements, newest first, with their totals."""
    rows = db.session.execute(STATEMENTS_OF_MEMBER, {"membership_id": membership.id})
    return [StatementRef(*row) for row in rows]


@dataclass(frozen=True)
class PaymentWarning:
    close: PayoutClose
    due_on: date
    overdue: bool


def payment_warnings(team: Team, today: date, within_days: int = 7) -> list[PaymentWarning]:
    """Confirmed closes not yet paid whose earliest payment date has passed or is near."""
    rows = db.session.execute(
        sa.select(PayoutClose, sa.func.min(LedgerEntry.payment_due_on))
        .join(LedgerEntry, LedgerEntry.close_id == PayoutClose.id)
        .where(PayoutClose.team_id == team.id, PayoutClose.status == "confirmed")
        .group_by(PayoutClose.id)
        .order_by(sa.func.min(LedgerEntry.payment_due_on))
    ).all()
    return [
        PaymentWarning(close, due, due < today)
        for close, due in rows
        if due is not None and (due - today).days <= within_days
    ]


# Person ids as a list, or as a query selecting them (10,000 trainees are better sent as the
# query that finds them than as 10,000 parameters).
PersonIds = list[int] | sa.Select


def _none(person_ids: PersonIds) -> bool:
    return isinstance(person_ids, list) and not person_ids


def net_paid_per_day(person_ids: PersonIds) -> sa.Select:
    """(person, paid day, net yen) grouped from the ledger: what :class:`PaidDay` summarises."""
    return (
        sa.select(Membership.person_id, PayoutClose.paid_on, (-sa.func.sum(LedgerEntry.amount_yen)))
        .join(LedgerEntry, LedgerEntry.membership_id == Membership.id)
        .join(PayoutClose, PayoutClose.id == LedgerEntry.close_id)
        .where(
            Membership.person_id.in_(person_ids),
            LedgerEntry.account == MEMBER,
            PayoutClose.status == "paid",
        )
        .group_by(Membership.person_id, PayoutClose.paid_on)
    )


def first_paid_per_person(person_ids: PersonIds) -> sa.Select:
    """(person, first paid day with net pay above zero) from :class:`PaidDay`: what
    :class:`FirstPaidDay` keeps."""
    return (
        sa.select(PaidDay.person_id, sa.func.min(PaidDay.paid_on))
        .where(PaidDay.person_id.in_(person_ids), PaidDay.net_yen > 0)
        .group_by(PaidDay.person_id)
    )


def net_paid_by_person(
    person_ids: PersonIds, since: date | None = None
) -> list[tuple[int, date, int]]:
    """(person, paid day, net yen) for every paid close that paid these people, in any team
    (paid on ``since`` or later, when given), from the paid-day summary."""
    if _none(person_ids):
        return []
    query = sa.select(PaidDay.person_id, PaidDay.paid_on, PaidDay.net_yen).where(
        PaidDay.person_id.in_(person_ids)
    )
    if since is not None:
        query = query.where(PaidDay.paid_on >= since)
    return [tuple(row) for row in db.session.execute(query)]


def first_paid_on_by_person(person_ids: PersonIds) -> dict[int, date]:
    """Each person's first paid day with net pay above zero, one row per person who has one."""
    if _none(person_ids):
        return {}
    rows = db.session.execute(
        sa.select(FirstPaidDay.person_id, FirstPaidDay.paid_on).where(
            FirstPaidDay.person_id.in_(person_ids)
        )
    )
    return dict(rows.all())
