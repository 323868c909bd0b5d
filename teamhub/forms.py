"""Helpers shared by every module's forms and views."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date, datetime

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from werkzeug.routing import IntegerConverter
from wtforms import (
    DateField,
    Field,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
)
from wtforms.validators import Length, Optional, Regexp, StopValidation
from wtforms.widgets import HiddenInput, TextInput

from teamhub.errors import DomainError, Invalid
from teamhub.extensions import db

REQUIRED = _l("This field is required.")
NUL_REFUSED = _l("Remove the invisible control character (NUL) from what you entered.")

# What an integer column holds on both databases (PostgreSQL's INTEGER has 32 bits).
MAX_INTEGER = 2**31 - 1
# An id a form or an address may name: what the id columns hold, so a lookup never overflows.
MAX_ID = MAX_INTEGER
# The days a form accepts: any real deadline or payment fits, and every computation on them
# (Japan time to UTC, a period's end, days added) stays within what dates can hold.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
_DAY_FORMATS = ("%Y-%m-%d", "%Y/%m/%d")
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,20}")


def parse_id(value) -> int | None:
    """A record's id as a form or an address sends it (ASCII digits, 1 to MAX_ID); None when
    it is not one, so that it matches nothing instead of failing."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    text = value.strip() if isinstance(value, str) else ""
    number = int(text) if _WHOLE_NUMBER.fullmatch(text) else 0
    return number if 1 <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """A record's id in a page's address (``<id:job_id>``): 1 to MAX_ID. Any other number
    matches no page, so it is 404 like an id that names nothing, never an overflow."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def parse_day(value) -> date | None:
    """A day as a form or an address sends it (2026-12-05 or 2026/12/05), from FIRST_DAY to
    LAST_DAY; None when it is not one."""
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else ""
    for form in _DAY_FORMATS:
        try:
            day = datetime.strptime(text, form).date()
        except ValueError:
            continue
        return day if FIRST_DAY <= day <= LAST_DAY else None
    return None


def _has_nul(field: Field) -> bool:
    return any(isinstance(value, str) and "\x00" in value for value in field.raw_data or ())


def _refuse_nul(fields) -> None:
    """Refuse every field sent with a NUL character (no database stores one in text), as a
    mistake of its input: its message shows beside it, whatever else it is checked for."""
    for field in fields:
        if isinstance(field, FieldList):
            _refuse_nul(field.entries)
        elif isinstance(field, FormField):
            _refuse_nul(field.form)
        elif _has_nul(field) and NUL_REFUSED not in field.process_errors:
            field.process_errors.append(NUL_REFUSED)


class AppForm(FlaskForm):
    """Every form of a page: Flask-WTF's (CSRF token, request data, WTForms' own messages in the
    request's language). Text with a NUL character is refused in any of its fields."""

    def validate(self, extra_validators=None) -> bool:
        _refuse_nul(self)
        return super().validate(extra_validators)


def new_submission_key() -> str:
    """A form's key, made when its page is shown (``teamhub.submissions``)."""
    return secrets.token_hex(16)


class OnceForm(AppForm):
    """A form that creates something: its key lets a repeat of the same form (a double click,
    a second try) take effect once (``teamhub.submissions.claim``)."""

    submission_key = HiddenField(
        default=new_submission_key,
        validators=[
            Optional(),
            Regexp(r"^[0-9a-f]{32}$", message=_l("Reload the page and try again.")),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.submission_key.errors:  # not a key a page made: the hidden field shows nothing
            self.form_errors.append(_("Reload the page and try again."))
        return valid


class SubForm(Form):
    """A form inside a page's form (the rows of a ``FieldList(FormField(...))``). WTForms gives
    such a form no translations, so its own messages would come out in English on Japanese pages;
    here they come from Flask-WTF's translations, as the page's form's do."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations


def too_long(limit: int) -> str:
    """What a text over ``limit`` characters is refused with, on every page and in every service
    ("Use at most 2,000 characters.")."""
    return _("Use at most %(n)s characters.", n=format(limit, ","))


def at_most(limit: int) -> Length:
    """A text field's check: at most ``limit`` characters, refused as :func:`too_long` says."""
    return Length(max=limit, message=_l("Use at most %(n)s characters.", n=format(limit, ",")))


def strip_filter(value):
    """Trim spaces, including full-width ones, from text input; a missing field becomes ''."""
    if value is None:
        return ""
    return value.strip().strip("\u3000").strip() if isinstance(value, str) else value


def nfkc_filter(value):
    """Fold full-width digits and letters (１２３ → 123) before validation."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """A whole number from ``minimum`` to ``maximum`` (within its column), typed in digits
    (full-width ones folded); anything else is refused with ``message``. Left empty, it is
    refused with ``required`` unless the field is ``Optional()``."""

    def __init__(
        self,
        label=None,
        validators=None,
        minimum=0,
        maximum=MAX_INTEGER,
        message=None,
        required=REQUIRED,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.required = minimum, maximum, required
        low, high = format(minimum, ","), format(maximum, ",")
        self.message = message or _l(
            "Enter a whole number from %(minimum)s to %(maximum)s.", minimum=low, maximum=high
        )

    def _text(self, sent) -> str:
        return unicodedata.normalize("NFKC", sent).strip() if isinstance(sent, str) else "?"

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = self._text(valuelist[0])
        number = int(text) if _WHOLE_NUMBER.fullmatch(text) else None
        if number is None or not self.minimum <= number <= self.maximum:
            self.data = None
            if text:
                raise ValueError(self.message)
            return
        self.data = number

    def pre_validate(self, form):
        if self.process_errors:  # its message is shown already; nothing more to check
            raise StopValidation()
        if self.data is None and not self.flags.optional:
            raise StopValidation(self.required)


class YenField(WholeNumberField):
    """Whole yen as people write them ('１２，０００円', '¥12,000' or '12000'), in a text input."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, maximum=MAX_INTEGER, **kwargs):
        kwargs.setdefault("message", _l("Enter whole yen using digits, for example 120000."))
        super().__init__(label, validators, minimum=0, maximum=maximum, **kwargs)

    def _text(self, sent) -> str:
        return yen_filter(sent) if isinstance(sent, str) else "?"


class IdField(WholeNumberField):
    """A record's id a page sends back in a hidden input: 1 to MAX_ID."""

    widget = HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("message", _l("Reload the page and try again."))
        super().__init__(label, validators, minimum=1, maximum=MAX_ID, **kwargs)


class IdSelectField(SelectField):
    """A choice of record sent as its id (1 to MAX_ID), the blank choice as None; anything else
    is refused with ``message``. Which records may be chosen is the service's to say."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        kwargs.setdefault("choices", [])
        super().__init__(label, validators, coerce=parse_id, validate_choice=False, **kwargs)
        self.message = message or _l("Choose from the list.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip() if isinstance(valuelist[0], str) else ""
        self.data = parse_id(text)
        if text and self.data is None:
            raise ValueError(self.message)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class DayField(DateField):
    """A day from FIRST_DAY to LAST_DAY (2026-12-05 or 2026/12/05); anything else is refused
    with a message that says the range. Every form's dates are this field."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        render_kw.update(kwargs.pop("render_kw", None) or {})
        super().__init__(
            label, validators, format=list(_DAY_FORMATS), render_kw=render_kw, **kwargs
        )

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = " ".join(v if isinstance(v, str) else "?" for v in valuelist).strip()
        self.data = parse_day(text)
        if text and self.data is None:
            raise ValueError(
                _l(
                    "Enter a date from %(first)s to %(last)s, for example %(example)s.",
                    first=FIRST_DAY.strftime("%Y/%m/%d"),
                    last=LAST_DAY.strftime("%Y/%m/%d"),
                    example="2026/12/05",
                )
            )

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


def yen_filter(value):
    """Accept '１２，０００円', '¥12,000' or '12000' for 12000."""
    if isinstance(value, str):
        value = nfkc_filter(value).replace(",", "").replace("¥", "").replace("円", "").strip()
    return value


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
    it: a refusal (a :class:`DomainError`) ends the block instead of the request, and what the
    action had changed is forgotten, so the page shows the records as stored. A refused input
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
        forget_changes()
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


def forget_changes() -> None:
    """Drop what a refused action changed before its page is shown again, so the page shows
    the records as they are (the request's transaction is rolled back anyway)."""
    db.session.rollback()


def render_form(template: str, form: FlaskForm, refused: Refusal | None = None, **context):
    """Render a form page: 200 when first shown, 422 when what was sent was refused (or the
    status of the service's refusal, whose message then heads the form)."""
    refused = refused or Refusal(form)
    if refused.message:
        form.form_errors.append(refused.message)
    return render_template(template, form=form, **context), refused.status


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(zip=zip)
