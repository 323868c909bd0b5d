from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from teamhub import money
from teamhub.forms import AppForm, DayField, IdField, YenField, at_most, strip_filter, yen_filter

WHOLE_YEN = _l("Enter whole yen using digits, for example 105600.")
NO_AMOUNT = _l("Enter the amount in whole yen.")


class ReceiptForm(AppForm):
    received_yen = YenField(
        _l("Amount received from the platform (yen)"),
        message=WHOLE_YEN,
        required=NO_AMOUNT,
        description=_l("As shown on the platform's payment statement; it replaces the estimate."),
    )
    received_on = DayField(_l("Received on"), validators=[DataRequired(_l("Enter a date."))])
    team_fee = StringField(
        _l("Team fee for this job (%)"),
        filters=[yen_filter],
        validators=[Optional()],
        description=_l("Leave empty to use the team's rate."),
    )
    reentrustment = BooleanField(
        _l("Re-entrustment: our notices name the original client (pay within 30 days of receipt)")
    )

    def validate_team_fee(self, field):
        if field.data and money.percent_to_bp(field.data) is None:
            raise ValidationError(_l("Enter a percentage from 0 to 50, for example 10 or 12.5."))


class ConfirmCloseForm(AppForm):
    period_end = DayField(widget=HiddenInput())


class PaidForm(AppForm):
    paid_on = DayField(_l("Paid on"), validators=[DataRequired(_l("Enter a date."))])


class CorrectionForm(AppForm):
    entry_id = IdField(message=_l("Choose a line of the statement."))
    gross_yen = YenField(
        _l("Corrected pay for this line (yen)"), message=WHOLE_YEN, required=NO_AMOUNT
    )
    reason = StringField(
        _l("Reason (the member sees it)"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Say why the line is corrected; the member sees it.")),
            at_most(300),
        ],
    )


class FeeScheduleForm(AppForm):
    tiers = TextAreaField(
        _l('Tiers: one per line, "upper bound in yen: rate %"; the last line has no bound'),
        validators=[DataRequired(_l('Enter at least one tier, for example ": 16.5".'))],
        description=_l("CrowdWorks, for example: 100000: 20 / 200000: 10 / : 5, one per line."),
    )
    fee_tax = StringField(
        _l("Consumption tax added on the fee (%)"),
        filters=[yen_filter],
        validators=[DataRequired(_l("Enter 0 if the rate already includes tax."))],
    )

    def validate_fee_tax(self, field):
        if money.percent_to_bp(field.data or "") is None:
            raise ValidationError(_l("Enter a percentage from 0 to 50, for example 10 or 12.5."))
