"""What the training views share: a refused service call shown on the page again."""

from __future__ import annotations

from flask_wtf import FlaskForm

from teamhub.errors import DomainError, Invalid
from teamhub.forms import apply_reasons


class Refusal:
    """Catch a service's refusal in a view, so the page can be shown again with it.

    Written ``with refused:`` around the call to the service and what follows it: a refusal (a
    :class:`DomainError`) ends the block instead of the request. A refused input (``Invalid``)
    goes into ``form``: its reasons beside the fields they name, the rest above the form. Any
    other refusal, or one without a form to hold it, is a ``message`` for the top of the page.
    ``status`` is what the page answers: the refusal's (422 for input, 409 for a conflict …),
    422 when the submitted form did not validate, 200 otherwise; an answer of 400 or more rolls
    the request's transaction back.
    """

    def __init__(self, form: FlaskForm | None = None):
        self.form = form
        self.error: DomainError | None = None

    def __enter__(self) -> Refusal:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if not isinstance(error, DomainError):
            return False
        self.error = error
        if self._in_form:
            apply_reasons(self.form, error)
        return True

    @property
    def _in_form(self) -> bool:
        return isinstance(self.error, Invalid) and self.form is not None

    @property
    def message(self) -> str | None:
        """The refusal for the top of the page, when the form does not show it."""
        if self.error is None or self._in_form:
            return None
        return self.error.message

    @property
    def status(self) -> int:
        if self.error is not None:
            return self.error.status_code
        return 422 if self.form is not None and self.form.is_submitted() else 200


def id_from(value) -> int:
    """A database id from a select's value; 0 (matches nothing) when it is not one."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= 12 else 0
