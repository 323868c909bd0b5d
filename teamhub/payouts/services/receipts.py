"""What the platform paid for a job: estimated from its fee schedule, then recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import money
from teamhub.clock import today_jst
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts.models import ClosedJob
from teamhub.payouts.services.fee_schedules import fee_schedule


@dataclass(frozen=True)
class ReceiptEstimate:
    """What the platform should pay for a job, from its fee schedule: the contract total with
    tax, less the platform fee (システム利用料, its consumption tax included)."""

    total_incl_tax_yen: int
    platform_fee_yen: int

    @property
    def received_yen(self) -> int:
        return self.total_incl_tax_yen - self.platform_fee_yen


def estimate_receipt(job: Job) -> ReceiptEstimate:
    """The platform's fee on the job and what it should pay out, by its fee schedule."""
    fee = money.fee_for(fee_schedule(job.source), job.total_incl_tax_yen, job.tax_yen)
    return ReceiptEstimate(job.total_incl_tax_yen, fee)


def estimated_received(job: Job) -> int:
    """What the platform should pay out: the tax-inclusive total less its fee."""
    return estimate_receipt(job).received_yen


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
