"""Terms notices (Freelance Act art. 3): issued with every offer, frozen once accepted.

A change of units, due date or pay issues a new version that the member must accept again.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from teamhub.assignments.models import Assignment, TermsNotice
from teamhub.claims import claim
from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.teams.models import WITHHOLDING_PAYER_TYPES, Membership, Team

# Payer types with employees must pay within 60 days of receiving the work (art. 4).
SIXTY_DAY_PAYER_TYPES = WITHHOLDING_PAYER_TYPES


def build_terms(assignment: Assignment, job, team: Team, member: Membership, issuer) -> dict:
    """The content of a notice: both parties, the date, the work, due date, fee, payment date
    (``job``: the assignment's job; ``issuer``: the person who offers it)."""
    return {
        "team": team.name,
        "team_invoice_number": team.invoice_number or "",
        "issuer": issuer.display_name,
        "member": member.person.display_name,
        "issued_on": utcnow().astimezone(JST).date().isoformat(),
        "job": job.title,
        "client": job.client_name,
        "unit_name": job.unit_name,
        "units": assignment.units,
        "part": assignment.part_description,
        "due_at": assignment.due_at.isoformat(),
        "pay_basis": assignment.pay_basis,
        "fixed_yen": assignment.fixed_yen,
        "team_fee_bp": team.fee_rate_bp,
        "job_total_units": job.unit_count,
        "payment_rule": "sixty_days" if team.payer_type in SIXTY_DAY_PAYER_TYPES else "close",
        "expected_payment_on": job.expected_payment_on.isoformat()
        if job.expected_payment_on
        else "",
    }


def current_notice(assignment: Assignment) -> TermsNotice | None:
    return db.session.scalar(
        sa.select(TermsNotice)
        .where(TermsNotice.assignment_id == assignment.id)
        .order_by(TermsNotice.version.desc())
        .limit(1)
    )


def issue(assignment: Assignment, terms: dict) -> TermsNotice:
    """Issue the next version of the notice, unless the terms are unchanged."""
    latest = current_notice(assignment)
    if latest is not None and _material(latest.terms) == _material(terms):
        return latest
    notice = TermsNotice(
        assignment_id=assignment.id, version=(latest.version + 1) if latest else 1, terms=terms
    )
    db.session.add(notice)
    db.session.flush()
    return notice


def _material(terms: dict) -> dict:
    """The parts of the terms whose change needs the member's new consent."""
    keys = (
        "units",
        "part",
        "due_at",
        "pay_basis",
        "fixed_yen",
        "payment_rule",
        "expected_payment_on",
    )
    return {k: terms.get(k) for k in keys}


def accept_current(assignment: Assignment, at: datetime) -> None:
    """Accept the latest notice once (a second request at the same moment finds it accepted)."""
    notice = current_notice(assignment)
    if notice is not None and notice.accepted_at is None:
        claim(notice, {"accepted_at": None}, {"accepted_at": at})


def awaiting_acceptance(assignment: Assignment) -> bool:
    notice = current_notice(assignment)
    return notice is not None and notice.accepted_at is None
