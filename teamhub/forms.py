"""Helpers shared by every module's forms and views."""

from __future__ import annotations

import unicodedata

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from markupsafe import Markup, escape
from wtforms import Form

from teamhub.errors import Invalid

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


def render_form(template: str, form: FlaskForm, **context):
    """Render a form page: 200 when first shown, 422 when what was sent was refused."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


# What WTForms' widgets write for the inputs pages write directly (the split form's rows).
LEAN_INPUTS = {
    "IntegerField": ("number", ("max", "min", "step")),
    "DateField": ("date", ("max", "min", "step")),
    "StringField": ("text", ("maxlength", "minlength")),
}


def lean_limits(field) -> list[tuple[str, object]]:
    """The validation attributes the field's widget would add, in WTForms' (sorted) order."""
    values = ((name, getattr(field.flags, name, None)) for name in LEAN_INPUTS[field.type][1])
    return sorted(
        (name, value) for name, value in values if value is not None and value is not False
    )


class SelectOptions:
    """A select's options, written as WTForms' ``Select`` widget writes them, escaped once.

    A page with many selects of the same choices (the split form: a member list in every
    row) gets each select's options as one joined text with its chosen value marked, instead
    of escaping every value and name again for every select (~4 µs an option)."""

    def __init__(self, choices):
        self._options = [
            (str(value), f'value="{escape(value)}">{escape(text)}</option>')
            for value, text in choices
        ]

    def __call__(self, chosen: str) -> Markup:
        return Markup(  # noqa: S704 - values and texts escaped in __init__
            "".join(
                ("<option selected " if value and value == chosen else "<option ") + tail
                for value, tail in self._options
            )
        )


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(
        select_options=SelectOptions,
        zip=zip,
    )
