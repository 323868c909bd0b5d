from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import HiddenInput

from teamhub.clock import JST, from_jst
from teamhub.errors import Invalid
from teamhub.forms import (
    MAX_INTEGER,
    REQUIRED,
    AppForm,
    DayField,
    IdField,
    IdSelectField,
    OnceForm,
    SubForm,
    WholeNumberField,
    YenField,
    at_most,
    strip_filter,
)
from teamhub.jobs.models import CATEGORY_LABELS, FORMAT_LABELS, SOURCE_LABELS, Job
from teamhub.jobs.services import JobInput
from teamhub.jobs.split_page import Candidate, SplitPage, Suggestion
from teamhub.jobs.splitting import SplitLine
from teamhub.skills import SKILL_LABELS
from teamhub.teams.forms import MultiCheckboxField, _choices


class JobForm(OnceForm):
    title = StringField(
        _l("Job title"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(120)],
    )
    client_name = StringField(
        _l("Client (display name)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(80)],
    )
    source = SelectField(_l("Where the job comes from"), choices=_choices(SOURCE_LABELS))
    format = SelectField(_l("Format"), choices=_choices(FORMAT_LABELS))
    category = SelectField(_l("Kind of work"), choices=_choices(CATEGORY_LABELS))
    description = TextAreaField(
        _l("Description (as the client wrote it)"),
        filters=[strip_filter],
        validators=[at_most(10000)],
        description=_l("teamhub checks it for signs of a scam."),
    )
    contract_yen = YenField(_l("Contract amount before tax (yen)"))
    tax_shown_separately = BooleanField(_l("Consumption tax is shown separately"), default=True)
    unit_name = StringField(
        _l("Unit of work"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(60)],
        description=_l("For example: article of 3,000 characters"),
    )
    unit_count = WholeNumberField(
        _l("Number of units"),
        minimum=1,
        maximum=10000,
        message=_l("Enter a number from 1 to 10,000."),
    )
    due_date = DayField(
        _l("Delivery deadline (date)"), validators=[DataRequired(_l("Enter a date."))]
    )
    due_time = TimeField(_l("Time (Japan)"), validators=[Optional()], default=None)
    expected_payment_on = DayField(
        _l("Expected payment date from the platform"), validators=[Optional()]
    )
    required_skills = MultiCheckboxField(
        _l("Skills the work needs"), choices=_choices(SKILL_LABELS)
    )

    def job_input(self) -> JobInput:
        """The job as entered, for the service: its deadline in Japan time."""
        return JobInput(
            title=self.title.data,
            client_name=self.client_name.data,
            source=self.source.data,
            format=self.format.data,
            category=self.category.data,
            description=self.description.data or "",
            contract_yen=self.contract_yen.data,
            tax_shown_separately=self.tax_shown_separately.data,
            unit_name=self.unit_name.data,
            unit_count=self.unit_count.data,
            due_at=from_jst(self.due_date.data, self.due_time.data),
            expected_payment_on=self.expected_payment_on.data,
            required_skills=self.required_skills.data or [],
        )

    @classmethod
    def of_job(cls, job: Job) -> JobForm:
        """The form filled in with the job as recorded, its deadline in Japan time."""
        due = job.due_at.astimezone(JST)
        return cls(obj=job, due_date=due.date(), due_time=due.time())


class EscrowForm(AppForm):
    confirmed_date = DayField(
        _l("Escrow confirmed on"), validators=[DataRequired(_l("Enter a date."))]
    )
    confirmed_time = TimeField(
        _l("At (Japan time)"), validators=[DataRequired(_l("Enter a time."))]
    )

    @classmethod
    def blank(cls, now: datetime) -> EscrowForm:
        """The form as a visit shows it: now, in Japan time."""
        local = now.astimezone(JST)
        return cls(formdata=None, confirmed_date=local.date(), confirmed_time=local.time())

    @property
    def confirmed(self) -> datetime:
        """The moment entered, in Japan time."""
        return from_jst(self.confirmed_date.data, self.confirmed_time.data)


class CancelForm(AppForm):
    reason = StringField(
        _l("Reason (members will see it)"),
        filters=[strip_filter],
        validators=[DataRequired(REQUIRED), at_most(300)],
    )


class SplitRowForm(SubForm):
    """One row of the split: an offer already made (``assignment_id``) or a new one."""

    assignment_id = IdField(validators=[Optional()])
    membership_id = IdSelectField(_l("Member"), message=_l("Choose a member of this team."))
    units = WholeNumberField(
        _l("Units"),
        validators=[Optional()],
        maximum=10000,
        message=_l("Enter a number from 0 to 10,000."),
        default=0,
    )
    part_description = StringField(
        _l("Or the part of the work"), filters=[strip_filter], validators=[at_most(200)]
    )
    due_date = DayField(_l("Due"), validators=[Optional()])
    pay_basis = SelectField(
        _l("Pay"),
        choices=_choices({"units": _l("By units"), "fixed": _l("Fixed")}),
        default="units",
    )
    fixed_yen = YenField(_l("Fixed yen"), validators=[Optional()])
    override_reason = StringField(
        _l("Reason to override"), filters=[strip_filter], validators=[at_most(300)]
    )
    remove = BooleanField(_l("Withdraw"))

    @property
    def is_blank(self) -> bool:
        """A spare row left empty: not a line of the split."""
        return not (
            self.assignment_id.data
            or self.membership_id.data
            or self.units.data
            or self.part_description.data
        )

    def line(self, job: Job) -> SplitLine:
        due_date = self.due_date.data or job.due_at.astimezone(JST).date()
        on_deadline_day = due_date == job.due_at.astimezone(JST).date()
        return SplitLine(
            membership_id=self.membership_id.data or 0,
            units=self.units.data or 0,
            due_at=job.due_at if on_deadline_day else from_jst(due_date),
            pay_basis=self.pay_basis.data,
            fixed_yen=self.fixed_yen.data,
            part_description=self.part_description.data or "",
            override_reason=self.override_reason.data or "",
            assignment_id=self.assignment_id.data,
            remove=self.remove.data,
        )


# Rows a split page shows and a save reads, at most.
MAX_SPLIT_ROWS = 200
# A split line's fields by the names of the row's fields that were sent for them.
_ROW_FIELD_OF_LINE = {"due_at": "due_date"}


class SplitForm(AppForm):
    version = WholeNumberField(
        widget=HiddenInput(), maximum=MAX_INTEGER, message=_l("Reload the page and try again.")
    )
    kept_units = WholeNumberField(
        _l("Units the director keeps"),
        validators=[Optional()],
        maximum=10000,
        message=_l("Enter a number from 0 to 10,000."),
        default=0,
    )
    rows = FieldList(FormField(SplitRowForm), max_entries=MAX_SPLIT_ROWS)

    def __init__(self, *args, candidates: Sequence[Candidate] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._line_rows = []
        members = [SelectChoice(str(c.membership_id), c.name) for c in candidates]
        for row in self.rows:
            row.membership_id.choices = [SelectChoice("", "—"), *members]

    @classmethod
    def for_visit(
        cls,
        page: SplitPage,
        suggestion: Suggestion | None,
        empty_rows: int,
        changing: Collection[int] = (),
    ):
        """Rows for the offers opened for change (``changing``: their ids), a suggestion if
        asked for, and empty rows to fill in. The other offers stay as they are."""
        due_date = page.job.due_at.astimezone(JST).date()
        rows = [_row_of(a) for a in page.editable if a.id in changing]
        suggested = suggestion.units if suggestion else {}
        rows += [
            {"membership_id": member, "units": units, "due_date": due_date}
            for member, units in suggested.items()
        ]
        rows += [{"due_date": due_date}] * empty_rows
        data = {"version": page.job.split_version, "kept_units": page.job.kept_units}
        data["rows"] = rows[:MAX_SPLIT_ROWS]
        return cls(formdata=None, data=data, candidates=page.candidates)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.version.errors:  # not a version this page wrote
            self.form_errors.append(_("Reload the page and try again."))
        return valid

    @property
    def offer_ids(self) -> set[int]:
        """The offers already made that this form has rows for."""
        return {row.assignment_id.data for row in self.rows if row.assignment_id.data}

    def lines(self, job: Job) -> list[SplitLine]:
        """The rows filled in, as lines of the split (empty spare rows left out)."""
        self._line_rows = [row for row in self.rows if not row.form.is_blank]
        return [row.form.line(job) for row in self._line_rows]

    def show_reasons(self, error: Invalid) -> None:
        """Put the save's reasons beside the rows and fields they concern."""
        for key, message in error.reasons.items():
            if key.startswith("rows."):
                _rows, line_index, name = key.split(".", 2)
                row = self._line_rows[int(line_index)]
                row[_ROW_FIELD_OF_LINE.get(name, name)].errors.append(message)
            elif key == "kept_units":
                self.kept_units.errors.append(message)
        self.form_errors.append(error.message)


def _row_of(assignment) -> dict:
    return {
        "assignment_id": assignment.id,
        "membership_id": assignment.membership_id,
        "units": assignment.units,
        "due_date": assignment.due_at.astimezone(JST).date(),
        "pay_basis": assignment.pay_basis,
        "fixed_yen": assignment.fixed_yen,
        "part_description": assignment.part_description,
        "override_reason": assignment.override_reason,
    }
