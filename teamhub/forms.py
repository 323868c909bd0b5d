"""Helpers shared by every module's forms and views."""

from __future__ import annotations

import unicodedata

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form

from teamhub.errors import DomainError, Invalid

REQUIRED = _l("This field is required.")


class AppForm(FlaskForm):
    """Every form of a page: Flask-WTF's (CSRF token, request data, WTForms' own messages in the
    request's language)."""


class SubForm(Form):
    """A form inside a page's form (the rows of a ``FieldList(FormField(...))``). WTForms gives
    such a form no translations, so its own messages would come out in English on Japanese pages;
    here they come from Flask-WTF's translations, as the page's form's do."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations


def strip_filter(value):
    """Trim spaces, including full-width ones, from text input; a missing field becomes ''."""
    if value is None:
        return ""
    return value.strip().strip("\u3000").strip() if isinstance(value, str) else value


def nfkc_filter(value):
    """Fold full-width digits and letters (１２３ → 123) before validation."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def apply_reasons(form: FlaskForm, error: Invalid) -> None:
    """Show a service's reasons beside the fields they concern, the rest at the top."""
    placed = False
    for name, message in error.reasons.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            placed = True
    if not placed:
        form.form_errors.append(error.message)


class Refusal:
    """Catch a service's refusal in a view, so the page can be shown again with it.

    Written ``with Refusal(form) as refused:`` around the call to the service and what follows
    it: a refusal (a :class:`DomainError`) ends the block instead of the request. A refused input
    (``Invalid``) goes into ``form``: its reasons beside the fields they name, the rest above the
    form. Any other refusal, or one without a form to hold it, is a ``message`` for the top of
    the page. ``status`` is what the page answers: the refusal's (422 for input, 409 for a
    conflict …), 422 when the submitted form did not validate, 200 otherwise; an answer of 400 or
    more rolls the request's transaction back.
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


def render_form(template: str, form: FlaskForm, refused: Refusal | None = None, **context):
    """Render a form page: 200 when first shown, 422 when what was sent was refused (or the
    status of the service's refusal, whose message then heads the form)."""
    refused = refused or Refusal(form)
    if refused.message:
        form.form_errors.append(refused.message)
    return render_template(template, form=form, **context), refused.status


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(zip=zip)
