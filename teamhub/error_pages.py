"""Error pages in the person's language, and domain errors turned into 4xx answers."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from teamhub.errors import DomainError
from teamhub.extensions import db

# Another way to answer errors, by the path it serves: the JSON API answers problem+json.
# ``answer(status, detail, error)`` gets the status, the refusal's message (if any) and the error.
_ANSWERS: dict[str, Callable] = {}


def answer_errors_under(prefix: str, answer: Callable) -> None:
    _ANSWERS[prefix] = answer


def titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        401: (_("Please log in"), _("You need to log in to do this.")),
        403: (_("Not allowed"), _("You do not have permission to do this.")),
        404: (_("Page not found"), _("The page does not exist or you cannot see it.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        409: (_("Already changed"), _("This was changed in the meantime. Reload and try again.")),
        413: (_("File too large"), _("The file is too large. Files can be up to 10 MB.")),
        422: (_("Please check your input"), _("Some of what you entered cannot be used.")),
        429: (
            _("Too many attempts"),
            _("Too many attempts in a short time. Wait a few minutes, then try again."),
        ),
        500: (
            _("Something went wrong"),
            _("Something went wrong on our side. Nothing was saved. Please try again later."),
        ),
    }


def render_error(status: int, detail: str | None = None, error: Exception | None = None):
    db.session.rollback()
    for prefix, answer in _ANSWERS.items():
        if request.path.startswith(prefix):
            return answer(status, detail, error)
    known = titles()
    title, message = known.get(status, known[500 if status >= 500 else 400])
    return render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    ), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        return render_error(error.status_code, error.message, error)

    @app.errorhandler(CSRFError)
    def _csrf_error(_error: CSRFError):
        return render_error(
            400, _("The form had expired. Go back, reload the page and send it again.")
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code, None, error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500, None, error)
