from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from teamhub import money
from teamhub.forms import (
    REQUIRED,
    AppForm,
    DayField,
    OnceForm,
    SubForm,
    WholeNumberField,
    at_most,
    nfkc_filter,
    strip_filter,
)
from teamhub.skills import SKILL_LABELS
from teamhub.teams import rules
from teamhub.teams.models import PAYER_TYPE_LABELS, PLATFORM_LABELS, ROLE_LABELS


def _choices(labels: dict, blank: bool = False) -> list[SelectChoice]:
    options = [SelectChoice(code, label) for code, label in labels.items()]
    return [SelectChoice("", "—"), *options] if blank else options


CLOSE_SCHEDULE_LABELS = {
    "month_end": _l("Monthly, closing at month-end"),
    "semi_monthly": _l("Twice a month, closing on the 15th and at month-end"),
}


class PlatformAccountForm(SubForm):
    platform = SelectField(
        _l("Platform"), choices=_choices(PLATFORM_LABELS, blank=True), validate_choice=False
    )
    handle = StringField(
        _l("Account name (never a password)"),
        filters=[strip_filter],
        validators=[Optional(), at_most(80)],
    )

    def validate_platform(self, field):
        if field.data and field.data not in PLATFORM_LABELS:
            raise ValidationError(_l("Choose a platform from the list."))
        if bool(field.data) != bool(self.handle.data):
            raise ValidationError(_l("Choose a platform and enter the account name."))


class TeamForm(OnceForm):
    name = StringField(
        _l("Team name"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            at_most(80),
        ],
    )
    slug = StringField(
        _l("Public address (/t/…)"),
        filters=[nfkc_filter, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[DataRequired(REQUIRED)],
        description=_l("Lower-case letters, digits and hyphens, for example amami-writers."),
    )
    prefecture = SelectField(
        _l("Prefecture"),
        choices=_choices({p: p for p in rules.PREFECTURES}, blank=True),
        validators=[DataRequired(_l("Choose a prefecture from the list."))],
    )
    municipality = StringField(
        _l("Municipality"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            at_most(40),
        ],
    )
    payer_type = SelectField(
        _l("Who pays the members"),
        choices=_choices(PAYER_TYPE_LABELS),
        description=_l("Decides whether income tax is withheld from members' fees."),
    )
    fee_rate = StringField(
        _l("Team fee (%)"),
        filters=[nfkc_filter],
        default="10",
        validators=[DataRequired(REQUIRED)],
        description=_l("The director's management cut, taken from what the team receives."),
    )
    close_schedule = SelectField(
        _l("Payout periods"),
        choices=_choices(CLOSE_SCHEDULE_LABELS),
        default="month_end",
    )
    invoice_number = StringField(
        _l("Invoice registration number (optional)"),
        filters=[rules.normalise_invoice_number],
        description=_l("T followed by 13 digits."),
    )
    description = TextAreaField(
        _l("About the team (shown on the public page)"),
        filters=[strip_filter],
        validators=[at_most(2000)],
    )
    platform_accounts = FieldList(FormField(PlatformAccountForm), min_entries=3, max_entries=6)

    def validate_slug(self, field):
        if not rules.is_valid_slug(field.data or ""):
            raise ValidationError(
                _l(
                    "Use 3-40 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
                )
            )

    def validate_fee_rate(self, field):
        if money.percent_to_bp(field.data or "") is None:
            raise ValidationError(_l("Enter a percentage from 0 to 50, for example 10 or 12.5."))

    def validate_invoice_number(self, field):
        if field.data and not rules.is_valid_invoice_number(field.data):
            raise ValidationError(_l("Enter T followed by 13 digits, for example T1234567890123."))

    def accounts(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (entry.platform.data, entry.handle.data)
            for entry in self.platform_accounts
            if entry.platform.data and entry.handle.data
        )


class InvitationForm(AppForm):
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS), default="member")
    note = StringField(
        _l("Note for yourself (who it is for)"),
        filters=[strip_filter],
        validators=[at_most(120)],
    )


class RoleForm(AppForm):
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))


class AvailabilityForm(AppForm):
    weekly_units = WholeNumberField(
        _l("Units per week (articles, images …)"),
        validators=[Optional()],
        maximum=1000,
        message=_l("Enter a number from 0 to 1000."),
    )
    weekly_hours = WholeNumberField(
        _l("Hours per week"),
        validators=[Optional()],
        maximum=168,
        message=_l("Enter a number of hours from 0 to 168."),
    )
    availability_note = StringField(
        _l("Note (for example: mornings only)"),
        filters=[strip_filter],
        validators=[at_most(200)],
    )


class AbsenceForm(OnceForm):
    starts_on = DayField(_l("First day away"), validators=[DataRequired(_l("Enter a date."))])
    ends_on = DayField(_l("Last day away"), validators=[DataRequired(_l("Enter a date."))])
    note = StringField(
        _l("Reason (optional, only your team sees it)"),
        filters=[strip_filter],
        validators=[at_most(200)],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProfileForm(AppForm):
    show_on_profile = BooleanField(_l("Show me on the team's public page"))
    public_handle = StringField(
        _l("Handle to show (not your real name)"),
        filters=[strip_filter],
        validators=[at_most(40)],
    )
    skills = MultiCheckboxField(_l("My skills"), choices=_choices(SKILL_LABELS))
