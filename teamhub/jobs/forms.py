from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from teamhub.forms import REQUIRED, nfkc_filter, strip_filter
from teamhub.jobs.models import CATEGORY_LABELS, FORMAT_LABELS, SOURCE_LABELS
from teamhub.skills import SKILL_LABELS
from teamhub.teams.forms import MultiCheckboxField, _choices


def yen_filter(value):
    """Accept '１２，０００円', '¥12,000' or '12000' for 12000."""
    if isinstance(value, str):
        value = nfkc_filter(value).replace(",", "").replace("¥", "").replace("円", "").strip()
    return value


class JobForm(FlaskForm):
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


class EscrowForm(FlaskForm):
    confirmed_date = DateField(
        _l("Escrow confirmed on"), validators=[DataRequired(_l("Enter a date."))]
    )
    confirmed_time = TimeField(
        _l("At (Japan time)"), validators=[DataRequired(_l("Enter a time."))]
    )


class CancelForm(FlaskForm):
    reason = StringField(
        _l("Reason (members will see it)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), Length(max=300)],
    )


class SplitRowForm(Form):
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


class SplitForm(FlaskForm):
    version = HiddenField()
    kept_units = IntegerField(
        _l("Units the director keeps"),
        filters=[nfkc_filter],
        validators=[Optional(), NumberRange(0, 10000)],
        default=0,
    )
    rows = FieldList(FormField(SplitRowForm), min_entries=0, max_entries=200)
