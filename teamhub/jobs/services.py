"""What a director does with a job: record it, correct it, confirm escrow, clear flags, cancel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub import money, signals
from teamhub.assignments import lifecycle
from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.claims import claim
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs import scam
from teamhub.jobs.models import CATEGORIES, FORMATS, SOURCES, Job
from teamhub.skills import SKILL_LABELS
from teamhub.teams.models import Membership, Team

MAX_CONTRACT_YEN = 100_000_000
MAX_UNITS = 10_000


@dataclass
class JobInput:
    """The fields a director records for a job."""

    title: str
    client_name: str
    source: str
    category: str
    contract_yen: int
    unit_name: str
    unit_count: int
    due_at: datetime
    format: str = "project"
    description: str = ""
    tax_shown_separately: bool = True
    expected_payment_on: date | None = None
    required_skills: list[str] = field(default_factory=list)


def _check(data: JobInput) -> None:
    reasons = {}
    if data.source not in SOURCES:
        reasons["source"] = _("Choose where the job comes from.")
    if data.format not in FORMATS:
        reasons["format"] = _("Choose the job format from the list.")
    if data.category not in CATEGORIES:
        reasons["category"] = _("Choose the kind of work from the list.")
    if not 0 <= data.contract_yen <= MAX_CONTRACT_YEN:
        reasons["contract_yen"] = _("Enter whole yen from 0 to 100,000,000.")
    if not 1 <= data.unit_count <= MAX_UNITS:
        reasons["unit_count"] = _("Enter a number of units from 1 to 10,000.")
    if data.due_at.tzinfo is None:
        reasons["due_at"] = _("Enter the deadline in Japan time.")
    unknown = [s for s in data.required_skills if s not in SKILL_LABELS]
    if unknown:
        reasons["required_skills"] = _("Choose skills from the list.")
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)


def _apply(job: Job, data: JobInput) -> None:
    job.title = data.title.strip()
    job.client_name = data.client_name.strip()
    job.source = data.source
    job.format = data.format
    job.category = data.category
    job.description = data.description.strip()
    job.contract_yen = data.contract_yen
    job.tax_yen = money.consumption_tax(data.contract_yen)
    job.tax_shown_separately = data.tax_shown_separately
    job.unit_name = data.unit_name.strip()
    job.unit_count = data.unit_count
    job.due_at = data.due_at
    job.expected_payment_on = data.expected_payment_on
    job.required_skills = sorted(set(data.required_skills))
    reasons = scam.to_json(scam.scan(f"{data.title}\n{data.description}"))
    if reasons != job.scam_reasons:
        job.scam_reasons = reasons
        job.scam_acknowledged_at = None
        job.scam_acknowledged_by_id = None


def record_job(team: Team, by: Person, data: JobInput) -> Job:
    """Record a job the team won; the scam guard reads its description."""
    _check(data)
    if data.due_at <= utcnow():
        message = _("The deadline must be in the future.")
        raise Invalid(message, {"due_at": message})
    job = Job(team=team, created_by_id=by.id, scam_reasons=[])
    _apply(job, data)
    db.session.add(job)
    db.session.flush()
    return job


def _accepted_count(job: Job) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(
            Assignment.job_id == job.id,
            Assignment.state.not_in(("offered", "declined", "cancelled", "reassigned")),
        )
    )


def update_job(job: Job, data: JobInput) -> None:
    """Correct a job while no member has accepted work on it."""
    if not job.is_open:
        raise Conflict(_("This job was cancelled and can no longer be changed."))
    if _accepted_count(job):
        raise Conflict(
            _("A member has already accepted work on this job; change their assignment instead.")
        )
    _check(data)
    _apply(job, data)
    db.session.flush()


def confirm_escrow(job: Job, by: Person, confirmed_at: datetime) -> None:
    """Record that the client's payment is held in escrow (仮払い), so work may start, or
    correct the time recorded. A request that read the same record as another one changing it
    gets that one's answer when it wrote the same time, a 409 when another."""
    if not job.needs_escrow:
        raise Conflict(_("Direct jobs have no platform escrow to confirm."))
    if confirmed_at > utcnow():
        message = _("The confirmation time cannot be in the future.")
        raise Invalid(message, {"confirmed_at": message})
    read = job.escrow_confirmed_at
    changed = claim(
        job,
        {"escrow_confirmed_at": read},
        {"escrow_confirmed_at": confirmed_at, "escrow_confirmed_by_id": by.id},
    )
    if not changed:
        if job.escrow_confirmed_at == confirmed_at:
            return
        raise Conflict(_("Someone else recorded the escrow meanwhile. Reload the page."))
    db.session.flush()
    signals.escrow_confirmed.send(job)


def acknowledge_scam_flags(job: Job, by: Person) -> None:
    """Record that the director read the scam guard's reasons and will go ahead (once: a
    second request finds them acknowledged and changes nothing)."""
    if not job.scam_flagged or job.scam_acknowledged_at is not None:
        return
    claim(
        job,
        {"scam_acknowledged_at": None},
        {"scam_acknowledged_at": utcnow(), "scam_acknowledged_by_id": by.id},
    )


def cancel_job(job: Job, by: Membership, reason: str) -> None:
    """Cancel a job and every assignment still open on it; the history stays."""
    reason = reason.strip()
    if not reason:
        message = _("Say why the job is cancelled; members will see it.")
        raise Invalid(message, {"reason": message})
    if not job.is_open:
        raise Conflict(_("This job is already cancelled."))
    open_assignments = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.job_id == job.id, Assignment.state.in_(lifecycle.CANCELLABLE)
        )
    ).all()
    for assignment in open_assignments:
        lifecycle.cancel(assignment, by, reason)
    job.status = "cancelled"
    job.cancel_reason = reason
    job.cancelled_at = utcnow()
    db.session.flush()
