"""What an organisation's coordinators change about cohorts and trainees: open and edit a
cohort, open, close or renew its application link, mark a module without a practice task completed for a trainee, recommend a graduate to a
team. The same forms and services as the coordinators' pages, reached through
:mod:`teamhub.training.access` (mentors 403, another organisation's records 404)."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from pydantic import BaseModel, Field

from teamhub.api.base import ID, body, bp, idempotent, operation, person
from teamhub.api.forms import filled
from teamhub.api.schemas import Body, Id, Text
from teamhub.api.training import COHORT, ORG, STATE_CONFLICT, CohortOut, cohort_out
from teamhub.api.training_reports import ProgressOut, progress_out
from teamhub.extensions import db
from teamhub.teams.models import Team
from teamhub.training import cohorts, progress
from teamhub.training.access import cohort_access, org_access, org_enrolment, org_module
from teamhub.training.forms import ApplicationLinkForm, CohortForm, RecommendForm
from teamhub.training.models import Curriculum

TRAINEE = f"{ORG}/enrolments/<{ID}:enrolment_id>"


class CohortEditBody(Body):
    name: Text
    capacity: int = Field(description="Places, 1 to 500; not fewer than trainees enrolled.")
    enrol_opens_on: date
    enrol_closes_on: date


class CohortBody(CohortEditBody):
    curriculum_id: Id = Field(description="One of the organisation's curricula.")


class ApplicationLinkBody(Body):
    open: bool = Field(description="Whether the link takes applicants.")
    new_link: bool = Field(False, description="Make a new link: the old one stops working.")


class ApplicationLinkOut(BaseModel):
    open: bool
    url: str = Field(description="The link applicants follow.")


class RecommendBody(Body):
    team_id: Id
    note: Text = Field("", description="For the team's directors.")


class RecommendationOut(BaseModel):
    id: int
    enrolment_id: int
    team_id: int
    team_name: str
    note: str
    created_at: datetime


def _chosen(model, record_id: int | None):
    return db.session.get(model, record_id) if record_id else None


# Cohorts -------------------------------------------------------------------------------------


@bp.post(f"{ORG}/cohorts")
@idempotent
@operation(CohortOut, status=201, json=CohortBody, tag="training")
def open_cohort(org_slug):
    """Open a cohort on one of the organisation's curricula (coordinators)."""
    access = org_access(org_slug, person())
    form = filled(CohortForm, body())
    curriculum = _chosen(Curriculum, form.curriculum_id.data)
    return cohort_out(cohorts.open_cohort(access.org, curriculum, form.cohort_input())), 201


@bp.put(COHORT)
@operation(CohortOut, json=CohortEditBody, tag="training")
def edit_cohort(org_slug, cohort_id):
    """Rename a cohort, change its places or its enrolment window; its curriculum stays
    (coordinators)."""
    _access, cohort = cohort_access(org_slug, cohort_id, person())
    form = filled(CohortForm, body())
    cohorts.update_cohort(cohort, form.cohort_input())
    return cohort_out(cohort)


@bp.put(f"{COHORT}/application-link")
@operation(ApplicationLinkOut, json=ApplicationLinkBody, tag="training")
def set_application_link(org_slug, cohort_id):
    """Open or close the cohort's application link, or renew it so the old one stops working
    (coordinators)."""
    _access, cohort = cohort_access(org_slug, cohort_id, person())
    form = filled(ApplicationLinkForm, body())
    cohorts.set_applications(cohort, form.open.data, form.new_link.data)
    url = url_for("training.apply", code=cohort.application_code, _external=True)
    return ApplicationLinkOut(open=cohort.applications_open, url=url)


# Trainees ------------------------------------------------------------------------------------


@bp.post(f"{TRAINEE}/modules/<{ID}:module_id>/complete")
@operation(ProgressOut, tag="training", errors=STATE_CONFLICT)
def complete_trainee_module(org_slug, enrolment_id, module_id):
    """Mark a module without a practice task completed for a trainee; the last one completes
    the training (coordinators)."""
    access = org_access(org_slug, person())
    enrolment = org_enrolment(access.org, enrolment_id)
    progress.complete_module(enrolment, org_module(access.org, module_id), person())
    return progress_out(enrolment)


@bp.post(f"{TRAINEE}/recommendations")
@operation(RecommendationOut, status=201, json=RecommendBody, tag="training", errors=STATE_CONFLICT)
def recommend_graduate(org_slug, enrolment_id):
    """Recommend a graduate to a team; its directors see them (coordinators)."""
    access = org_access(org_slug, person())
    enrolment = org_enrolment(access.org, enrolment_id)
    form = filled(RecommendForm, body())
    team = _chosen(Team, form.team_id.data)
    made = progress.recommend(enrolment, team, person(), form.note.data or "")
    return RecommendationOut(
        id=made.id, enrolment_id=made.enrolment_id, team_id=made.team_id, team_name=team.name,
        note=made.note, created_at=made.created_at,
    ), 201  # fmt: skip
