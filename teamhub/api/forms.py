"""The pages' own forms, run on an API request's body: the same input rules and messages as a
page, field by field, with no rule written a second time.

The request's schema (pydantic) has already checked the body's shape and types; the body is then
given to the page's form as if it had been posted from the page (CSRF aside: a token is not an
ambient credential), and the form's conversions feed the same service the page calls."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel
from werkzeug.datastructures import FileStorage, MultiDict

from teamhub.errors import Invalid


def _posted(value: Any) -> Any:
    """A value as a page's form would post it (a file as it was received); None for one a page
    leaves out."""
    if value is None or value is False:
        return None
    if isinstance(value, FileStorage):
        return value
    if value is True:
        return "y"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def formdata(data: dict[str, Any], prefix: str = "") -> MultiDict:
    """``data`` as a page's form posts it: lists of values repeated, rows as ``rows-0-units``."""
    posted = MultiDict()
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    for inner_key, inner_value in formdata(item, f"{key}-{index}-").items(
                        multi=True
                    ):
                        posted.add(inner_key, inner_value)
                elif _posted(item) is not None:
                    posted.add(key, _posted(item))
        elif _posted(value) is not None:
            posted.add(key, _posted(value))
    return posted


def _flatten(errors: Any, prefix: str = "") -> dict[str, str]:
    """WTForms' errors ({field: [messages]}, rows as lists of such) as one message per path."""
    flat: dict[str, str] = {}
    if isinstance(errors, dict):
        for name, inner in errors.items():
            path = f"{prefix}{name}" if name is not None else prefix.rstrip(".")
            flat.update(_flatten(inner, f"{path}."))
    elif isinstance(errors, list):
        for index, inner in enumerate(errors):
            if not isinstance(inner, dict | list):  # a message (lazy text too)
                flat.setdefault(prefix.rstrip("."), str(inner))
            else:
                flat.update(_flatten(inner, f"{prefix}{index}."))
    return flat


def filled(form_class: type, payload: BaseModel | dict, **kwargs: Any):
    """The page's form filled with the request's body and validated; its refusal is an
    :class:`Invalid` with the form's messages, field by field."""
    data = payload.model_dump() if isinstance(payload, BaseModel) else payload
    form = form_class(formdata=formdata(data), meta={"csrf": False}, **kwargs)
    if not form.validate():
        reasons = _flatten(form.errors)
        top = reasons.pop("", None)
        raise Invalid(top or _("Please correct the marked fields."), reasons)
    return form
