"""Training as an organisation's coordinators and mentors run it: cohorts, enrolments (enrol,
withdraw) and attendance. Each operation reaches its records as the pages do
(:mod:`teamhub.training.access`): mentors read cohorts and take attendance, coordinators enrol
and withdraw; another organisation's records are 404."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy.orm import selectinload

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Id, Orm, Text, choice
from teamhub.training import enrolments, progress, queries
from teamhub.training.access import cohort_access, org_access, org_enrolment, org_session
from teamhub.training.forms import EnrolForm
from teamhub.training.models import ATTENDANCE_STATUSES, Cohort, CohortSession, Enrolment

ORG = "/orgs/<org_slug>"
COHORT = f"{ORG}/cohorts/<{ID}:cohort_id>"
STATE_CONFLICT = (409,)


class CohortOut(BaseModel):
    id: int
    name: str
    curriculum_id: int
    curriculum_title: str
    capacity: int
    seats_taken: int
    seats_left: int
    enrol_opens_on: date
    enrol_closes_on: date
    applications_open: bool = Field(description="Whether the application link takes applicants.")


class SessionOut(Orm):
    id: int
    starts_at: datetime
    duration_minutes: int
    topic: str
    place: str
    online_url: str


class CohortDetail(CohortOut):
    modules: int = Field(description="Modules of the curriculum as it is now.")
    sessions: list[SessionOut]


class CohortPage(BaseModel):
    items: list[CohortOut]
    next: str | None


class EnrolmentOut(BaseModel):
    id: int
    cohort_id: int
    name: str = Field(description="The trainee's display name.")
    status: str = Field(description="active, completed or withdrawn.")
    via: str = Field(description="coordinator, or application (the link).")
    enrolled_at: datetime
    completed_at: datetime | None
    withdrawn_at: datetime | None
    modules_done: int
    sessions_present: int
    sessions_recorded: int


class EnrolmentPage(BaseModel):
    items: list[EnrolmentOut]
    next: str | None


class EnrolBody(Body):
    email: Text = Field(description="The email address of the trainee's teamhub account.")


class Mark(Body):
    enrolment_id: Id
    status: choice(ATTENDANCE_STATUSES)


class AttendanceBody(Body):
    marks: list[Mark] = Field(max_length=500, description="Trainees left out keep their mark.")


class MarkOut(BaseModel):
    enrolment_id: int
    status: str


class AttendanceOut(BaseModel):
    session_id: int
    cohort_id: int
    starts_at: datetime
    marks: list[MarkOut]


def cohort_out(cohort: Cohort) -> CohortOut:
    return CohortOut(**_cohort_fields(cohort))


def _cohort_fields(cohort: Cohort) -> dict:
    return dict(
        id=cohort.id, name=cohort.name, curriculum_id=cohort.curriculum_id,
        curriculum_title=cohort.curriculum.title, capacity=cohort.capacity,
        seats_taken=cohort.seats_taken, seats_left=cohort.seats_left,
        enrol_opens_on=cohort.enrol_opens_on, enrol_closes_on=cohort.enrol_closes_on,
        applications_open=cohort.applications_open,
    )  # fmt: skip


def enrolment_out(row: queries.RosterRow) -> EnrolmentOut:
    e = row.enrolment
    return EnrolmentOut(
        id=e.id, cohort_id=e.cohort_id, name=e.person.display_name, status=e.status, via=e.via,
        enrolled_at=e.enrolled_at, completed_at=e.completed_at, withdrawn_at=e.withdrawn_at,
        modules_done=row.done, sessions_present=row.present, sessions_recorded=row.recorded,
    )  # fmt: skip


def _one_enrolment(enrolment: Enrolment) -> EnrolmentOut:
    return enrolment_out(queries.roster_rows([enrolment])[0])


# Cohorts -------------------------------------------------------------------------------------

_NEWEST = Keyset([Cohort.enrol_opens_on, Cohort.id], ["date", "int"], descending=True)


@bp.get(f"{ORG}/cohorts")
@operation(CohortPage, query=PageQuery, tag="training", headers=LINK_HEADER)
def list_cohorts(org_slug):
    """The organisation's cohorts, the latest to open first (coordinators and mentors)."""
    access = org_access(org_slug, person(), need="mentor")
    paging = pagination.requested()
    rows, cursor = _NEWEST.page(
        sa.select(Cohort, Cohort.enrol_opens_on, Cohort.id)
        .where(Cohort.organisation_id == access.org.id)
        .options(selectinload(Cohort.curriculum)),
        paging,
    )
    url = next_url(cursor, paging.limit)
    return CohortPage(items=[cohort_out(c) for c, *_key in rows], next=url), 200, link_header(url)


@bp.get(COHORT)
@operation(CohortDetail, tag="training")
def get_cohort(org_slug, cohort_id):
    """One cohort with its schedule of sessions."""
    _access, cohort = cohort_access(org_slug, cohort_id, person(), need="mentor")
    return CohortDetail(
        **_cohort_fields(cohort),
        modules=len(cohort.curriculum.current_modules),
        sessions=[SessionOut.model_validate(s) for s in cohort.sessions],
    )


# Enrolments ----------------------------------------------------------------------------------

_ENROLLED_FIRST = Keyset([Enrolment.enrolled_at, Enrolment.id], ["datetime", "int"])


@bp.get(f"{COHORT}/enrolments")
@operation(EnrolmentPage, query=PageQuery, tag="training", headers=LINK_HEADER)
def list_enrolments(org_slug, cohort_id):
    """The cohort's trainees in the order they enrolled, withdrawn ones too, with modules done
    and attendance."""
    _access, cohort = cohort_access(org_slug, cohort_id, person(), need="mentor")
    paging = pagination.requested()
    rows, cursor = _ENROLLED_FIRST.page(
        sa.select(Enrolment, Enrolment.enrolled_at, Enrolment.id)
        .where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.person)),
        paging,
    )
    items = [enrolment_out(r) for r in queries.roster_rows([e for e, *_key in rows])]
    url = next_url(cursor, paging.limit)
    return EnrolmentPage(items=items, next=url), 200, link_header(url)


@bp.post(f"{COHORT}/enrolments")
@operation(EnrolmentOut, status=201, json=EnrolBody, tag="training", errors=STATE_CONFLICT)
def enrol_trainee(org_slug, cohort_id):
    """Give a person with a teamhub account a place, while the window is open and places are
    left (coordinators)."""
    _access, cohort = cohort_access(org_slug, cohort_id, person())
    form = filled(EnrolForm, body())
    enrolment = enrolments.enrol_by_email(cohort, form.email.data, person())
    return _one_enrolment(enrolment), 201


@bp.post(f"{ORG}/enrolments/<{ID}:enrolment_id>/withdraw")
@operation(EnrolmentOut, tag="training", errors=STATE_CONFLICT)
def withdraw_trainee(org_slug, enrolment_id):
    """End a trainee's place: it frees the place and keeps what they did (coordinators)."""
    access = org_access(org_slug, person())
    enrolment = org_enrolment(access.org, enrolment_id)
    enrolments.withdraw(enrolment)
    return _one_enrolment(enrolment)


# Attendance ----------------------------------------------------------------------------------

ATTENDANCE = f"{ORG}/sessions/<{ID}:session_id>/attendance"


def _attendance_out(session: CohortSession) -> AttendanceOut:
    marks = sorted(queries.session_marks(session).items())
    return AttendanceOut(
        session_id=session.id, cohort_id=session.cohort_id, starts_at=session.starts_at,
        marks=[MarkOut(enrolment_id=e, status=s) for e, s in marks],
    )  # fmt: skip


@bp.get(ATTENDANCE)
@operation(AttendanceOut, tag="training")
def get_attendance(org_slug, session_id):
    """The marks recorded for a session."""
    access = org_access(org_slug, person(), need="mentor")
    return _attendance_out(org_session(access.org, session_id))


@bp.put(ATTENDANCE)
@operation(AttendanceOut, json=AttendanceBody, tag="training", errors=STATE_CONFLICT)
def record_attendance(org_slug, session_id):
    """Mark trainees of the session's cohort present, absent or excused, on the session's day
    or later (coordinators and mentors)."""
    access = org_access(org_slug, person(), need="mentor")
    session = org_session(access.org, session_id)
    marks = {mark.enrolment_id: mark.status for mark in body().marks}
    progress.record_attendance(session, marks, person())
    return _attendance_out(session)
