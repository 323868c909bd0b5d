"""Home, language switch and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from teamhub.auth.services import set_locale
from teamhub.extensions import db
from teamhub.safety import safe_next_url
from teamhub.teams.queries import memberships_of

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    return render_template("main/dashboard.html", memberships=memberships_of(current_user))


@bp.post("/language")
def change_language():
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    session["lang"] = locale
    if current_user.is_authenticated:
        set_locale(current_user, locale)
    return redirect(safe_next_url(request.form.get("next"), url_for("main.home")))


@bp.get("/healthz")
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
