import functools
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamhub.clock import JST
from teamhub.forms import (
    LEAN_INPUTS,
    REQUIRED,
    AppForm,
    SubForm,
    lean_limits,
    nfkc_filter,
    strip_filter,
)
from teamhub.jobs.models import CATEGORY_LABELS, FORMAT_LABELS, SOURCE_LABELS
from teamhub.skills import SKILL_LABELS
from teamhub.teams.forms import MultiCheckboxField, _choices


def yen_filter(value):
    """Accept '１２，０００円', '¥12,000' or '12000' for 12000."""
    if isinstance(value, str):
        value = nfkc_filter(value).replace(",", "").replace("¥", "").replace("円", "").strip()
    return value


class JobForm(AppForm):
    title = StringField(
        _l("Job title"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=120)],
    )
    client_name = StringField(
        _l("Client (display name)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=80)],
    )
    source = SelectField(_l("Where the job comes from"), choices=_choices(SOURCE_LABELS))
    format = SelectField(_l("Format"), choices=_choices(FORMAT_LABELS))
    category = SelectField(_l("Kind of work"), choices=_choices(CATEGORY_LABELS))
    description = TextAreaField(
        _l("Description (as the client wrote it)"),
        filters=[strip_filter],
        validators=[Length(max=10000)],
        description=_l("teamhub checks it for signs of a scam."),
    )
    contract_yen = StringField(
        _l("Contract amount before tax (yen)"),
        filters=[yen_filter],
        validators=[DataRequired(REQUIRED)],
    )
    tax_shown_separately = BooleanField(_l("Consumption tax is shown separately"), default=True)
    unit_name = StringField(
        _l("Unit of work"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=60)],
        description=_l("For example: article of 3,000 characters"),
    )
    unit_count = IntegerField(
        _l("Number of units"),
        filters=[nfkc_filter],
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 10000, _l("Enter a number from 1 to 10,000.")),
        ],
    )
    due_date = DateField(
        _l("Delivery deadline (date)"), validators=[DataRequired(_l("Enter a date."))]
    )
    due_time = TimeField(_l("Time (Japan)"), validators=[Optional()], default=None)
    expected_payment_on = DateField(
        _l("Expected payment date from the platform"), validators=[Optional()]
    )
    required_skills = MultiCheckboxField(
        _l("Skills the work needs"), choices=_choices(SKILL_LABELS)
    )

    def validate_contract_yen(self, field):
        from wtforms.validators import ValidationError

        if not str(field.data).isdigit():
            raise ValidationError(_l("Enter whole yen using digits, for example 120000."))


class EscrowForm(AppForm):
    confirmed_date = DateField(
        _l("Escrow confirmed on"), validators=[DataRequired(_l("Enter a date."))]
    )
    confirmed_time = TimeField(
        _l("At (Japan time)"), validators=[DataRequired(_l("Enter a time."))]
    )


class CancelForm(AppForm):
    reason = StringField(
        _l("Reason (members will see it)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=300)],
    )


class SplitRowForm(SubForm):
    assignment_id = HiddenField()
    membership_id = SelectField(_l("Member"), choices=[], validate_choice=False)
    units = IntegerField(
        _l("Units"),
        filters=[nfkc_filter],
        validators=[Optional(), NumberRange(0, 10000)],
        default=0,
    )
    part_description = StringField(
        _l("Or the part of the work"), filters=[strip_filter], validators=[Length(max=200)]
    )
    due_date = DateField(_l("Due"), validators=[Optional()])
    pay_basis = SelectField(
        _l("Pay"),
        choices=_choices({"units": _l("By units"), "fixed": _l("Fixed")}),
        default="units",
    )
    fixed_yen = StringField(_l("Fixed yen"), filters=[yen_filter])
    override_reason = StringField(
        _l("Reason to override"), filters=[strip_filter], validators=[Length(max=300)]
    )
    remove = BooleanField(_l("Withdraw"))


class SplitForm(AppForm):
    version = HiddenField()
    kept_units = IntegerField(
        _l("Units the director keeps"),
        filters=[nfkc_filter],
        validators=[Optional(), NumberRange(0, 10000)],
        default=0,
    )
    rows = FieldList(FormField(SplitRowForm), min_entries=0, max_entries=200)


class SplitRow(NamedTuple):
    """One row of the split form as the page shows it: what an assignment holds on the first
    visit, or what the director sent (with its errors) when the save was refused. The page
    writes these without building WTForms fields (it has about 80 inputs); the save still reads
    and validates what was sent through :class:`SplitRowForm`."""

    assignment_id: str = ""
    membership_id: str = ""
    units: str = "0"
    due_date: str = ""
    pay_basis: str = "units"
    fixed_yen: str = ""
    part_description: str = ""
    override_reason: str = ""
    remove: bool = False
    errors: dict[str, list[str]] | None = None  # a field's messages; None: none


def split_row_of(assignment) -> SplitRow:
    return SplitRow(
        assignment_id=str(assignment.id),
        membership_id=str(assignment.membership_id),
        units=str(assignment.units),
        due_date=assignment.due_at.astimezone(JST).date().isoformat(),
        pay_basis=assignment.pay_basis,
        fixed_yen=str(assignment.fixed_yen or ""),
        part_description=assignment.part_description,
        override_reason=assignment.override_reason,
    )


def _shown(field) -> str:
    """A field's value as its widget writes it back (selects have no ``_value``)."""
    if field.type == "SelectField":
        return "" if field.data is None else str(field.data)
    return field._value()


def split_rows_sent(form: SplitForm) -> list[SplitRow]:
    """The rows as sent, each value as its field shows it back, with the field's errors."""
    return [
        SplitRow(
            **{name: _shown(row[name]) for name in SPLIT_ROW_TEXT},
            remove=bool(row.remove.data),
            errors={name: list(errors) for name, errors in row.errors.items()} or None,
        )
        for row in form.rows
    ]


SPLIT_ROW_TEXT = (
    "assignment_id",
    "membership_id",
    "units",
    "due_date",
    "pay_basis",
    "fixed_yen",
    "part_description",
    "override_reason",
)


class SplitRowTexts(NamedTuple):
    limits: dict[str, Markup]  # each input's validation attributes (``max="10000" min="0"``)
    pay_choices: list[tuple[str, str]]


@functools.cache
def _split_row_prototype() -> SplitRowForm:
    return SplitRowForm()


def _limits_of(field) -> Markup:
    """A field's validation attributes as its widget writes them (`` maxlength="300"``)."""
    return Markup(  # noqa: S704 - the values are escaped
        "".join(f' {key}="{escape(value)}"' for key, value in lean_limits(field))
    )


@functools.cache
def _split_row_limits() -> dict[str, Markup]:
    row = _split_row_prototype()
    return {field.name: _limits_of(field) for field in row if field.type in LEAN_INPUTS}


@functools.cache
def kept_units_limits() -> Markup:
    """The split form's kept-units input's validation attributes, for the page's blank form."""
    return _limits_of(SplitForm.kept_units.bind(None, "kept_units", _meta=SplitForm.Meta()))


@functools.cache
def cancel_reason_limits() -> Markup:
    """The cancel form's reason input's validation attributes, for the job board's blank form
    (``templates/jobs/_blank_forms.html``, as :func:`kept_units_limits`)."""
    return _limits_of(CancelForm.reason.bind(None, "reason", _meta=CancelForm.Meta()))


def split_row_texts() -> SplitRowTexts:
    """What every row of the split form shares, from the row form's own fields: validation
    attributes as the widgets write them (worked out once a process), the pay choices. The
    labels are the template's fixed texts (tests/test_forms.py compares them with the
    fields' own)."""
    row = _split_row_prototype()
    return SplitRowTexts(
        limits=_split_row_limits(),
        pay_choices=[(c.value, str(c.label)) for c in row.pay_basis.choices],
    )
