"""Assignments: mine, the team's, one with its history, and each step of the state machine."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import send_file
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from spectree.model_adapter.pydantic_adapter import BaseFile

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, header, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Id, Orm, Text, choice
from teamhub.assignments import lifecycle, queries, services, uploads
from teamhub.assignments.forms import (
    CancelAssignmentForm,
    DeclineForm,
    ReassignForm,
    ReviewForm,
    SubmitForm,
)
from teamhub.assignments.models import Assignment
from teamhub.errors import NotFound
from teamhub.teams.queries import team_access

ONE = f"/teams/<slug>/assignments/<{ID}:assignment_id>"
STATE_CONFLICT = (409,)


class AssignmentOut(Orm):
    id: int
    job_id: int
    membership_id: int
    units: int
    part_description: str
    due_at: datetime
    pay_basis: str
    fixed_yen: int | None
    state: str
    offered_at: datetime
    answered_at: datetime | None
    started_at: datetime | None
    first_submitted_at: datetime | None
    approved_at: datetime | None
    revision_count: int
    replaces_id: int | None


class EventOut(Orm):
    from_state: str | None
    to_state: str
    actor_id: int
    at: datetime
    comment: str


class SubmissionOut(Orm):
    id: int = Field(description="With a file: download it at …/submissions/{id}/file.")
    number: int
    kind: str
    text: str
    url: str
    original_name: str | None
    content_type: str = Field(description="A file's type as received; empty without a file.")
    submitted_at: datetime
    decision: str | None
    review_comment: str | None


class TermsOut(Orm):
    version: int
    terms: Any = Field(description="The Freelance Act art. 3 notice as issued.")
    issued_at: datetime
    accepted_at: datetime | None


class AssignmentDetail(AssignmentOut):
    events: list[EventOut]
    submissions: list[SubmissionOut]
    notices: list[TermsOut]


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    next: str | None


class DeclineBody(Body):
    comment: Text = ""


class SubmitBody(Body):
    text: Text = ""
    url: Text = Field("", description="A link to the work, https://…")


class SubmitUpload(SubmitBody):
    """The same as multipart/form-data, with a file."""

    file: BaseFile | None = Field(
        None, description="PDF, Word, Excel, PowerPoint, an image or text; up to 10 MB."
    )


class ReviewBody(Body):
    decision: choice(("approve", "changes"))
    comment: Text = Field("", description="Needed when asking for changes.")


class CancelAssignmentBody(Body):
    reason: Text


class ReassignBody(Body):
    membership_id: Id = Field(description="The member to give the work to.")
    reason: Text = ""


_SOONEST = Keyset([Assignment.due_at, Assignment.id], ["datetime", "int"])


def _page(where) -> tuple[AssignmentPage, int, dict]:
    paging = pagination.requested()
    rows, cursor = _SOONEST.page(
        sa.select(Assignment, Assignment.due_at, Assignment.id).where(where), paging
    )
    url = next_url(cursor, paging.limit)
    items = [AssignmentOut.model_validate(a) for a, _due, _id in rows]
    return AssignmentPage(items=items, next=url), 200, link_header(url)


@bp.get("/teams/<slug>/assignments/mine")
@operation(AssignmentPage, query=PageQuery, tag="assignments", headers=LINK_HEADER)
def list_my_assignments(slug):
    """The person's own assignments in the team, soonest due first."""
    access = team_access(slug, person())
    return _page(Assignment.membership_id == access.membership.id)


@bp.get("/teams/<slug>/assignments")
@operation(AssignmentPage, query=PageQuery, tag="assignments", headers=LINK_HEADER)
def list_team_assignments(slug):
    """Every assignment of the team, soonest due first (editors and directors)."""
    access = team_access(slug, person(), need="editor")
    return _page(Assignment.team_id == access.team.id)


def _detail(assignment: Assignment) -> AssignmentDetail:
    events, submissions, notices = queries.history(assignment)
    return AssignmentDetail.model_validate(
        {
            **AssignmentOut.model_validate(assignment).model_dump(),
            "events": [EventOut.model_validate(e) for e in events],
            "submissions": [SubmissionOut.model_validate(s) for s in submissions],
            "notices": [TermsOut.model_validate(n) for n in notices],
        }
    )


@bp.get(ONE)
@operation(AssignmentDetail, tag="assignments")
def get_assignment(slug, assignment_id):
    """One assignment with its events, submissions and terms notices: its member's, or any of
    the team's for editors and directors."""
    access = team_access(slug, person())
    return _detail(queries.visible_assignment(access, assignment_id))


FILE_HEADERS = {"Content-Disposition": header('attachment; filename="…"')}


@bp.get(f"{ONE}/submissions/<{ID}:submission_id>/file")
@operation(tag="assignments", media="application/octet-stream", headers=FILE_HEADERS)
def download_submission_file(slug, assignment_id, submission_id):
    """A file handed in with the work, as it was received (its type is the submission's
    content_type): for whoever sees the assignment, as on its page."""
    access = team_access(slug, person())
    submission = queries.team_submission(
        queries.visible_assignment(access, assignment_id), submission_id
    )
    path = uploads.path_of(submission.stored_name)
    if not path.exists():
        raise NotFound(_("This file is no longer available."))
    # Read whole (an upload is at most 10 MB): spectree reads the answer to validate it.
    answer = send_file(
        io.BytesIO(path.read_bytes()), mimetype="application/octet-stream", as_attachment=True,
        download_name=submission.original_name, max_age=0,
    )  # fmt: skip
    answer.direct_passthrough = False
    return answer


def _act(slug: str, assignment_id: int, act) -> AssignmentDetail:
    access = team_access(slug, person())
    assignment = queries.visible_assignment(access, assignment_id)
    act(access, assignment)
    return _detail(assignment)


@bp.post(f"{ONE}/accept")
@operation(AssignmentDetail, tag="assignments", errors=STATE_CONFLICT)
def accept_assignment(slug, assignment_id):
    """The member accepts the offer and its terms notice."""
    return _act(slug, assignment_id, lambda access, a: lifecycle.accept(a, access.membership))


@bp.post(f"{ONE}/decline")
@operation(AssignmentDetail, json=DeclineBody, tag="assignments", errors=STATE_CONFLICT)
def decline_assignment(slug, assignment_id):
    form = filled(DeclineForm, body())
    return _act(
        slug, assignment_id,
        lambda access, a: lifecycle.decline(a, access.membership, form.comment.data or ""),
    )  # fmt: skip


@bp.post(f"{ONE}/accept-terms")
@operation(AssignmentDetail, tag="assignments", errors=STATE_CONFLICT)
def accept_new_terms(slug, assignment_id):
    """The member accepts a changed terms notice for work already accepted."""
    return _act(
        slug, assignment_id, lambda access, a: lifecycle.accept_new_terms(a, access.membership)
    )


@bp.post(f"{ONE}/start")
@operation(AssignmentDetail, tag="assignments", errors=STATE_CONFLICT)
def start_assignment(slug, assignment_id):
    """Begin work: only once escrow is confirmed and the terms accepted."""
    return _act(slug, assignment_id, lambda access, a: lifecycle.start(a, access.membership))


@bp.post(f"{ONE}/submit")
@operation(
    AssignmentDetail, json=SubmitBody, form=SubmitUpload, tag="assignments",
    errors=(*STATE_CONFLICT, 413),
)  # fmt: skip
def submit_assignment(slug, assignment_id):
    """Deliver the work as text, a link (JSON), or a file (multipart/form-data), with the
    page's checks of the file's kind, content and size."""
    form = filled(SubmitForm, body())

    def act(access, assignment):
        file_name, file_data = uploads.received(form.file.data)
        services.submit_work(
            assignment, access.membership, text=form.text.data or "", url=form.url.data or "",
            file_name=file_name, file_data=file_data,
        )  # fmt: skip

    return _act(slug, assignment_id, act)


@bp.post(f"{ONE}/review")
@operation(AssignmentDetail, json=ReviewBody, tag="assignments", errors=STATE_CONFLICT)
def review_assignment(slug, assignment_id):
    """Approve the latest submission, or ask for changes with a comment."""
    form = filled(ReviewForm, body())

    def act(access, assignment):
        approve = form.decision.data == "approve"
        lifecycle.review(assignment, access.membership, approve, form.comment.data or "")

    return _act(slug, assignment_id, act)


@bp.post(f"{ONE}/cancel")
@operation(AssignmentDetail, json=CancelAssignmentBody, tag="assignments", errors=STATE_CONFLICT)
def cancel_assignment(slug, assignment_id):
    """The director withdraws work not yet delivered."""
    form = filled(CancelAssignmentForm, body())
    return _act(
        slug, assignment_id,
        lambda access, a: lifecycle.cancel(a, access.membership, form.reason.data),
    )  # fmt: skip


@bp.post(f"{ONE}/reassign")
@operation(AssignmentDetail, json=ReassignBody, tag="assignments", errors=STATE_CONFLICT)
def reassign_assignment(slug, assignment_id):
    """Give undelivered work to another member: a new offer is made to them."""
    form = filled(ReassignForm, body())

    def act(access, assignment):
        services.reassign_to(
            assignment, access.membership, form.membership_id.data, form.reason.data or ""
        )

    return _act(slug, assignment_id, act)
