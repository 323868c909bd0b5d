from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, ValidationError

from teamhub.auth.passwords import password_problem
from teamhub.auth.services import email_taken_problem
from teamhub.forms import REQUIRED, AppForm, at_most, strip_filter


def _refuse(problem: str | None) -> None:
    if problem:
        raise ValidationError(problem)


class SignupForm(AppForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address, for example hanako@example.jp.")),
            at_most(254),
        ],
    )
    display_name = StringField(
        _l("Name shown to your team"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            at_most(80),
        ],
    )
    password = PasswordField(
        _l("Password (at least 8 characters)"), validators=[DataRequired(REQUIRED)]
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The passwords do not match."))],
    )

    # The services' own checks, run with the form's so every problem is marked at once.
    def validate_email(self, field) -> None:
        if not field.errors:
            _refuse(email_taken_problem(field.data or ""))

    def validate_password(self, field) -> None:
        email, name = self.email.data or "", self.display_name.data or ""
        _refuse(password_problem(field.data or "", email=email, display_name=name))


class LoginForm(AppForm):
    email = EmailField(
        _l("Email address"), filters=[strip_filter], validators=[DataRequired(REQUIRED)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordForm(AppForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(
        _l("New password (at least 8 characters)"), validators=[DataRequired(REQUIRED)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", _l("The passwords do not match.")),
        ],
    )

    def __init__(self, person, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def validate_new_password(self, field) -> None:
        person = self.person
        _refuse(
            password_problem(field.data or "", email=person.email, display_name=person.display_name)
        )


class EmptyForm(AppForm):
    """A form with only its CSRF token, for buttons that change state."""


class TokenForm(AppForm):
    name = StringField(
        _l("Name (what the token is for)"),
        filters=[strip_filter],
        validators=[
            DataRequired(REQUIRED),
            at_most(80),
        ],
    )
    scope = RadioField(
        _l("Access"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice("write", _l("Read and write")),
        ],
        default="read",
    )
    expires_in_days = SelectField(
        _l("Expires after"),
        coerce=int,
        choices=[
            SelectChoice(30, _l("30 days")),
            SelectChoice(90, _l("90 days")),
            SelectChoice(180, _l("180 days")),
            SelectChoice(365, _l("1 year")),
        ],
        default=90,
    )
