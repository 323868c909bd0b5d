"""The split of a job: read with its version as an ETag, saved with If-Match.

A save names the version it read; one that read an older version is refused with 412 and
nothing of it is saved (two directors editing the same split: the second is told)."""

from __future__ import annotations

from datetime import date, datetime

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from teamhub.api.base import ID, body, bp, header, operation, person
from teamhub.api.forms import filled
from teamhub.api.problems import PreconditionFailed, PreconditionRequired
from teamhub.api.schemas import Body, Id, Text, choice
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs import split_page, splitting
from teamhub.jobs.forms import MAX_SPLIT_ROWS, SplitForm
from teamhub.jobs.models import Job
from teamhub.teams.queries import team_access

SPLIT = f"/teams/<slug>/jobs/<{ID}:job_id>/split"
ETAG_HEADER = {"ETag": header("The split's version: send it back as If-Match to save.")}


class OfferOut(BaseModel):
    id: int
    membership_id: int
    name: str
    state: str
    units: int
    part_description: str
    due_at: datetime
    pay_basis: str
    fixed_yen: int | None
    override_reason: str


class CandidateOut(BaseModel):
    membership_id: int
    name: str
    capacity: int | None = Field(description="Units they can do by the deadline; null: not said.")
    committed: int = Field(description="Units already owed on other jobs due by then.")
    skills: list[str]
    missing_skills: list[str]
    days_away: int


class SplitOut(BaseModel):
    job_id: int
    version: int
    unit_count: int
    kept_units: int
    units_left: int
    offers: list[OfferOut] = Field(description="Offers still open, and work delivered or approved.")
    candidates: list[CandidateOut]


class SplitRow(Body):
    """A line of the split: an offer already made (``assignment_id``) or a new one."""

    assignment_id: Id | None = None
    membership_id: Id | None = None
    units: int = 0
    part_description: Text = ""
    due_date: date | None = Field(None, description="Left out: the job's deadline.")
    pay_basis: choice(("units", "fixed")) = "units"
    fixed_yen: int | None = None
    override_reason: Text = Field("", description="Needed for a member over capacity or lacking a skill.")  # fmt: skip
    remove: bool = Field(False, description="Withdraw this offer.")


class SplitBody(Body):
    kept_units: int = Field(0, description="Units the director keeps.")
    rows: list[SplitRow] = Field(default_factory=list, max_length=MAX_SPLIT_ROWS)


def _out(page: split_page.SplitPage) -> SplitOut:
    job = page.job
    return SplitOut(
        job_id=job.id, version=job.split_version, unit_count=job.unit_count,
        kept_units=job.kept_units, units_left=page.units_left,
        offers=[OfferOut.model_validate(row._asdict()) for row in page.assignments],
        candidates=[
            CandidateOut(
                membership_id=c.membership_id, name=c.name, capacity=c.capacity,
                committed=c.committed, skills=list(c.skills), missing_skills=list(c.missing_skills),
                days_away=c.days_away,
            )
            for c in page.candidates
        ],
    )  # fmt: skip


def _etag(job: Job) -> dict[str, str]:
    return {"ETag": f'"{job.split_version}"'}


@bp.get(SPLIT)
@operation(SplitOut, tag="split", headers=ETAG_HEADER)
def get_split(slug, job_id):
    """The job's offers and the team's candidates, with the split's version as ETag."""
    access = team_access(slug, person(), need="director")
    page = split_page.read_split_page(access.team, job_id)
    return _out(page), 200, _etag(page.job)


def _version_sent(job: Job) -> int:
    """The version the save read (If-Match): 428 without one, 412 when it is not current."""
    if "If-Match" not in request.headers:
        raise PreconditionRequired(
            _("Send the split's version you read as If-Match (its ETag) with the save.")
        )
    sent = request.if_match.as_set()
    if str(job.split_version) not in sent:
        raise PreconditionFailed(_stale())
    return job.split_version


def _stale() -> str:
    return _(
        "Another director saved this split while you were editing it. Nothing of yours was "
        "saved: read it again, then make your changes again."
    )


@bp.put(SPLIT)
@operation(SplitOut, json=SplitBody, tag="split", errors=(409, 412, 428), headers=ETAG_HEADER)
def save_split(slug, job_id):
    """Save the split, all or nothing: new offers, changed terms, withdrawn offers. The offers
    still open that no row names stay as they are."""
    access = team_access(slug, person(), need="director")
    page = split_page.read_split_page(access.team, job_id)
    job = page.job
    version = _version_sent(job)
    sent = body().model_dump()
    form = filled(SplitForm, {**sent, "version": version}, candidates=page.candidates)
    lines = form.lines(job)
    try:
        splitting.save_split(
            job, access.membership, lines, form.kept_units.data or 0, version, page.candidates
        )
    except Invalid as error:
        raise Invalid(error.message, _row_reasons(error, form, sent)) from error
    except Conflict as error:
        db.session.refresh(job, ["split_version"])
        if job.split_version != version:  # another save came first
            raise PreconditionFailed(_stale()) from error
        raise
    saved = split_page.read_split_page(access.team, job_id)
    return _out(saved), 200, _etag(saved.job)


def _row_reasons(error: Invalid, form: SplitForm, sent: dict) -> dict[str, str]:
    """The service names lines (the rows filled in); the answer names the rows as sent."""
    filled_rows = [index for index, row in enumerate(form.rows) if not row.form.is_blank]
    reasons = {}
    for key, message in error.reasons.items():
        if key.startswith("rows."):
            _rows, line, name = key.split(".", 2)
            name = "due_date" if name == "due_at" else name
            key = f"rows.{filled_rows[int(line)]}.{name}"
        reasons[key] = message
    del sent
    return reasons
