"""Job pages for directors and editors: record, board, escrow, scam guard, split."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import submissions
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid
from teamhub.forms import Refusal, forget_changes, parse_id, render_form
from teamhub.jobs import my_work, queries, scam, services, split_page, splitting
from teamhub.jobs.forms import CancelForm, EscrowForm, JobForm, SplitForm
from teamhub.teams.queries import team_access


@login_required
def my_assignments(slug):
    access = team_access(slug, current_user)
    assignments, reliability, shown = my_work.my_assignments(access.membership)
    return render_template(
        "jobs/mine.html",
        access=access,
        team=access.team,
        assignments=assignments,
        reliability=reliability,
        shown=shown,
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
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            job = services.record_job(access.team, current_user, form.job_input())
            flash(_("The job was recorded."), "success")
            return once.answer(redirect(url_for("jobs.job_board", slug=slug, job_id=job.id)))
    return render_form("jobs/form.html", form, refused, access=access, team=access.team, job=None)


@login_required
def edit_job(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = JobForm.of_job(job) if request.method == "GET" else JobForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.update_job(job, form.job_input())
            flash(_("The job was updated."), "success")
            return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
    return render_form("jobs/form.html", form, refused, access=access, team=access.team, job=job)


def _board_page(access, job_id, refused=None, escrow_form=None):
    """The job board, with the escrow form when the director may use it (sent back as it was
    sent when refused)."""
    board = queries.board(access.team, job_id)
    job = board.job
    if escrow_form is None and access.is_director and job.is_open and not job.escrow_ready:
        escrow_form = EscrowForm.blank(utcnow())
    page = render_template(
        "jobs/board.html",
        access=access,
        team=access.team,
        board=board,
        receipt=queries.receipt_shown(access, job),
        reasons=scam.from_json(job.scam_reasons),
        escrow_form=escrow_form,
        error=refused.message if refused else None,
    )
    return page, refused.status if refused else 200


@login_required
def job_board(slug, job_id):
    access = team_access(slug, current_user, need="editor")
    return _board_page(access, job_id)


@login_required
def confirm_escrow(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = EscrowForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.confirm_escrow(job, current_user, form.confirmed)
            flash(_("Escrow confirmed. Members can now start work."), "success")
            return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
    return _board_page(access, job.id, refused, escrow_form=form)


@login_required
def acknowledge_flags(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    services.acknowledge_scam_flags(job, current_user)
    flash(_("You acknowledged the scam guard's warning for this job."), "success")
    return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))


@login_required
def cancel_job(slug, job_id):
    """Its own page: the reason members will see, then the job and its open work cancelled."""
    access = team_access(slug, current_user, need="director")
    job = queries.team_job(access.team, job_id)
    form = CancelForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.cancel_job(job, access.membership, form.reason.data)
            flash(_("The job was cancelled."), "success")
            return redirect(url_for("jobs.job_board", slug=slug, job_id=job.id))
    return render_form("jobs/cancel.html", form, refused, access=access, team=access.team, job=job)


# Splitting -----------------------------------------------------------------------------------


def _split_page(access, page, form, status=200, conflict="", wanted=None):
    html = render_template(
        "jobs/split.html",
        access=access,
        team=access.team,
        page=page,
        job=page.job,
        form=form,
        conflict=conflict,
        notice=wanted.why_none if wanted else "",
        parts=wanted.parts if wanted else [],
        explain=split_page.explain,
    )
    return html, status


def _empty_rows() -> int:
    """One empty row to fill in, or as many as asked for (?rows=10: "More empty rows")."""
    return min(max(request.args.get("rows", 1, type=int), 0), 50)


def _changing(page: split_page.SplitPage) -> set[int]:
    """The offers opened for change: one (?change=<id>) or all of them (?change=all)."""
    asked = request.args.get("change", "")
    open_ids = {offer.id for offer in page.editable}
    if asked == "all":
        return open_ids
    return open_ids & {parse_id(asked)}


@login_required
def split_job(slug, job_id):
    access = team_access(slug, current_user, need="director")
    page = split_page.read_split_page(access.team, job_id)
    wanted = split_page.suggestion(page) if request.args.get("suggest") == "1" else None
    form = SplitForm.for_visit(page, wanted, _empty_rows(), _changing(page))
    return _split_page(access, page, form, wanted=wanted)


@login_required
def save_split(slug, job_id):
    access = team_access(slug, current_user, need="director")
    page = split_page.read_split_page(access.team, job_id)
    form = SplitForm(candidates=page.candidates)
    if not form.validate_on_submit():
        return _split_page(access, page, form, 422)
    try:
        lines, kept = form.lines(page.job), form.kept_units.data or 0
        result = splitting.save_split(
            page.job, access.membership, lines, kept, form.version.data, page.candidates
        )
    except Invalid as error:
        forget_changes()
        form.show_reasons(error)
        return _split_page(access, page, form, 422)
    except Conflict as error:
        forget_changes()
        return _split_page(access, page, form, 409, conflict=error.message)
    flash(_saved(result), "success")
    return redirect(url_for("jobs.job_board", slug=slug, job_id=page.job.id))


def _saved(result: splitting.SplitResult) -> str:
    return _(
        "The split was saved. New offers: %(new)d; changed terms to accept again: "
        "%(changed)d; offers withdrawn: %(removed)d.",
        new=len(result.created),
        changed=len(result.changed),
        removed=len(result.removed),
    )
