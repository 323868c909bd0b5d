from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, ValidationError

from teamhub.forms import (
    REQUIRED,
    AppForm,
    DayField,
    IdSelectField,
    OnceForm,
    WholeNumberField,
    YenField,
    at_most,
    nfkc_filter,
    strip_filter,
)
from teamhub.skills import SKILL_LABELS
from teamhub.teams import rules
from teamhub.teams.forms import MultiCheckboxField, _choices
from teamhub.training.cohorts import CohortInput
from teamhub.training.models import ORG_KIND_LABELS, ORG_ROLE_LABELS
from teamhub.training.organisations import OrganisationInput


def _lower(value):
    return value.lower() if isinstance(value, str) else value


class OrganisationForm(OnceForm):
    name = StringField(
        _l("Name"), filters=[strip_filter], validators=[DataRequired(REQUIRED), at_most(80)]
    )
    slug = StringField(
        _l("Address (/orgs/…)"),
        filters=[nfkc_filter, _lower],
        validators=[DataRequired(REQUIRED)],
        description=_l("Lower-case letters, digits and hyphens, for example ashikaga-npo."),
    )
    kind = SelectField(_l("Kind"), choices=_choices(ORG_KIND_LABELS))
    prefecture = SelectField(
        _l("Prefecture"),
        choices=_choices({p: p for p in rules.PREFECTURES}, blank=True),
        validators=[DataRequired(_l("Choose a prefecture from the list."))],
    )
    municipality = StringField(
        _l("Municipality"), filters=[strip_filter], validators=[DataRequired(REQUIRED), at_most(40)]
    )

    def validate_slug(self, field):
        if not rules.is_valid_slug(field.data or ""):
            raise ValidationError(
                _l(
                    "Use 3-40 lower-case letters, digits and hyphens, starting and ending with a letter or digit."
                )
            )

    def organisation_input(self) -> OrganisationInput:
        """What was filled in, for the organisations' services."""
        return OrganisationInput(
            name=self.name.data or "",
            slug=self.slug.data or "",
            kind=self.kind.data or "",
            prefecture=self.prefecture.data or "",
            municipality=self.municipality.data or "",
        )


class AppointForm(AppForm):
    email = EmailField(
        _l("Email address of their teamhub account"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(254)],
    )
    role = SelectField(_l("Role"), choices=_choices(ORG_ROLE_LABELS), default="coordinator")


class TargetForm(AppForm):
    target_monthly_yen = YenField(
        _l("Target monthly income of a graduate (yen)"),
        maximum=999_999_999,
        message=_l("Enter whole yen using digits, for example 200000."),
        description=_l("The outcome report counts graduates who reach it. Usually 200,000."),
    )


class CurriculumForm(OnceForm):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(REQUIRED), at_most(120)]
    )
    description = TextAreaField(
        _l("Description (optional)"), filters=[strip_filter], validators=[at_most(5000)]
    )


class ModuleForm(OnceForm):
    title = StringField(
        _l("Module title"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(120)],
    )
    summary = TextAreaField(
        _l("What the trainee learns (optional)"), filters=[strip_filter], validators=[at_most(2000)]
    )
    practice_task = TextAreaField(
        _l("Practice task (optional, Markdown)"),
        filters=[strip_filter],
        validators=[at_most(10000)],
        description=_l(
            "With a task, the module is completed when a coordinator passes the trainee's work. "
            "Without one, a coordinator marks it completed."
        ),
    )
    skills = MultiCheckboxField(_l("Skills this module grants"), choices=_choices(SKILL_LABELS))


class MoveForm(AppForm):
    direction = SelectField(
        _l("Direction"),
        choices=[SelectChoice("up", _l("Up")), SelectChoice("down", _l("Down"))],
    )


class LessonForm(OnceForm):
    title = StringField(
        _l("Lesson title"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(120)],
    )
    body = TextAreaField(
        _l("Lesson text (Markdown)"),
        validators=[at_most(50000)],
        description=_l("# Heading, **bold**, - list, [link](https://…). HTML is not shown."),
    )


class CohortForm(OnceForm):
    name = StringField(
        _l("Cohort name"), filters=[strip_filter], validators=[DataRequired(REQUIRED), at_most(80)]
    )
    curriculum_id = IdSelectField(
        _l("Curriculum"), message=_l("Choose a curriculum from the list.")
    )
    capacity = WholeNumberField(
        _l("Places"), minimum=1, maximum=500, message=_l("Enter a number from 1 to 500.")
    )
    enrol_opens_on = DayField(
        _l("Enrolment opens on"), validators=[DataRequired(_l("Enter a date."))]
    )
    enrol_closes_on = DayField(
        _l("Enrolment closes on"), validators=[DataRequired(_l("Enter a date."))]
    )

    def cohort_input(self) -> CohortInput:
        """What the cohort services take from this form (a page's or the API's)."""
        return CohortInput(
            name=self.name.data,
            capacity=self.capacity.data,
            enrol_opens_on=self.enrol_opens_on.data,
            enrol_closes_on=self.enrol_closes_on.data,
        )


class SessionForm(OnceForm):
    starts_on = DayField(_l("Date"), validators=[DataRequired(_l("Enter a date."))])
    starts_time = TimeField(
        _l("Start time (Japan)"), validators=[DataRequired(_l("Enter a time, for example 10:00."))]
    )
    duration_minutes = WholeNumberField(
        _l("Length (minutes)"),
        default=90,
        minimum=1,
        maximum=720,
        message=_l("Enter a length from 1 to 720 minutes."),
    )
    topic = StringField(_l("Topic (optional)"), filters=[strip_filter], validators=[at_most(120)])
    place = StringField(_l("Place"), filters=[strip_filter], validators=[at_most(200)])
    online_url = StringField(
        _l("Online link"),
        filters=[strip_filter],
        validators=[at_most(500)],
        description=_l("For example a Zoom or Google Meet link, starting with https://"),
    )


class EnrolForm(AppForm):
    email = EmailField(
        _l("Trainee's email address"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(254)],
        description=_l("They need a teamhub account. Or share the application link."),
    )


class ApplicationLinkForm(AppForm):
    open = BooleanField(_l("Accept applications through the link"))
    new_link = BooleanField(_l("Make a new link (the old one stops working)"))


class SubmissionForm(AppForm):
    text = TextAreaField(_l("Your answer"), validators=[at_most(20000)])
    link_url = StringField(
        _l("Or a link to your work (optional)"), filters=[strip_filter], validators=[at_most(500)]
    )


class ReviewForm(AppForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("pass", _l("Pass")),
            SelectChoice("retry", _l("Ask for another try")),
        ],
        validators=[InputRequired(_l("Choose pass or another try."))],
    )
    comment = TextAreaField(
        _l("Comment for the trainee"),
        validators=[at_most(5000)],
        description=_l("Needed when you ask for another try: say what to change."),
    )


class RecommendForm(AppForm):
    team_id = IdSelectField(_l("Team"), message=_l("Choose a team from the list."))
    note = TextAreaField(
        _l("Note for the team's directors (optional)"),
        filters=[strip_filter],
        validators=[at_most(500)],
    )
