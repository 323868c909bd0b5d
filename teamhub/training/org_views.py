"""An organisation's home page and settings, and the graduates recommended to a team."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.forms import Refusal, render_form
from teamhub.teams.queries import team_access
from teamhub.training import organisations, queries
from teamhub.training.access import org_access
from teamhub.training.forms import TargetForm


@login_required
def org_home(org_slug):
    access = org_access(org_slug, current_user, need="mentor")
    return render_template(
        "training/org.html",
        access=access,
        org=access.org,
        curricula=queries.curricula(access.org),
        cohorts=queries.cohorts(access.org),
        pending=queries.pending_review_count(access.org),
    )


@login_required
def org_settings(org_slug):
    access = org_access(org_slug, current_user)
    form = TargetForm(obj=access.org if request.method == "GET" else None)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            organisations.set_target_income(access.org, form.target_monthly_yen.data)
            flash(_("The target income was saved."), "success")
            return redirect(url_for("training.org_home", org_slug=org_slug))
    return render_form("training/settings.html", form, refused, access=access, org=access.org)


@login_required
def team_graduates(slug):
    access = team_access(slug, current_user, need="director")
    graduates, needed = queries.team_graduates(access.team)
    return render_template(
        "training/graduates.html",
        access=access,
        team=access.team,
        fitting=[g for g in graduates if g.fitting],
        others=[g for g in graduates if not g.fitting],
        needed=needed,
    )
