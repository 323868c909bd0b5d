"""Password policy and hashing: at least 8 characters, common ones refused, a slow hash."""

from __future__ import annotations

import unicodedata
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from teamhub.forms import too_long

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str | None:
    """Return why ``password`` is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return too_long(MAX_LENGTH)
    folded = unicodedata.normalize("NFKC", password).lower()
    if folded in _common_passwords() or len(set(folded)) <= 2:
        return _("This password is too common. Choose one that is hard to guess.")
    local_part = email.split("@")[0].lower()
    if folded in {email.lower(), local_part, display_name.lower()}:
        return _("Do not use your email address or name as your password.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
