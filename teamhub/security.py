"""Sessions, security headers and rate limits."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from flask import Flask, abort, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_talisman import Talisman
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import Headers
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


class SecurityHeaders(Talisman):
    """Talisman, with each view's headers worked out once.

    Talisman writes its headers anew for every response: the view's options looked up and
    filled in, the content security policy parsed and joined again (~3% of a page's CPU).
    Without a nonce (teamhub uses none) they depend only on the view and on whether the
    request came over HTTPS (HSTS), so Talisman writes each pair once and later responses get
    a copy of what it wrote.
    """

    def __init__(self, app: Flask, **options) -> None:
        self._written: dict[tuple[str | None, bool], list[tuple[str, str]]] = {}
        super().__init__(app, **options)

    def _set_response_headers(self, response):
        if self._uses_nonce():
            return super()._set_response_headers(response)
        over_https = request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"
        key = (request.endpoint, over_https)
        written = self._written.get(key)
        if written is None:
            probe = SimpleNamespace(headers=Headers())
            super()._set_response_headers(probe)
            written = self._written[key] = list(probe.headers.items())
        for name, value in written:
            response.headers[name] = value
        return response

    def _uses_nonce(self) -> bool:
        view = current_app.view_functions.get(request.endpoint)
        options = getattr(view, "talisman_view_options", None) or {}
        return bool(
            options.get("content_security_policy_nonce_in") or self.content_security_policy_nonce_in
        )


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the cookie's serializer made once per key.

    Flask makes a new serializer for every request, and itsdangerous tries each new one out by
    serialising an empty dict (~1% of a page); the serializer holds nothing of a request.
    """

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        fallbacks = tuple(app.config["SECRET_KEY_FALLBACKS"] or ())
        return self._serializer(app.secret_key, fallbacks)

    @functools.lru_cache(maxsize=8)  # noqa: B019 - one interface per app, a few keys each
    def _serializer(self, secret_key, fallbacks: tuple):
        app = SimpleNamespace(secret_key=secret_key, config={"SECRET_KEY_FALLBACKS": fallbacks})
        return super().get_signing_serializer(app)


# Signed CSRF tokens by (secret key, the session's raw token), per worker.
_SIGNED_CSRF_TOKENS: dict[tuple[str, str], str] = {}
_SIGNED_CSRF_TOKENS_KEPT = 8192


def signed_csrf_token() -> str:
    """Flask-WTF's ``generate_csrf`` for templates, signing a session's token once per worker.

    Every page's header has two forms (log out, language), so every page signed the session's
    token anew (a timestamped signature, ~2% of a page). Without a time limit on tokens
    (``WTF_CSRF_TIME_LIMIT = None``) the timestamp is never checked, and a token signed for this
    session earlier is as valid as a new one. With a time limit, every page signs again.
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None or field in g:
        return generate_csrf()
    raw = session.get(field)
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    key = (secret, raw)
    token = _SIGNED_CSRF_TOKENS.get(key) if isinstance(raw, str) else None
    if token is not None:
        setattr(g, field, token)
        return token
    token = generate_csrf()
    if isinstance(raw, str) and session.get(field) == raw:
        if len(_SIGNED_CSRF_TOKENS) >= _SIGNED_CSRF_TOKENS_KEPT:
            _SIGNED_CSRF_TOKENS.clear()
        _SIGNED_CSRF_TOKENS[key] = token
    return token


def _sign_csrf_tokens_once(app: Flask) -> None:
    """Templates' ``csrf_token()`` is :func:`signed_csrf_token`: in place of Flask-WTF's, both
    as a global and in Flask-WTF's context processor (not in a second one beside it)."""
    app.jinja_env.globals["csrf_token"] = signed_csrf_token
    processors = app.template_context_processors[None]
    for index, processor in enumerate(processors):
        if "CSRFProtect" in getattr(processor, "__qualname__", ""):
            provided = processor()
            provided["csrf_token"] = signed_csrf_token
            processors[index] = functools.partial(dict, provided)


def configure(app: Flask) -> None:
    production = app.config["PRODUCTION"]
    app.session_interface = CookieSessions()
    _sign_csrf_tokens_once(app)
    # Talisman keeps its settings on the instance, so each app gets its own.
    SecurityHeaders(
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
