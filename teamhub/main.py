"""Home (what the person does, first), language switch and a team's public page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from teamhub.auth.services import set_locale
from teamhub.jobs.my_work import work_to_do
from teamhub.jobs.queries import track_record
from teamhub.safety import safe_next_url
from teamhub.teams.models import Membership
from teamhub.teams.queries import memberships_of, public_profile
from teamhub.training import trainee_queries

bp = Blueprint("main", __name__)


@dataclass(frozen=True)
class Home:
    """What a signed-in person's home page shows: their teams, their training, their work."""

    memberships: list[Membership]
    to_do: dict[int, int]  # assignments to answer, do or revise, by membership id
    training: trainee_queries.Dashboard

    @property
    def sections(self) -> list[str]:
        """The page's sections, what the person does first: the organisations they run
        (coordinators, mentors), the training they are in (trainees), then their teams' work;
        finished training, recommended graduates and the operator's pages after."""
        training, running = self.training, self.training.in_training
        wanted = [
            ("organisations", bool(training.roles)),
            ("training", running),
            ("teams", bool(self.memberships)),
            ("training", bool(training.enrolments) and not running),
            ("recommended", bool(training.recommended)),
            ("operator", training.is_operator),
        ]
        return [name for name, shown in wanted if shown]


def home_of(person) -> Home:
    """Everything the person's home page shows, in a few queries."""
    return Home(memberships_of(person), work_to_do(person.id), trainee_queries.dashboard(person))


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template("main/dashboard.html", home=home_of(current_user))


@bp.post("/language")
def change_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    session["lang"] = locale
    if current_user.is_authenticated:
        set_locale(current_user, locale)
    return redirect(safe_next_url(request.form.get("next"), url_for("main.home")))


@bp.get("/t/<slug>")
def public_team(slug):
    """What anyone may see of a team: who it is and its track record with clients."""
    profile = public_profile(slug)
    return render_template("teams/public.html", profile=profile, record=track_record(profile.team))
