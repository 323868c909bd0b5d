from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired

from teamhub.forms import REQUIRED, AppForm, IdSelectField, at_most, strip_filter
from teamhub.teams.forms import _choices


class DeclineForm(AppForm):
    comment = StringField(
        _l("Reason (optional)"), filters=[strip_filter], validators=[at_most(300)]
    )


class SubmitForm(AppForm):
    text = TextAreaField(_l("Text"), filters=[strip_filter], validators=[at_most(100_000)])
    url = StringField(
        _l("Link (for example a Google Docs URL)"),
        filters=[strip_filter],
        validators=[at_most(500)],
    )
    file = FileField(_l("File (PDF, Word, Excel, PowerPoint, image or text; up to 10 MB)"))


class ReviewForm(AppForm):
    decision = RadioField(
        _l("Decision"),
        choices=_choices({"approve": _l("Approve"), "changes": _l("Request changes")}),
        validators=[DataRequired(_l("Choose approve or request changes."))],
    )
    comment = TextAreaField(
        _l("Comment for the member"), filters=[strip_filter], validators=[at_most(5000)]
    )


class ReassignForm(AppForm):
    membership_id = IdSelectField(
        _l("Give this work to"),
        validators=[DataRequired(_l("Choose a member of this team."))],
        message=_l("Choose a member of this team."),
    )
    reason = StringField(_l("Reason"), filters=[strip_filter], validators=[at_most(300)])


class CancelAssignmentForm(AppForm):
    reason = StringField(
        _l("Reason (the member will see it)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(300)],
    )
