"""Errors of the API as ``application/problem+json`` (RFC 9457), in the request's language.

A refusal of a service keeps its message and its reasons field by field: the same words the
forms show. Input the request's schema refuses (a missing field, text for a number) gets the
forms' own messages for the same mistakes (WTForms' translations)."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _
from flask_wtf.i18n import translations as wtforms_translations
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from teamhub.error_pages import titles
from teamhub.errors import DomainError, Invalid
from teamhub.forms import REQUIRED

MEDIA_TYPE = "application/problem+json"

# The kind of each problem, as a URN: stable, never a page to fetch.
_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "stale-version",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    428: "version-required",
    429: "rate-limited",
}


class FieldError(BaseModel):
    field: str = Field(description="The field, as a path: `title`, `rows.0.units`.")
    message: str


class Problem(BaseModel):
    """An error: what went wrong (``title``), this time (``detail``), and field by field."""

    type: str = Field(description="urn:teamhub:problem:<kind>")
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class TokenRefused(DomainError):
    status_code = 401


class PreconditionFailed(DomainError):
    status_code = 412


class PreconditionRequired(DomainError):
    status_code = 428


def _extra_titles() -> dict[int, tuple[str, str]]:
    return {
        412: (
            _("Changed in the meantime"),
            _("This was changed in the meantime. Read it again and send your change again."),
        ),
        428: (
            _("Version needed"),
            _("Send the version you read (If-Match) with your change."),
        ),
        415: (_("Bad request"), _("Send the request's body as JSON.")),
    }


def answer(status: int, detail: str | None, error: Exception | None):
    """The problem+json answer for an error raised while serving an API request."""
    if status >= 500:
        status = 500
    known = {**titles(), **_extra_titles()}
    title, message = known.get(status, known[500 if status >= 500 else 400])
    fields = []
    if isinstance(error, Invalid):
        fields = [FieldError(field=k, message=v) for k, v in error.reasons.items()]
    problem = Problem(
        type=f"urn:teamhub:problem:{_KINDS.get(status, 'server-error')}",
        title=title,
        status=status,
        detail=detail or message,
        errors=fields,
    )
    response = current_app.response_class(
        problem.model_dump_json(), status=status, mimetype=MEDIA_TYPE
    )
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="teamhub"'
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if isinstance(error, HTTPException) and status == 429 and error.response is not None:
        for name in ("Retry-After",):
            if name in error.response.headers:
                response.headers[name] = error.response.headers[name]
    response.headers["Content-Language"] = str(request.accept_languages.best_match(
        current_app.config["LANGUAGES"], default=current_app.config["BABEL_DEFAULT_LOCALE"]
    ))  # fmt: skip
    return response


# WTForms' own messages, in its own catalog (not teamhub's): the forms' words for these mistakes.
_wtforms = wtforms_translations.gettext
_wtforms_n = wtforms_translations.ngettext


def _message(error: dict) -> str:
    """A schema's refusal of one value in the words the forms use for the same mistake."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return str(REQUIRED)
    if kind.startswith("int_"):
        return _wtforms("Not a valid integer value.")
    if kind.startswith("date"):
        return _wtforms("Not a valid date value.")
    if kind.startswith("time"):
        return _wtforms("Not a valid time value.")
    if kind in ("literal_error", "enum"):
        return _wtforms("Not a valid choice.")
    if kind == "greater_than_equal":
        return _wtforms("Number must be at least %(min)s.") % {"min": context.get("ge")}
    if kind == "less_than_equal":
        return _wtforms("Number must be at most %(max)s.") % {"max": context.get("le")}
    if kind == "string_too_long":
        limit = int(context.get("max_length", 0))
        return _wtforms_n(
            "Field cannot be longer than %(max)d character.",
            "Field cannot be longer than %(max)d characters.",
            limit,
        ) % {"max": limit}
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith("string"):
        return _("Enter text.")
    if kind.startswith("list"):
        return _("Enter a list.")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    return _("This value cannot be used.")


def invalid_input(error: ValidationError, where: str) -> Invalid:
    """A schema's refusal as the refusal of a form: field by field."""
    reasons: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or where
        reasons.setdefault(name, _message(item))
    return Invalid(_("Please correct the marked fields."), reasons)
