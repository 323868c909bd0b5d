"""How one job's money is split: team fee, fixed amounts, shares by units, due dates.

Plain arithmetic over a job and its approved work; nothing here reads or writes the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask_babel import gettext as _

from teamhub import money
from teamhub.assignments.terms import SIXTY_DAY_PAYER_TYPES
from teamhub.clock import JST
from teamhub.errors import Invalid
from teamhub.jobs.models import WITHHOLDING_CATEGORIES, Job
from teamhub.payouts import periods
from teamhub.teams.models import Membership, Team

PAY_DAYS_AFTER_CLOSE = 10  # payers without employees: paid within 10 days of the close


class ApprovedWork(NamedTuple):
    """What a close needs of an approved assignment: a tuple read from plain rows, not an ORM
    object, since one team's month may hold 100,000 of them."""

    id: int
    job_id: int
    membership_id: int
    units: int
    pay_basis: str
    fixed_yen: int | None
    received_at: datetime  # when the team received the work: its first delivery, or approval
    job: Job
    membership: Membership


class Share(NamedTuple):
    """One member's pay for one approved assignment."""

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
    from receipt of the work, day 1 included, or 30 after the platform pays)."""
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


def statements(settlements: list[Settlement]) -> list[StatementPreview]:
    """One statement per member, in the order of their memberships."""
    found: dict[int, StatementPreview] = {}
    for settlement in settlements:
        for share in settlement.shares:
            m = share.assignment.membership
            found.setdefault(m.id, StatementPreview(m)).shares.append(share)
    return sorted(found.values(), key=lambda s: s.membership.id)


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
