"""A trainee as the organisation's staff see them: progress, manual completion, withdrawal,
recommendation to a team."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from teamhub.extensions import db
from teamhub.forms import Refusal
from teamhub.teams.models import Team
from teamhub.training import enrolments, progress, queries, trainee_queries
from teamhub.training.access import org_access, org_enrolment, org_module
from teamhub.training.forms import RecommendForm


def _recommend_form(formdata=True) -> RecommendForm:
    form = RecommendForm() if formdata else RecommendForm(formdata=None)
    form.team_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(t.id), f"{t.name} ({t.region})")
        for t in queries.teams_for_recommendation()
    ]
    return form


def _trainee_page(access, enrolment, refused: Refusal, recommend_form=None):
    page = render_template(
        "training/trainee.html",
        access=access,
        org=access.org,
        enrolment=enrolment,
        person=enrolment.person,
        cohort=enrolment.cohort,
        progress=trainee_queries.progress(enrolment),
        recommendations=queries.recommendations_of(enrolment),
        recommend_form=recommend_form or _recommend_form(formdata=False),
        error=refused.message,
    )
    return page, refused.status


def _trainee_url(org_slug: str, enrolment, anchor: str = "") -> str:
    return url_for("training.trainee", org_slug=org_slug, enrolment_id=enrolment.id) + anchor


@login_required
def trainee(org_slug, enrolment_id):
    access = org_access(org_slug, current_user, need="mentor")
    return _trainee_page(access, org_enrolment(access.org, enrolment_id), Refusal())


@login_required
def complete_module(org_slug, enrolment_id, module_id):
    access = org_access(org_slug, current_user)
    enrolment = org_enrolment(access.org, enrolment_id)
    module = org_module(access.org, module_id)
    with Refusal() as refused:
        progress.complete_module(enrolment, module, current_user)
        flash(_("%(title)s is marked completed.", title=module.title), "success")
        if enrolment.status == "completed":
            name = enrolment.person.display_name
            flash(_("%(name)s completed the training.", name=name), "success")
        return redirect(_trainee_url(org_slug, enrolment, "#modules"))
    return _trainee_page(access, enrolment, refused)


@login_required
def withdraw(org_slug, enrolment_id):
    access = org_access(org_slug, current_user)
    enrolment = org_enrolment(access.org, enrolment_id)
    with Refusal() as refused:
        enrolments.withdraw(enrolment)
        flash(_("%(name)s was withdrawn.", name=enrolment.person.display_name), "success")
        return redirect(
            url_for("training.cohort", org_slug=org_slug, cohort_id=enrolment.cohort_id)
        )
    return _trainee_page(access, enrolment, refused)


@login_required
def recommend(org_slug, enrolment_id):
    access = org_access(org_slug, current_user)
    enrolment = org_enrolment(access.org, enrolment_id)
    form = _recommend_form()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
            progress.recommend(enrolment, team, current_user, form.note.data)
            name = enrolment.person.display_name
            flash(_("%(name)s was recommended to %(team)s.", name=name, team=team.name), "success")
            return redirect(_trainee_url(org_slug, enrolment))
    return _trainee_page(access, enrolment, refused, recommend_form=form)
