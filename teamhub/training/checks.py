"""Input checks the training services share: each refusal names the form field it concerns."""

from __future__ import annotations

from typing import NoReturn
from urllib.parse import urlsplit

from flask_babel import gettext as _

from teamhub.errors import Invalid
from teamhub.forms import too_long


def refuse(field: str, message: str) -> NoReturn:
    """Refuse the input because of one field."""
    raise Invalid(message, {field: message})


def check_length(reasons: dict, field: str, value: str, limit: int, required: bool = True):
    """Note in ``reasons`` a required text left empty or a text longer than ``limit``."""
    if required and not value.strip():
        reasons[field] = _("This field is required.")
    elif len(value) > limit:
        reasons[field] = too_long(limit)


def raise_if(reasons: dict[str, str]) -> None:
    """Refuse the input when any field has a reason."""
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)


def check_web_link(url: str, field: str) -> str:
    """Return a full http(s) link, or refuse it (no javascript: or data: links)."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        refuse(field, _("Enter a full link starting with https://"))
    return url
