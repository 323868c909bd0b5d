"""Training's results: practice work to review and the decision on it (coordinators and
mentors), a trainee's progress (their organisation's staff, or the trainee themself), and the
outcome figures of an organisation or a cohort (coordinators), as the pages show them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import selectinload

from teamhub.api import pagination
from teamhub.api.base import ID, body, bp, operation, person
from teamhub.api.forms import filled
from teamhub.api.pagination import LINK_HEADER, Keyset, PageQuery, link_header, next_url
from teamhub.api.schemas import Body, Text, choice
from teamhub.api.training import ORG, STATE_CONFLICT
from teamhub.training import outcomes, progress, queries, reports, trainee_queries
from teamhub.training.access import (
    cohort_access,
    my_enrolment,
    org_access,
    org_enrolment,
    org_submission,
)
from teamhub.training.forms import ReviewForm
from teamhub.training.models import Enrolment, PracticeSubmission

# Practice work -------------------------------------------------------------------------------


class PracticeWorkOut(BaseModel):
    id: int
    enrolment_id: int
    name: str = Field(description="The trainee's display name.")
    module_id: int
    module_title: str
    number: int = Field(description="Which try at the module's task.")
    task: str = Field(description="The task as it read when the trainee answered (Markdown).")
    text: str
    link_url: str
    submitted_at: datetime
    decision: str | None = Field(description="passed or retry; null while it waits.")
    comment: str
    reviewed_at: datetime | None


class PracticeWorkPage(BaseModel):
    items: list[PracticeWorkOut]
    next: str | None


class PracticeDecisionBody(Body):
    decision: choice(("pass", "retry"))
    comment: Text = Field("", description="Needed when asking for another try.")


def practice_out(s: PracticeSubmission) -> PracticeWorkOut:
    return PracticeWorkOut(
        id=s.id, enrolment_id=s.enrolment_id, name=s.enrolment.person.display_name,
        module_id=s.module_id, module_title=s.module.title, number=s.number, task=s.task,
        text=s.text, link_url=s.link_url, submitted_at=s.submitted_at, decision=s.decision,
        comment=s.comment, reviewed_at=s.reviewed_at,
    )  # fmt: skip


_OLDEST = Keyset([PracticeSubmission.submitted_at, PracticeSubmission.id], ["datetime", "int"])


@bp.get(f"{ORG}/reviews")
@operation(PracticeWorkPage, query=PageQuery, tag="training", headers=LINK_HEADER)
def list_practice_reviews(org_slug):
    """Practice work waiting for a decision, the oldest first (coordinators and mentors)."""
    access = org_access(org_slug, person(), need="mentor")
    paging = pagination.requested()
    waiting = queries.waiting_for_review(access.org).options(
        selectinload(PracticeSubmission.enrolment).selectinload(Enrolment.person),
        selectinload(PracticeSubmission.module),
    )
    rows, cursor = _OLDEST.page(
        waiting.add_columns(PracticeSubmission.submitted_at, PracticeSubmission.id), paging
    )
    url = next_url(cursor, paging.limit)
    page = PracticeWorkPage(items=[practice_out(s) for s, *_key in rows], next=url)
    return page, 200, link_header(url)


@bp.post(f"{ORG}/reviews/<{ID}:submission_id>")
@operation(PracticeWorkOut, json=PracticeDecisionBody, tag="training", errors=STATE_CONFLICT)
def decide_practice_review(org_slug, submission_id):
    """Pass a try (the module completes) or ask for another with a comment saying what to
    change."""
    access = org_access(org_slug, person(), need="mentor")
    submission = org_submission(access.org, submission_id)
    form = filled(ReviewForm, body())
    passed = form.decision.data == "pass"
    progress.review_practice(submission, person(), passed, form.comment.data or "")
    return practice_out(submission)


# Progress ------------------------------------------------------------------------------------


class ModuleProgressOut(BaseModel):
    module_id: int
    title: str
    percent: int
    lessons_read: int
    lessons_total: int
    waiting_review: bool = Field(description="A try at its task waits for a decision.")
    completed_at: datetime | None
    completed_how: str | None = Field(description="practice or manual; null until completed.")


class RetiredCompletionOut(BaseModel):
    module_id: int
    title: str = Field(description="The module's title when it was completed.")
    completed_at: datetime


class ProgressOut(BaseModel):
    enrolment_id: int
    cohort_id: int
    name: str
    status: str
    done: int
    total: int
    percent: int
    sessions_present: int
    sessions_recorded: int
    modules: list[ModuleProgressOut]
    retired_completions: list[RetiredCompletionOut]


def progress_out(enrolment: Enrolment) -> ProgressOut:
    found = trainee_queries.progress(enrolment)
    return ProgressOut(
        enrolment_id=enrolment.id, cohort_id=enrolment.cohort_id,
        name=enrolment.person.display_name, status=enrolment.status, done=found.done,
        total=found.total, percent=found.percent, sessions_present=enrolment.sessions_present,
        sessions_recorded=enrolment.sessions_recorded,
        modules=[
            ModuleProgressOut(
                module_id=m.module.id, title=m.module.title, percent=m.percent,
                lessons_read=m.lessons_read, lessons_total=m.lessons_total,
                waiting_review=m.waiting_review,
                completed_at=m.completion.completed_at if m.completion else None,
                completed_how=m.completion.how if m.completion else None,
            )
            for m in found.modules
        ],
        retired_completions=[
            RetiredCompletionOut(
                module_id=c.module_id, title=c.module_title, completed_at=c.completed_at
            )
            for c in found.retired_completions
        ],
    )  # fmt: skip


@bp.get(f"{ORG}/enrolments/<{ID}:enrolment_id>/progress")
@operation(ProgressOut, tag="training")
def get_trainee_progress(org_slug, enrolment_id):
    """A trainee's progress through the curriculum, module by module (coordinators, mentors)."""
    access = org_access(org_slug, person(), need="mentor")
    return progress_out(org_enrolment(access.org, enrolment_id))


class MyEnrolmentOut(BaseModel):
    id: int
    cohort_id: int
    cohort_name: str
    curriculum_title: str
    status: str
    enrolled_at: datetime
    completed_at: datetime | None
    certificate_code: str | None = Field(description="Once completed: the certificate's code.")


class MyEnrolments(BaseModel):
    items: list[MyEnrolmentOut]


@bp.get("/training")
@operation(MyEnrolments, tag="training")
def list_my_enrolments():
    """The person's own places in cohorts, the latest first."""
    return MyEnrolments(
        items=[
            MyEnrolmentOut(
                id=e.id, cohort_id=e.cohort_id, cohort_name=e.cohort.name,
                curriculum_title=e.cohort.curriculum.title, status=e.status,
                enrolled_at=e.enrolled_at, completed_at=e.completed_at,
                certificate_code=e.certificate_code if e.status == "completed" else None,
            )
            for e in trainee_queries.enrolments_of(person())
        ]
    )  # fmt: skip


@bp.get(f"/training/<{ID}:enrolment_id>/progress")
@operation(ProgressOut, tag="training")
def get_my_progress(enrolment_id):
    """The person's own progress in one of their cohorts."""
    return progress_out(my_enrolment(person(), enrolment_id))


# Outcome figures -----------------------------------------------------------------------------


class FigureOut(BaseModel):
    value: int | None = Field(description="null: nothing to compute it from yet.")
    people: int = Field(description="How many people the figure describes.")
    small: bool = Field(description="Fewer people than the export shows: left blank in it.")


class OutcomesOut(BaseModel):
    enrolled: FigureOut
    active: FigureOut
    completed: FigureOut
    withdrawn: FigureOut
    attendance_rate: FigureOut = Field(description="Whole percent.")
    with_first_paid: FigureOut
    median_days_to_first_paid: FigureOut
    median_monthly_earnings: FigureOut = Field(description="Whole yen.")
    reached_target: FigureOut
    earnings_counted: FigureOut
    target_yen: int


class CohortOutcomesOut(BaseModel):
    cohort_id: int
    name: str
    figures: OutcomesOut


class OutcomeReportOut(BaseModel):
    minimum_people: int = Field(description="Figures about fewer people are `small`.")
    has_paid_work: bool
    cohorts: list[CohortOutcomesOut]
    total: OutcomesOut


_FIGURES = [name for name in OutcomesOut.model_fields if name != "target_yen"]


def _figures(found: outcomes.Outcomes) -> OutcomesOut:
    def figure(f: outcomes.Figure) -> FigureOut:
        return FigureOut(value=f.value, people=f.people, small=f.small)

    return OutcomesOut(
        **{name: figure(getattr(found, name)) for name in _FIGURES}, target_yen=found.target_yen
    )


def _report_out(report: reports.Report) -> OutcomeReportOut:
    return OutcomeReportOut(
        minimum_people=outcomes.MIN_CELL_PEOPLE,
        has_paid_work=report.has_paid_work,
        cohorts=[
            CohortOutcomesOut(cohort_id=c.id, name=c.name, figures=_figures(o))
            for c, o in report.rows
        ],
        total=_figures(report.total),
    )


@bp.get(f"{ORG}/outcomes")
@operation(OutcomeReportOut, tag="training")
def get_org_outcomes(org_slug):
    """The outcome figures of each cohort and of them all, as of today (coordinators)."""
    access = org_access(org_slug, person())
    return _report_out(reports.outcome_report(access.org))


@bp.get(f"{ORG}/cohorts/<{ID}:cohort_id>/outcomes")
@operation(OutcomeReportOut, tag="training")
def get_cohort_outcomes(org_slug, cohort_id):
    """The outcome figures of one cohort (coordinators)."""
    access, cohort = cohort_access(org_slug, cohort_id, person())
    return _report_out(reports.outcome_report(access.org, cohort))
