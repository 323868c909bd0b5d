"""Signing a browser in: a fresh session and a login session the cookie names."""

from __future__ import annotations

from flask import request, session
from flask_login import login_user

from teamhub.auth import services
from teamhub.auth.models import Person


def log_in(person: Person, remember: bool = False) -> None:
    """Start a fresh session for ``person`` (nothing from before login carries over but the
    chosen language)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    services.start_login_session(person, request.user_agent.string or "")
    login_user(person, remember=remember)
