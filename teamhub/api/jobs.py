"""Jobs: the list, one job, record, edit, escrow, the scam guard, cancel, the money received."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, time

import sqlalchemy as sa
from pydantic import BaseModel, Field

from teamhub import money
from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Orm, Text, choice
from teamhub.jobs import queries, services
from teamhub.jobs.forms import CancelForm, EscrowForm, JobForm
from teamhub.jobs.models import CATEGORIES, FORMATS, SOURCES, Job
from teamhub.payouts import services as payouts
from teamhub.payouts.forms import ReceiptForm
from teamhub.skills import SKILL_LABELS
from teamhub.teams.queries import TeamAccess, team_access

JOB = f"/teams/<slug>/jobs/<{ID}:job_id>"
# Given in an answer only as jobs.queries.receipt_shown gives them (to directors).
RECEIPT_FIELDS = ("received_yen", "received_on", "team_fee_bp")


class ScamReasonOut(BaseModel):
    code: str
    matched: str


class JobOut(Orm):
    id: int
    title: str
    client_name: str
    source: str
    format: str
    category: str
    description: str
    contract_yen: int
    tax_yen: int
    tax_shown_separately: bool
    unit_name: str
    unit_count: int
    kept_units: int
    due_at: datetime
    expected_payment_on: date | None
    required_skills: list[str]
    status: str
    cancel_reason: str | None
    escrow_confirmed_at: datetime | None
    scam_reasons: list[ScamReasonOut]
    scam_acknowledged_at: datetime | None
    split_version: int
    created_at: datetime
    received_yen: int | None = Field(None, description="Directors only.")
    received_on: date | None = Field(None, description="Directors only.")
    team_fee_bp: int | None = Field(None, description="Directors only.")


class JobPage(BaseModel):
    items: list[JobOut]
    next: str | None


class JobBody(Body):
    """The fields of the page's job form, with its names."""

    title: Text
    client_name: Text
    source: choice(SOURCES)
    format: choice(FORMATS) = "project"
    category: choice(CATEGORIES)
    description: Text = ""
    contract_yen: int = Field(description="Before tax, whole yen.")
    tax_shown_separately: bool = True
    unit_name: Text
    unit_count: int
    due_date: date = Field(description="The delivery deadline's day (Japan).")
    due_time: time | None = Field(None, description="Its time in Japan; 23:59 when left out.")
    expected_payment_on: date | None = None
    required_skills: list[choice(tuple(SKILL_LABELS))] = Field(default_factory=list)


class EscrowBody(Body):
    confirmed_date: date = Field(description="The day escrow was confirmed (Japan).")
    confirmed_time: time = Field(description="Its time in Japan.")


class CancelBody(Body):
    reason: Text = Field(description="Members will see it.")


class ReceiptBody(Body):
    received_yen: int = Field(description="What the platform paid, whole yen.")
    received_on: date
    team_fee: Text = Field("", description="The team fee for this job in %; empty: the team's.")
    reentrustment: bool = False


def job_out(job: Job, access: TeamAccess) -> JobOut:
    receipt = queries.receipt_shown(access, job)
    out = JobOut.model_validate(job).model_dump(exclude=set(RECEIPT_FIELDS))
    return JobOut(**out, **(asdict(receipt) if receipt else {}))


_JOBS = Keyset([Job.id], ["int"], descending=True)


@bp.get("/teams/<slug>/jobs")
@operation(JobPage, query=PageQuery, tag="jobs", headers=LINK_HEADER)
def list_jobs(slug):
    """The team's jobs, the latest recorded first (editors and directors)."""
    access = team_access(slug, person(), need="editor")
    paging = pagination.requested()
    rows, cursor = _JOBS.page(sa.select(Job, Job.id).where(Job.team_id == access.team.id), paging)
    url = next_url(cursor, paging.limit)
    page = JobPage(items=[job_out(job, access) for job, _id in rows], next=url)
    return page, 200, link_header(url)


@bp.post("/teams/<slug>/jobs")
@idempotent
@operation(JobOut, status=201, json=JobBody, tag="jobs", errors=(409,))
def record_job(slug):
    """Record a job the team won; the scam guard reads its description."""
    access = team_access(slug, person(), need="director")
    form = filled(JobForm, body())
    job = services.record_job(access.team, person(), form.job_input())
    return job_out(job, access), 201


@bp.get(JOB)
@operation(JobOut, tag="jobs")
def get_job(slug, job_id):
    access = team_access(slug, person(), need="editor")
    return job_out(queries.team_job(access.team, job_id), access)


@bp.put(JOB)
@operation(JobOut, json=JobBody, tag="jobs", errors=(409,))
def edit_job(slug, job_id):
    """Correct a job while no member has accepted work on it."""
    access = team_access(slug, person(), need="director")
    job = queries.team_job(access.team, job_id)
    form = filled(JobForm, body())
    services.update_job(job, form.job_input())
    return job_out(job, access)


@bp.post(f"{JOB}/escrow")
@operation(JobOut, json=EscrowBody, tag="jobs", errors=(409,))
def confirm_escrow(slug, job_id):
    """Record that the client's payment is held in escrow (仮払い): work may start."""
    access = team_access(slug, person(), need="director")
    job = queries.team_job(access.team, job_id)
    form = filled(EscrowForm, body())
    services.confirm_escrow(job, person(), form.confirmed)
    return job_out(job, access)


@bp.post(f"{JOB}/scam-acknowledgement")
@operation(JobOut, tag="jobs", errors=(409,))
def acknowledge_scam_flags(slug, job_id):
    """The director read the scam guard's reasons and goes ahead."""
    access = team_access(slug, person(), need="director")
    job = queries.team_job(access.team, job_id)
    services.acknowledge_scam_flags(job, person())
    return job_out(job, access)


@bp.post(f"{JOB}/cancel")
@operation(JobOut, json=CancelBody, tag="jobs", errors=(409,))
def cancel_job(slug, job_id):
    """Cancel the job and every assignment still open on it."""
    access = team_access(slug, person(), need="director")
    job = queries.team_job(access.team, job_id)
    form = filled(CancelForm, body())
    services.cancel_job(job, access.membership, form.reason.data)
    return job_out(job, access)


@bp.put(f"{JOB}/receipt")
@operation(JobOut, json=ReceiptBody, tag="payouts", errors=(409,))
def record_receipt(slug, job_id):
    """What the platform actually paid for the job (it wins over the estimate)."""
    access = team_access(slug, person(), need="director")
    job = queries.team_job(access.team, job_id)
    form = filled(ReceiptForm, body())
    fee_bp = money.percent_to_bp(form.team_fee.data) if form.team_fee.data else None
    payouts.record_receipt(
        job, int(form.received_yen.data), form.received_on.data, fee_bp, form.reentrustment.data
    )
    return job_out(job, access)
