"""Payouts: what the team received, the team fee, members' shares, withholding, closes, ledger.

A close is computed from approved work on jobs whose money was received, then posted to the
append-only ledger once per team and period; statements are read back from the ledger.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from teamhub import money
from teamhub.assignments.models import ACTIVE_STATES, Assignment
from teamhub.assignments.terms import SIXTY_DAY_PAYER_TYPES
from teamhub.auth.models import Person
from teamhub.auth.services import require_operator
from teamhub.clock import JST, today_jst, utcnow
from teamhub.database import read_rows, sql_constant
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.jobs.models import WITHHOLDING_CATEGORIES, Job
from teamhub.money import bp_to_percent, percent_to_bp
from teamhub.notifications import events
from teamhub.payouts import periods
from teamhub.payouts.models import (
    MEMBER,
    RECEIVED,
    RETAINED,
    SHARE,
    TAX_OFFICE,
    TEAM_FEE,
    WITHHOLDING,
    ClosedJob,
    FeeScheduleRow,
    FirstPaidDay,
    LedgerEntry,
    PaidDay,
    PayoutClose,
)
from teamhub.payouts.queries import PersonIds, first_paid_per_person, net_paid_per_day
from teamhub.teams.models import Membership, Team

PAY_DAYS_AFTER_CLOSE = 10  # payers without employees: paid within 10 days of the close


def fee_schedule(code: str) -> money.FeeSchedule:
    """The platform's fee schedule as stored (editable data), else the shipped default."""
    row = db.session.scalar(sa.select(FeeScheduleRow).where(FeeScheduleRow.code == code))
    if row is None:
        return money.DEFAULT_FEE_SCHEDULES[code]
    tiers = tuple(money.FeeTier(bound, rate) for bound, rate in row.tiers)
    return money.FeeSchedule(row.code, row.name, tiers, row.base, row.fee_tax_rate_bp)


def estimated_received(job: Job) -> int:
    """What the platform should pay out: the tax-inclusive total less its fee."""
    fee = money.fee_for(fee_schedule(job.source), job.total_incl_tax_yen, job.tax_yen)
    return job.total_incl_tax_yen - fee


def record_receipt(
    job: Job, received_yen: int, received_on: date, team_fee_bp: int | None = None,
    reentrustment: bool = False,
) -> None:  # fmt: skip
    """Record what the platform actually paid (it wins over the estimate) and the job's team fee."""
    reasons = {}
    if not 0 <= received_yen <= job.total_incl_tax_yen:
        reasons["received_yen"] = _("Enter the yen received, at most the contract total with tax.")
    if received_on > today_jst():
        reasons["received_on"] = _("The payment date cannot be in the future.")
    if team_fee_bp is not None and not 0 <= team_fee_bp <= 5000:
        reasons["team_fee"] = _("Enter a percentage from 0 to 50.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)
    if db.session.scalar(sa.select(ClosedJob.id).where(ClosedJob.job_id == job.id)):
        raise Conflict(_("This job's money was already paid out; correct it on the close instead."))
    job.received_yen = received_yen
    job.received_on = received_on
    job.team_fee_bp = team_fee_bp
    job.reentrustment = reentrustment
    db.session.flush()


class Share(NamedTuple):
    """One member's pay for one approved assignment. A tuple: a national close makes 100,000."""

    assignment: ApprovedWork
    gross_yen: int
    withholding_applies: bool
    payment_due_on: date


@dataclass
class Settlement:
    job: Job
    received_yen: int
    team_fee_yen: int
    shares: list[Share]
    retained_yen: int

    @property
    def distributable_yen(self) -> int:
        return self.received_yen - self.team_fee_yen


def _due_rule(team: Team, job: Job, period_end: date) -> Callable[[ApprovedWork], date]:
    """The payment due date of each approved assignment of one job (Freelance Act art. 4: 60 days
    from receipt of the work, day 1 included, or 30 after the platform pays), the job-wide part
    decided once."""
    if team.payer_type not in SIXTY_DAY_PAYER_TYPES:
        return _fixed_day(period_end + timedelta(days=PAY_DAYS_AFTER_CLOSE))
    if job.reentrustment and job.received_on is not None:
        return _fixed_day(job.received_on + timedelta(days=29))
    return _sixty_days_from_receipt


def _fixed_day(day: date) -> Callable[[ApprovedWork], date]:
    return lambda _work: day


def _sixty_days_from_receipt(work: ApprovedWork) -> date:
    return work.received_at.astimezone(JST).date() + timedelta(days=59)


def settle(team: Team, job: Job, approved: list[ApprovedWork], period_end: date) -> Settlement:
    """Split what a job brought in: team fee, fixed amounts first, the rest by approved units."""
    received = job.received_yen or 0
    fee = money.team_fee(received, team.fee_rate_bp if job.team_fee_bp is None else job.team_fee_bp)
    fixed = [a for a in approved if a.pay_basis == "fixed"]
    by_units = [a for a in approved if a.pay_basis == "units"]
    weights = [a.units for a in by_units] + [job.kept_units]
    try:
        fixed_yen, unit_yen = money.distribute(
            received - fee, [a.fixed_yen or 0 for a in fixed], weights
        )
    except money.FixedExceedsDistributable as error:
        raise Invalid(
            _(
                "%(job)s: the fixed amounts (¥%(fixed)s) are more than the ¥%(available)s left "
                "after the team fee. Correct the received amount or the fixed amounts.",
                job=job.title,
                fixed=f"{error.fixed_total_yen:,}",
                available=f"{error.distributable_yen:,}",
            )
        ) from error
    withholds = team.withholds and job.category in WITHHOLDING_CATEGORIES
    due_on = _due_rule(team, job, period_end)
    paid = [*fixed_yen, *unit_yen[: len(by_units)]]
    shares = [
        Share(a, yen, withholds, due_on(a))
        for a, yen in zip([*fixed, *by_units], paid, strict=True)
    ]
    retained = received - fee - sum(paid)
    return Settlement(job, received, fee, shares, retained)


@dataclass
class StatementPreview:
    membership: Membership
    shares: list[Share] = field(default_factory=list)

    @property
    def gross_yen(self) -> int:
        return sum(s.gross_yen for s in self.shares)

    @property
    def withheld_yen(self) -> int:
        return money.withholding(sum(s.gross_yen for s in self.shares if s.withholding_applies))

    @property
    def net_yen(self) -> int:
        return self.gross_yen - self.withheld_yen

    @property
    def payment_due_on(self) -> date:
        return min(s.payment_due_on for s in self.shares)


@dataclass
class ClosePreview:
    team: Team
    period_start: date
    period_end: date
    settlements: list[Settlement]
    statements: list[StatementPreview]

    @property
    def received_yen(self) -> int:
        return sum(s.received_yen for s in self.settlements)

    @property
    def team_fee_yen(self) -> int:
        return sum(s.team_fee_yen for s in self.settlements)

    @property
    def distributed_yen(self) -> int:
        return sum(st.gross_yen for st in self.statements)

    @property
    def withheld_yen(self) -> int:
        return sum(st.withheld_yen for st in self.statements)

    @property
    def retained_yen(self) -> int:
        return sum(s.retained_yen for s in self.settlements)

    @property
    def withholding_due_on(self) -> date:
        return periods.withholding_due_on(self.period_end)


def _eligible_jobs(team: Team, period_end: date) -> list[Job]:
    # Scoped to the team: the (team_id, state, due_at) index answers it, not a scan of all work.
    busy = sa.select(Assignment.job_id).where(
        Assignment.team_id == team.id, Assignment.state.in_(ACTIVE_STATES)
    )
    closed = (
        sa.select(ClosedJob.job_id)
        .join(Job, Job.id == ClosedJob.job_id)
        .where(Job.team_id == team.id)
    )
    return list(
        db.session.scalars(
            sa.select(Job)
            .where(
                Job.team_id == team.id,
                Job.received_yen.is_not(None),
                Job.received_on <= period_end,
                Job.id.not_in(busy),
                Job.id.not_in(closed),
            )
            .order_by(Job.received_on, Job.id)
        )
    )


class ApprovedWork(NamedTuple):
    """What a close needs of an approved assignment: a tuple, read as plain rows and not as ORM
    objects, since one team's month may hold 100,000 of them."""

    id: int
    job_id: int
    membership_id: int
    units: int
    pay_basis: str
    fixed_yen: int | None
    received_at: datetime  # when the team received the work: its first delivery, or approval
    job: Job
    membership: Membership


@functools.cache
def _approved_work_statement() -> sa.Select:
    return (
        sa.select(
            Assignment.id, Assignment.job_id, Assignment.membership_id, Assignment.units,
            Assignment.pay_basis, Assignment.fixed_yen,
            sa.func.coalesce(Assignment.first_submitted_at, Assignment.approved_at).label(
                "received_at"
            ),
        )
        .where(
            Assignment.job_id.in_(sa.bindparam("job_ids", expanding=True)),
            Assignment.state == sql_constant("approved"),
        )
        .order_by(Assignment.id)
    )  # fmt: skip


def _approved_work(team: Team, jobs: list[Job]) -> list[ApprovedWork]:
    if not jobs:
        return []
    by_id = {j.id: j for j in jobs}
    rows = read_rows(_approved_work_statement(), {"job_ids": list(by_id)})
    # The whole team's memberships (a few hundred at most, removed members included): cheaper
    # than collecting the ids of 100,000 rows to ask for them.
    members = {
        m.id: m
        for m in db.session.scalars(
            sa.select(Membership)
            .where(Membership.team_id == team.id)
            .options(selectinload(Membership.person))
        )
    }
    return [ApprovedWork(*row, by_id[row.job_id], members[row.membership_id]) for row in rows]


def _close_work(team: Team, period_end: date) -> tuple[date, list[tuple[Job, list[ApprovedWork]]]]:
    """The period's first day and each job the close distributes with its approved work, after
    checking that ``period_end`` ends a period that is over."""
    start, end = periods.period_containing(team.close_schedule, period_end)
    if end != period_end:
        raise Invalid(_("Choose the last day of a payout period."))
    if period_end >= today_jst():
        raise Invalid(
            _(
                "This period ends on %(date)s. Close it from the next day on, when all its money is in.",
                date=period_end.strftime("%Y/%m/%d"),
            )
        )
    jobs = _eligible_jobs(team, period_end)
    by_job: dict[int, list[ApprovedWork]] = defaultdict(list)
    for a in _approved_work(team, jobs):
        by_job[a.job_id].append(a)
    return start, [(j, by_job[j.id]) for j in jobs if by_job[j.id]]


def _statements(settlements: list[Settlement]) -> list[StatementPreview]:
    """One statement per member, in the order of their memberships."""
    statements: dict[int, StatementPreview] = {}
    for settlement in settlements:
        for share in settlement.shares:
            m = share.assignment.membership
            statements.setdefault(m.id, StatementPreview(m)).shares.append(share)
    return sorted(statements.values(), key=lambda s: s.membership.id)


def preview_close(team: Team, period_end: date) -> ClosePreview:
    """Compute the close for the period ending ``period_end`` without posting anything."""
    start, work = _close_work(team, period_end)
    settlements = [settle(team, job, approved, period_end) for job, approved in work]
    return ClosePreview(team, start, period_end, settlements, _statements(settlements))


def find_close(team: Team, period_end: date) -> PayoutClose | None:
    return db.session.scalar(
        sa.select(PayoutClose).where(
            PayoutClose.team_id == team.id, PayoutClose.period_end == period_end
        )
    )


def _entry(close: PayoutClose, job_id: int, account: str, amount: int, **refs) -> LedgerEntry:
    entry = LedgerEntry(
        team_id=close.team_id, close_id=close.id, job_id=job_id, account=account, amount_yen=amount, **refs
    )  # fmt: skip
    db.session.add(entry)
    return entry


_COLUMNS = (
    "team_id", "close_id", "created_by_id", "created_at", "job_id", "account", "amount_yen",
    "assignment_id", "membership_id", "units", "payment_due_on", "kind", "note", "reverses_id",
)  # fmt: skip
# Their PostgreSQL types, for COPY in binary: PostgreSQL then parses no text (~0.3 s less of a
# 105,000-entry close, half the client's time). A type that no longer matches the table fails
# the COPY (and the close tests on PostgreSQL), it cannot write a wrong value.
_PG_TYPES = (
    "int4", "int4", "int4", "timestamptz", "int4", "varchar", "int4",
    "int4", "int4", "int4", "date", "varchar", "varchar", "int4",
)  # fmt: skip


def _line(head: tuple, job_id: int, account: str, amount: int, member_id=None, kind="") -> tuple:
    """A ledger row without an assignment: received, fees, kept yen, withholding."""
    return (*head, job_id, account, amount, None, member_id, 0, None, kind, "", None)


def _post(
    close: PayoutClose, team: Team, work: list[tuple[Job, list[ApprovedWork]]], by_id: int | None
) -> None:
    """Post the close's entries in bulk: a national team's month is 100,000 lines, too many to
    build and flush one ORM object at a time (38 s; in bulk, a few seconds). Rows are plain
    tuples in ``_COLUMNS`` order, settled job by job as they are sent, so PostgreSQL checks and
    writes the first jobs' entries while the next are settled. A job that cannot be settled
    (``Invalid``) stops the close: the caller takes back what was sent."""
    if not work:
        return
    closed = [{"close_id": close.id, "job_id": job.id, "team_id": close.team_id} for job, _ in work]
    db.session.execute(sa.insert(ClosedJob), closed)
    _insert_entries(_entries(close, team, work, by_id))


def _entries(
    close: PayoutClose, team: Team, work: list[tuple[Job, list[ApprovedWork]]], by_id: int | None
) -> Iterator[tuple]:
    head = (close.team_id, close.id, by_id, utcnow())
    settlements = []
    for job, approved in work:
        s = settle(team, job, approved, close.period_end)
        settlements.append(s)
        job_id = job.id
        yield _line(head, job_id, RECEIVED, s.received_yen)
        yield _line(head, job_id, TEAM_FEE, -s.team_fee_yen)
        for a, gross, _withholds, due_on in s.shares:
            yield (*head, job_id, MEMBER, -gross, a.id, a.membership_id, a.units, due_on, SHARE,
                   "", None)  # fmt: skip
        if s.retained_yen:
            yield _line(head, job_id, RETAINED, -s.retained_yen)
    for statement in _statements(settlements):
        if withheld := statement.withheld_yen:
            job_id, member_id = statement.shares[0].assignment.job_id, statement.membership.id
            for account, amount in ((MEMBER, withheld), (TAX_OFFICE, -withheld)):
                yield _line(head, job_id, account, amount, member_id, WITHHOLDING)


def _insert_entries(rows: Iterable[tuple]) -> None:
    """Insert ledger rows: PostgreSQL's COPY where it runs, a batched INSERT elsewhere."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(
            sa.insert(LedgerEntry), [dict(zip(_COLUMNS, r, strict=True)) for r in rows]
        )
        return
    with (
        connection.connection.driver_connection.cursor() as cursor,
        cursor.copy(
            f"COPY ledger_entry ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
        ) as copy,
    ):
        copy.set_types(_PG_TYPES)
        for row in rows:
            copy.write_row(row)


def _post_withholding(close, job_id: int, membership_id: int, withheld_yen: int, **refs) -> None:
    """Withholding moves yen from the member's pay to the tax office: two entries that balance."""
    if not withheld_yen:
        return
    refs |= {"membership_id": membership_id, "kind": WITHHOLDING}
    _entry(close, job_id, MEMBER, withheld_yen, **refs)
    _entry(close, job_id, TAX_OFFICE, -withheld_yen, **refs)


def confirm_close(team: Team, period_end: date, by: Person | None) -> PayoutClose:
    """Post the period's close once: a repeat, a retry or a second scheduler gets the same close.
    All of it or nothing: a job that cannot be settled takes back the close and what was sent."""
    existing = find_close(team, period_end)
    if existing is not None:
        return existing
    start, work = _close_work(team, period_end)
    close = PayoutClose(
        team_id=team.id, period_start=start, period_end=period_end,
        confirmed_by_id=by.id if by else None,
    )  # fmt: skip
    with db.session.begin_nested():
        try:
            with db.session.begin_nested():
                db.session.add(close)
                db.session.flush()
        except IntegrityError:
            close = None  # another confirmation made it first
        if close is not None:
            _post(close, team, work, by.id if by else None)
            db.session.flush()
    if close is None:
        return find_close(team, period_end)
    events.close_confirmed(close)
    return close


def mark_paid(close: PayoutClose, paid_on: date) -> None:
    """Record the day the members were paid."""
    if paid_on > today_jst():
        message = _("The payment date cannot be in the future.")
        raise Invalid(message, {"paid_on": message})
    if paid_on < close.period_end:
        message = _("Members cannot be paid before the period ends.")
        raise Invalid(message, {"paid_on": message})
    close.status = "paid"
    close.paid_on = paid_on
    close.marked_paid_at = utcnow()
    db.session.flush()
    refresh_paid_days(_paid_people(close))


def _paid_people(close: PayoutClose) -> sa.Select:
    return (
        sa.select(Membership.person_id)
        .join(LedgerEntry, LedgerEntry.membership_id == Membership.id)
        .where(LedgerEntry.close_id == close.id, LedgerEntry.account == MEMBER)
        .distinct()
    )


def refresh_paid_days(person_ids: PersonIds) -> None:
    """Rebuild these people's paid days (:class:`PaidDay`, :class:`FirstPaidDay`) from the ledger.

    The people's rows are locked first, so two directors marking closes paid at once for someone
    in both teams take turns, and the second rebuild sees the first close paid.
    """
    people = sorted(
        db.session.scalars(
            sa.select(Person.id).where(Person.id.in_(person_ids)).with_for_update()
        ).all()
    )
    if not people:
        return
    db.session.execute(sa.delete(PaidDay).where(PaidDay.person_id.in_(people)))
    db.session.execute(sa.delete(FirstPaidDay).where(FirstPaidDay.person_id.in_(people)))
    db.session.execute(
        sa.insert(PaidDay).from_select(
            ["person_id", "paid_on", "net_yen"], net_paid_per_day(people)
        )
    )
    db.session.execute(
        sa.insert(FirstPaidDay).from_select(["person_id", "paid_on"], first_paid_per_person(people))
    )


def _reverse(entry: LedgerEntry, note: str, by_id: int | None) -> LedgerEntry:
    """Post the mirror image of ``entry``; the unique reverses_id means it happens once."""
    return _entry(
        db.session.get(PayoutClose, entry.close_id), entry.job_id, entry.account, -entry.amount_yen,
        assignment_id=entry.assignment_id, membership_id=entry.membership_id, units=-entry.units,
        payment_due_on=entry.payment_due_on, kind=entry.kind, reverses_id=entry.id, note=note,
        created_by_id=by_id,
    )  # fmt: skip


def _live(close: PayoutClose, membership_id: int, kind: str) -> list[LedgerEntry]:
    """The member's entries of one kind in the close that stand: neither reversed nor reversals."""
    reversed_ids = sa.select(LedgerEntry.reverses_id).where(
        LedgerEntry.close_id == close.id, LedgerEntry.reverses_id.is_not(None)
    )
    return list(
        db.session.scalars(
            sa.select(LedgerEntry)
            .where(
                LedgerEntry.close_id == close.id,
                LedgerEntry.membership_id == membership_id,
                LedgerEntry.kind == kind,
                LedgerEntry.reverses_id.is_(None),
                LedgerEntry.id.not_in(reversed_ids),
            )
            .order_by(LedgerEntry.id)
        )
    )


def _withholdable_gross(team: Team, close: PayoutClose, membership_id: int) -> int:
    if not team.withholds:
        return 0
    return -(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_yen), 0))
            .join(Job, Job.id == LedgerEntry.job_id)
            .where(
                LedgerEntry.close_id == close.id,
                LedgerEntry.membership_id == membership_id,
                LedgerEntry.kind == SHARE,
                Job.category.in_(WITHHOLDING_CATEGORIES),
            )
        )
    )


def correct_share(
    team: Team, close: PayoutClose, entry_id: int, gross_yen: int, reason: str, by: Person | None
) -> LedgerEntry:
    """Correct one line of a posted statement: reverse it, post the right amount, redo withholding.

    Nothing posted changes. The difference comes from (or goes back to) what the team kept, so the
    close still balances to the yen; the member's withholding is reversed and posted again on the
    corrected pay.
    """
    by_id = by.id if by else None
    line = db.session.get(LedgerEntry, entry_id)
    if line is None or line.close_id != close.id or line.kind != SHARE or line.reverses_id:
        raise NotFound(_("This statement line does not exist in this close."))
    if line not in _live(close, line.membership_id, SHARE):
        raise Conflict(_("This line was already corrected. Correct the newest line instead."))
    reasons = {}
    if gross_yen < 0:
        reasons["gross_yen"] = _("Enter the corrected pay in whole yen, 0 or more.")
    elif gross_yen == -line.amount_yen:
        reasons["gross_yen"] = _("That is the amount already on the statement.")
    if not reason.strip():
        reasons["reason"] = _("Say why the line is corrected; the member sees it.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)
    _reverse(line, reason, by_id)
    corrected = _entry(
        close, line.job_id, MEMBER, -gross_yen, assignment_id=line.assignment_id,
        membership_id=line.membership_id, units=line.units, payment_due_on=line.payment_due_on,
        kind=SHARE, note=reason, created_by_id=by_id,
    )  # fmt: skip
    _entry(
        close, line.job_id, RETAINED, gross_yen + line.amount_yen, note=reason, created_by_id=by_id
    )
    db.session.flush()
    _redo_withholding(team, close, line, reason, by_id)
    db.session.flush()
    if close.status == "paid":
        membership = db.session.get(Membership, line.membership_id)
        refresh_paid_days([membership.person_id])
    return corrected


def _redo_withholding(
    team: Team, close: PayoutClose, line: LedgerEntry, reason: str, by_id
) -> None:
    for entry in _live(close, line.membership_id, WITHHOLDING):  # member and tax-office sides
        _reverse(entry, reason, by_id)
    amount = money.withholding(_withholdable_gross(team, close, line.membership_id))
    _post_withholding(
        close, line.job_id, line.membership_id, amount, note=reason, created_by_id=by_id
    )


def fee_schedules() -> list[money.FeeSchedule]:
    """Every platform's schedule as estimates use it: stored, else the shipped default."""
    return [fee_schedule(code) for code in money.DEFAULT_FEE_SCHEDULES]


def parse_tiers(text: str) -> tuple[money.FeeTier, ...]:
    """Read tiers written one per line as "upper bound yen: rate %", the last without a bound.

    For example "100000: 20 / 200000: 10 / : 5" (one per line) is CrowdWorks' schedule.
    """
    tiers = []
    for number, raw in enumerate(text.strip().splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).replace(",", "").replace("¥", "").strip()
        if not line:
            continue
        bound, _colon, rate = line.rpartition(":")
        rate_bp = percent_to_bp(rate.strip())
        try:
            upper = int(bound) if bound.strip() else None
            tiers.append(money.FeeTier(upper, rate_bp if rate_bp is not None else -1))
        except ValueError as error:
            message = _(
                'Line %(n)d: write "upper bound in yen: rate %%", for example 100000: 20.', n=number
            )
            raise Invalid(message, {"tiers": message}) from error
    return tuple(tiers)


def update_fee_schedule(
    by: Person, code: str, tiers_text: str, fee_tax_rate_bp: int | None
) -> None:
    """The operator changes a platform's published schedule; estimates follow from now on."""
    require_operator(by)
    current = fee_schedule(code)
    tiers = parse_tiers(tiers_text)
    try:
        tax_bp = fee_tax_rate_bp if fee_tax_rate_bp is not None else -1
        schedule = money.FeeSchedule(code, current.name, tiers, current.base, tax_bp)
    except ValueError as error:
        message = _(
            "The tiers must rise, and only the last one has no upper bound. "
            "The fee tax is 0 to 50 %%."
        )
        raise Invalid(message, {"tiers": message}) from error
    row = db.session.scalar(sa.select(FeeScheduleRow).where(FeeScheduleRow.code == code))
    if row is None:
        row = FeeScheduleRow(code=code, name=current.name, base=current.base)
        db.session.add(row)
    row.tiers = [[t.upper_bound_yen, t.rate_bp] for t in schedule.tiers]
    row.fee_tax_rate_bp = schedule.fee_tax_rate_bp
    row.updated_at = utcnow()
    db.session.flush()


def tiers_text(schedule: money.FeeSchedule) -> str:
    return "\n".join(
        f"{'' if t.upper_bound_yen is None else t.upper_bound_yen}: {bp_to_percent(t.rate_bp)}"
        for t in schedule.tiers
    )
