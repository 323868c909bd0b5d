"""Sessions, security headers and rate limits."""

from __future__ import annotations

from flask import Flask, abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from teamhub.extensions import limiter, login_manager

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def configure(app: Flask) -> None:
    production = app.config["PRODUCTION"]
    # Talisman keeps its settings on the instance, so each app gets its own.
    Talisman(
        app,
        force_https=production,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        strict_transport_security=True,
        referrer_policy="same-origin",
    )
    if app.config["BEHIND_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.after_request(_no_store_when_signed_in)


def check_limits_in_limited_views_only(app: Flask) -> None:
    """Flask-Limiter checks, before every request, the limits that apply to every view (default,
    application and blueprint limits). teamhub has none of those: its limits are on the login
    form's view, and Flask-Limiter's decorator checks them itself when that view runs. So that
    check is dropped while no such limit is set (an operator who sets ``RATELIMIT_DEFAULT`` or
    ``RATELIMIT_APPLICATION`` keeps it): it cost every page ~0.05 ms, a health check 6% of its
    time, to find nothing to check."""
    manager = limiter.limit_manager
    blueprint_limits = getattr(manager, "_blueprint_limits", None)
    if manager.default_limits or manager.application_limits or blueprint_limits != {}:
        return
    app.before_request_funcs[None].remove(limiter._check_request_limit)


@login_manager.user_loader
def load_person(login_token: str):
    """Accept a login cookie only while its login session has not ended. On a team's pages
    (URLs with ``<slug>``) or an organisation's (``<org_slug>``), the same query loads the
    team or organisation and the person's membership in it."""
    from teamhub.auth.services import person_for_login_token

    view_args = (request.view_args if request else None) or {}
    team_slug, org_slug = view_args.get("slug"), view_args.get("org_slug")
    return person_for_login_token(
        login_token,
        team_slug=team_slug if isinstance(team_slug, str) else None,
        org_slug=org_slug if isinstance(org_slug, str) else None,
    )


@login_manager.unauthorized_handler
def _unauthorized():
    if request.method != "GET":
        abort(401)
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _no_store_when_signed_in(response):
    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
