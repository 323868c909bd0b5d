"""Job pages for directors and editors: record, board, escrow, scam guard, split."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.clock import JST, from_jst, today_jst, utcnow
from teamhub.errors import Conflict, DomainError, Invalid
from teamhub.forms import apply_reasons, render_form
from teamhub.jobs import queries, scam, services, splitting
from teamhub.jobs.forms import (
    CancelForm,
    EscrowForm,
    JobForm,
    SplitForm,
    SplitRow,
    cancel_reason_limits,
    kept_units_limits,
    split_row_of,
    split_rows_sent,
)
from teamhub.teams.queries import team_access


def _job_input(form: JobForm) -> services.JobInput:
    return services.JobInput(
        title=form.title.data,
        client_name=form.client_name.data,
        source=form.source.data,
        format=form.format.data,
        category=form.category.data,
        description=form.description.data or "",
        contract_yen=int(form.contract_yen.data),
        tax_shown_separately=form.tax_shown_separately.data,
        unit_name=form.unit_name.data,
        unit_count=form.unit_count.data,
        due_at=from_jst(form.due_date.data, form.due_time.data),
        expected_payment_on=form.expected_payment_on.data,
        required_skills=form.required_skills.data or [],
    )


@login_required
def job_list(slug):
    access = team_access(slug, current_user, need="editor")
    return render_template(
        "jobs/list.html", access=access, team=access.team, rows=queries.jobs_of(access.team)
    )


@login_required
def new_job(slug):
    access = team_access(slug, current_user, need="director")
    form = JobForm()
    if form.validate_on_submit():
        try:
            job = services.record_job(access.team, current_user, _job_input(form))
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The job was recorded."), "success")
            return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
    return render_form("jobs/form.html", form, access=access, team=access.team, job=None)


@login_required
def edit_job(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = JobForm(obj=job if request.method == "GET" else None)
    if request.method == "GET":
        local_due = job.due_at.astimezone(JST)
        form.due_date.data, form.due_time.data = local_due.date(), local_due.time()
        form.contract_yen.data = str(job.contract_yen)
    if form.validate_on_submit():
        try:
            services.update_job(job, _job_input(form))
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The job was updated."), "success")
            return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
    return render_form("jobs/form.html", form, access=access, team=access.team, job=job)


def _board_page(access, job_id, status=200, **forms):
    board = queries.board(access.team, job_id)
    job = board.job
    # Forms sent back with errors come in ``forms``; a visit writes them empty
    # (templates/jobs/_blank_forms.html) without building WTForms forms.
    escrow_form = forms.get("escrow_form")
    escrow_now = None
    if escrow_form is None and _shows_escrow_form(access, job):
        escrow_now = utcnow().astimezone(JST)
    cancel_form = forms.get("cancel_form")
    blank_cancel = cancel_form is None and access.is_director and job.is_open
    page = render_template(
        "jobs/board.html",
        access=access,
        team=access.team,
        board=board,
        reasons=scam.from_json(job.scam_reasons),
        escrow_form=escrow_form,
        escrow_now=escrow_now,
        cancel_form=cancel_form,
        cancel_limits=cancel_reason_limits() if blank_cancel else None,
        error=forms.get("error"),
    )
    return page, status


def _shows_escrow_form(access, job) -> bool:
    return access.is_director and job.is_open and job.needs_escrow and not job.escrow_confirmed_at


@login_required
def job_board(slug, job_id):
    access = team_access(slug, current_user, need="editor")
    return _board_page(access, job_id)


@login_required
def confirm_escrow(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = EscrowForm()
    if not form.validate_on_submit():
        return _board_page(access, job.id, 422, escrow_form=form)
    try:
        services.confirm_escrow(
            job, current_user, from_jst(form.confirmed_date.data, form.confirmed_time.data)
        )
    except DomainError as error:
        return _board_page(access, job.id, error.status_code, escrow_form=form, error=error.message)
    flash(_("Escrow confirmed. Members can now start work."), "success")
    return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))


@login_required
def acknowledge_flags(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    services.acknowledge_scam_flags(job, current_user)
    flash(_("You acknowledged the scam guard's warning for this job."), "success")
    return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))


@login_required
def cancel_job(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _board_page(access, job.id, 422, cancel_form=form)
    try:
        services.cancel_job(job, access.membership, form.reason.data)
    except DomainError as error:
        return _board_page(access, job.id, error.status_code, cancel_form=form, error=error.message)
    flash(_("The job was cancelled."), "success")
    return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))


# Splitting -----------------------------------------------------------------------------------


def _split_rows_for_get(job, pool, editable, locked: int, suggest: bool, extra_rows: int):
    """The rows the page starts with: the job's assignments still open to change, a suggestion
    if asked for, and empty rows; and why a suggestion asked for gave no one anything."""
    due_date = job.due_at.astimezone(JST).date().isoformat()
    rows, why_none = [split_row_of(a) for a in editable], ""
    if suggest:
        left = job.unit_count - job.kept_units - locked - sum(a.units for a in editable)
        suggested = splitting.suggest(max(0, left), pool)
        rows += [
            SplitRow(membership_id=str(membership_id), units=str(units), due_date=due_date)
            for membership_id, units in suggested.items()
        ]
        if not suggested:
            why_none = splitting.why_nothing_suggested(left, pool)
    rows += [SplitRow(due_date=due_date)] * extra_rows
    return rows, why_none


def _lines_from(form: SplitForm, job) -> tuple[list[splitting.SplitLine], list[int]]:
    lines, rows = [], []
    job_due_date = job.due_at.astimezone(JST).date()
    for index, row in enumerate(form.rows):
        is_new = not row.assignment_id.data
        if (
            is_new
            and not row.membership_id.data
            and not row.units.data
            and not row.part_description.data
        ):
            continue  # an empty spare row
        due_date = row.due_date.data or job_due_date
        due_at = job.due_at if due_date == job_due_date else from_jst(due_date)
        fixed = row.fixed_yen.data
        lines.append(
            splitting.SplitLine(
                membership_id=int(row.membership_id.data)
                if str(row.membership_id.data).isdigit()
                else 0,
                units=row.units.data or 0,
                due_at=due_at,
                pay_basis=row.pay_basis.data,
                fixed_yen=int(fixed) if str(fixed).isdigit() else None,
                part_description=row.part_description.data or "",
                override_reason=row.override_reason.data or "",
                assignment_id=None if is_new else int(row.assignment_id.data),
                remove=row.remove.data,
            )
        )
        rows.append(index)
    return lines, rows


# A split line's fields by the names of the form's fields that were sent for them.
_ROW_FIELD_OF_LINE = {"due_at": "due_date"}


def _place_row_errors(form: SplitForm, error: Invalid, rows: list[int]) -> None:
    for key, message in error.reasons.items():
        if key.startswith("rows."):
            _rows, line_index, name = key.split(".", 2)
            field = form.rows[rows[int(line_index)]][_ROW_FIELD_OF_LINE.get(name, name)]
            field.errors = [*list(field.errors or []), message]
        elif key == "kept_units":
            form.kept_units.errors = [*list(form.kept_units.errors or []), message]
    form.form_errors.append(error.message)


def _split_page(
    access, job, form, pool, status=200, conflict=None, locked=None, rows=None, notice=""
):
    page = render_template(
        "jobs/split.html",
        access=access,
        team=access.team,
        job=job,
        form=form,
        rows=split_rows_sent(form) if rows is None else rows,
        kept_units_limits=kept_units_limits() if form is None else None,
        members=[(str(c.membership_id), c.name) for c in pool],
        pool=pool,
        locked_units=splitting.units_locked(job) if locked is None else locked,
        today=today_jst(),
        conflict=conflict,
        notice=notice,
    )
    return page, status


@login_required
def split_job(slug, job_id):
    access = team_access(slug, current_user, need="director")
    if request.method == "GET":
        job, assignments, pool = splitting.split_reading(access.team.id, job_id)
        editable = [a for a in assignments if a.state in splitting.EDITABLE_STATES]
        locked = splitting.locked_units_of(assignments)
        extra = min(max(request.args.get("rows", 3, type=int) or 0, 0), 50)
        suggest = request.args.get("suggest") == "1"
        rows, why_none = _split_rows_for_get(job, pool, editable, locked, suggest, extra)
        # A visit writes the form's own fields empty (templates/jobs/_blank_forms.html).
        return _split_page(access, job, None, pool, locked=locked, rows=rows, notice=why_none)
    job = queries.team_job(access.team, job_id)
    pool = splitting.candidates(job)
    form = SplitForm()
    if not form.validate_on_submit():
        return _split_page(access, job, form, pool, 422)
    lines, rows = _lines_from(form, job)
    try:
        version = int(form.version.data or -1)
        result = splitting.save_split(
            job, access.membership, lines, form.kept_units.data or 0, version
        )
    except Invalid as error:
        _place_row_errors(form, error, rows)
        return _split_page(access, job, form, pool, 422)
    except Conflict as error:
        return _split_page(access, job, form, pool, 409, conflict=error.message)
    except ValueError:
        return _split_page(
            access, job, form, pool, 422, conflict=_("Reload the page and try again.")
        )
    flash(
        _(
            "The split was saved: %(new)d new offers, %(changed)d changed terms to re-accept, "
            "%(removed)d withdrawn.",
            new=len(result.created),
            changed=len(result.changed),
            removed=len(result.removed),
        ),
        "success",
    )
    return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
