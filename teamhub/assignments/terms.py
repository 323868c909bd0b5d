"""Terms notices (Freelance Act art. 3): issued with every offer, frozen once accepted.

A change of units, due date or pay issues a new version that the member must accept again;
terms that say the same thing (a due date written with another offset is the same moment) are
never issued again. What a notice says is read through ``notice_format.read``, whatever format
it was written in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

import sqlalchemy as sa

from teamhub import money
from teamhub.assignments.models import Assignment, TermsNotice
from teamhub.assignments.notice_format import CURRENT_FORMAT, moment
from teamhub.claims import claim
from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.teams.models import WITHHOLDING_PAYER_TYPES, Team

# Payer types with employees must pay within 60 days of receiving the work (art. 4).
SIXTY_DAY_PAYER_TYPES = WITHHOLDING_PAYER_TYPES
# Fees that an employer-payer must withhold income tax on (所得税法 204条 1項 1号); the job's
# category names them (jobs.models.CATEGORIES).
WITHHOLDING_CATEGORIES = frozenset({"writing", "design", "illustration", "translation", "photo"})
# Assignments whose units and pay no longer count on their job.
GONE_STATES = ("declined", "cancelled", "reassigned")


class JobPay(NamedTuple):
    """The fixed amounts promised on a job (its live assignments paid a fixed amount) and the
    units those assignments hold: the rest of the job is shared by units."""

    fixed_yen: int = 0
    fixed_units: int = 0


def job_pay(job_id: int) -> JobPay:
    """The job's fixed amounts and their units, over its live assignments, in one query."""
    fixed = Assignment.pay_basis == "fixed"
    row = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((fixed, Assignment.fixed_yen), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((fixed, Assignment.units), else_=0)), 0),
        ).where(Assignment.job_id == job_id, Assignment.state.not_in(GONE_STATES))
    ).one()
    return JobPay(int(row[0]), int(row[1]))


def withholding_applies(team: Team, job) -> bool:
    """Whether the team withholds income tax on this job's fees (DESIGN: Money, 4)."""
    return team.payer_type in WITHHOLDING_PAYER_TYPES and job.category in WITHHOLDING_CATEGORIES


def received_estimate(job) -> int:
    """What the team expects to receive for the job: what the platform paid, once recorded,
    else the tax-inclusive total less the platform's published fee."""
    if job.received_yen is not None:
        return job.received_yen
    total = job.contract_yen + job.tax_yen
    schedule = money.DEFAULT_FEE_SCHEDULES[job.source]
    return total - money.fee_for(schedule, total, job.tax_yen)


def share_estimate(assignment, job, team: Team, pay: JobPay) -> int | None:
    """The share of a units-paid assignment if every unit of the job is approved and the team
    receives what it expects: after the team fee and the fixed amounts, by units."""
    shared_units = job.unit_count - pay.fixed_units
    if assignment.pay_basis != "units" or assignment.units <= 0 or shared_units <= 0:
        return None
    received = received_estimate(job)
    rate = team.fee_rate_bp if job.team_fee_bp is None else job.team_fee_bp
    distributable = received - money.team_fee(received, rate)
    others = max(0, shared_units - assignment.units)
    try:
        _fixed, (share, _rest) = money.distribute(
            distributable, [pay.fixed_yen], [assignment.units, others]
        )
    except money.FixedExceedsDistributable:
        return 0
    return share


def build_terms(
    assignment,
    job,
    team: Team,
    member_name: str,
    issuer_name: str,
    pay: JobPay,
    issued_at: datetime | None = None,
) -> dict:
    """The content of a notice: both parties, the date, the work, due date, fee (with the
    withholding and, for a share, its estimate), payment date (``job``: the assignment's job;
    ``pay``: the job's fixed amounts, :func:`job_pay`)."""
    estimate = share_estimate(assignment, job, team, pay)
    fee = assignment.fixed_yen if assignment.pay_basis == "fixed" else estimate
    withholds = withholding_applies(team, job)
    return {
        "format": CURRENT_FORMAT,
        "team": team.name,
        "team_invoice_number": team.invoice_number or "",
        "issuer": issuer_name,
        "member": member_name,
        "issued_on": (issued_at or utcnow()).astimezone(JST).date().isoformat(),
        "job": job.title,
        "client": job.client_name,
        "category": job.category,
        "unit_name": job.unit_name,
        "units": assignment.units,
        "part": assignment.part_description,
        "due_at": assignment.due_at.astimezone(UTC).isoformat(),
        "pay_basis": assignment.pay_basis,
        "fixed_yen": assignment.fixed_yen,
        "team_fee_bp": team.fee_rate_bp if job.team_fee_bp is None else job.team_fee_bp,
        "job_total_units": job.unit_count,
        "payment_rule": "sixty_days" if team.payer_type in SIXTY_DAY_PAYER_TYPES else "close",
        "expected_payment_on": job.expected_payment_on.isoformat()
        if job.expected_payment_on
        else "",
        "withholding": withholds,
        "withholding_yen": money.withholding(fee) if withholds and fee is not None else None,
        "share_estimate_yen": estimate,
        "received_estimate_yen": received_estimate(job) if estimate is not None else None,
    }


def current_notice(assignment: Assignment) -> TermsNotice | None:
    return db.session.scalar(
        sa.select(TermsNotice)
        .where(TermsNotice.assignment_id == assignment.id)
        .order_by(TermsNotice.version.desc())
        .limit(1)
    )


def issue(assignment: Assignment, terms: dict) -> TermsNotice:
    """Issue the next version of the notice, unless the terms are unchanged: the notice that
    holds them now."""
    latest = current_notice(assignment)
    return _issued(assignment, terms, latest) or latest


def reissue(assignment: Assignment, terms: dict) -> TermsNotice | None:
    """Issue the next version of the notice if the terms changed; None if they did not."""
    return _issued(assignment, terms, current_notice(assignment))


def _issued(assignment: Assignment, terms: dict, latest: TermsNotice | None):
    if latest is not None and same_terms(latest.terms, terms):
        return None
    notice = TermsNotice(
        assignment_id=assignment.id, version=(latest.version + 1) if latest else 1, terms=terms
    )
    db.session.add(notice)
    db.session.flush()
    return notice


# The parts of the terms whose change needs the member's new consent. The estimates are not:
# they follow what others are offered and what the platform pays, and are dated by the notice.
MATERIAL = ("units", "part", "due_at", "pay_basis", "fixed_yen", "payment_rule",
            "expected_payment_on")  # fmt: skip


def same_terms(old: dict, new: dict) -> bool:
    """Whether two notices promise the same: the due date compared as a moment, not as text."""
    return all(_material(old, key) == _material(new, key) for key in MATERIAL)


def _material(terms: dict, key: str):
    value = terms.get(key)
    return moment(value) if key == "due_at" else value


def accept_current(assignment: Assignment, at: datetime) -> TermsNotice | None:
    """Record the member's consent to the current notice, once (a second request at the same
    moment finds it accepted): the notice this request accepted, else None."""
    notice = current_notice(assignment)
    if notice is None or notice.accepted_at is not None:
        return None
    return notice if claim(notice, {"accepted_at": None}, {"accepted_at": at}) else None


def awaiting_acceptance(assignment: Assignment) -> bool:
    notice = current_notice(assignment)
    return notice is not None and notice.accepted_at is None


def awaiting_terms() -> sa.ColumnElement[bool]:
    """In SQL, on an assignment: True when its latest terms notice is not accepted yet.

    The latest notice is one probe of the (assignment, version) key; an assignment without a
    notice awaits nothing.
    """
    latest_unaccepted = (
        sa.select(TermsNotice.accepted_at.is_(None))
        .where(TermsNotice.assignment_id == Assignment.id)
        .order_by(TermsNotice.version.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )
    return sa.func.coalesce(latest_unaccepted, sa.false())
