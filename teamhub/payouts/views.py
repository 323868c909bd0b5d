"""Payout pages: directors record receipts and run closes; members read their statements."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import money
from teamhub.clock import today_jst
from teamhub.downloads import csv_download
from teamhub.errors import Invalid
from teamhub.forms import Refusal, parse_day, render_form
from teamhub.jobs.queries import team_job
from teamhub.payouts import periods, queries, services
from teamhub.payouts.forms import ConfirmCloseForm, CorrectionForm, PaidForm, ReceiptForm
from teamhub.teams.queries import team_access


def _recent_period_ends(schedule: str, count: int = 6) -> list[date]:
    """The last days of the periods that have ended, newest first."""
    ends, day = [], today_jst()
    for _index in range(count):
        _start, end = periods.previous_period(schedule, day)
        ends.append(end)
        day = end
    return ends


def _index_page(access, error: str | None = None, status: int = 200):
    page = render_template(
        "payouts/index.html",
        access=access,
        team=access.team,
        closes=queries.closes_of(access.team),
        warnings=queries.payment_warnings(access.team, today_jst()),
        period_ends=_recent_period_ends(access.team.close_schedule),
        awaiting=queries.jobs_awaiting_receipt(access.team),
        error=error,
    )
    return page, status


@login_required
def index(slug):
    return _index_page(team_access(slug, current_user, need="director"))


def _period_end_arg() -> date:
    period_end = parse_day(request.values.get("period_end"))
    if period_end is None:
        raise Invalid(_("Choose the last day of a payout period."))
    return period_end


@login_required
def preview(slug):
    """The close as it would be posted; a refusal (fixed amounts too high…) shows on the payouts page."""
    access = team_access(slug, current_user, need="director")
    with Refusal() as refused:
        period_end = _period_end_arg()
        existing = services.find_close(access.team, period_end)
        if existing is not None:
            return redirect(url_for("payouts.close_detail", slug=slug, close_id=existing.id))
        return render_template(
            "payouts/preview.html",
            access=access,
            team=access.team,
            preview=services.preview_close(access.team, period_end),
            form=ConfirmCloseForm(formdata=None, period_end=period_end),
            today=today_jst(),
        )
    return _index_page(access, refused.message, refused.status)


@login_required
def confirm(slug):
    access = team_access(slug, current_user, need="director")
    with Refusal() as refused:
        close = services.confirm_close(access.team, _period_end_arg(), current_user)
        flash(_("The close was confirmed. Statements are ready for the members."), "success")
        return redirect(url_for("payouts.close_detail", slug=slug, close_id=close.id))
    return _index_page(access, refused.message, refused.status)


def _close_page(access, close, status=200, paid_form=None):
    page = render_template(
        "payouts/close.html",
        access=access,
        team=access.team,
        close=close,
        summary=queries.summary(close),
        statements=queries.statements(close),
        withholding_due_on=periods.withholding_due_on(close.period_end),
        paid_form=paid_form or PaidForm(formdata=None, paid_on=today_jst()),
    )
    return page, status


@login_required
def close_detail(slug, close_id):
    access = team_access(slug, current_user, need="director")
    return _close_page(access, queries.team_close(access.team, close_id))


@login_required
def mark_paid(slug, close_id):
    access = team_access(slug, current_user, need="director")
    close = queries.team_close(access.team, close_id)
    form = PaidForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.mark_paid(close, form.paid_on.data)
            flash(_("The close is marked as paid."), "success")
            return redirect(url_for("payouts.close_detail", slug=slug, close_id=close.id))
    return _close_page(access, close, refused.status, form)


def _statement_page(access, found, form=None, status=200):
    page = render_template(
        "payouts/statement.html",
        access=access,
        team=access.team,
        statement=found,
        form=form or CorrectionForm(formdata=None),
    )
    return page, status


@login_required
def statement(slug, close_id, membership_id):
    access = team_access(slug, current_user)
    return _statement_page(access, queries.visible_statement(access, close_id, membership_id))


@login_required
def correct(slug, close_id, membership_id):
    """A director corrects a posted line: a reversal plus a new entry, never an edit."""
    access = team_access(slug, current_user, need="director")
    found = queries.team_statement(access.team, close_id, membership_id)
    close = found.close
    form = CorrectionForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.correct_share(
                access.team, close, form.entry_id.data, form.gross_yen.data,
                form.reason.data, current_user, membership_id=membership_id,
            )  # fmt: skip
            flash(_("The line was corrected: the old amount is reversed and the new one posted."), "success")  # fmt: skip
            return redirect(url_for("payouts.statement", slug=slug, close_id=close_id, membership_id=membership_id))  # fmt: skip
    return _statement_page(access, found, form, refused.status)


@login_required
def statement_csv(slug, close_id, membership_id):
    access = team_access(slug, current_user)
    found = queries.visible_statement(access, close_id, membership_id)
    return csv_download(queries.statement_csv(found), queries.statement_csv_name(found))


@login_required
def earnings(slug):
    access = team_access(slug, current_user)
    statements = queries.statements_of(access.membership)
    months, years = queries.earnings(statements)
    return render_template(
        "payouts/earnings.html",
        access=access,
        team=access.team,
        months=months,
        years=years,
        statements=statements,
    )


def _receipt_form(job, estimate: int) -> ReceiptForm:
    form = ReceiptForm()
    if request.method == "GET":
        form.received_yen.data = job.received_yen if job.received_yen is not None else estimate
        form.received_on.data = job.received_on or today_jst()
        form.team_fee.data = "" if job.team_fee_bp is None else money.bp_to_percent(job.team_fee_bp)
        form.reentrustment.data = job.reentrustment
    return form


@login_required
def receipt(slug, job_id):
    access = team_access(slug, current_user, need="director")
    job = team_job(access.team, job_id)
    estimate = services.estimate_receipt(job)
    form = _receipt_form(job, estimate.received_yen)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            fee_bp = money.percent_to_bp(form.team_fee.data) if form.team_fee.data else None
            services.record_receipt(
                job, form.received_yen.data, form.received_on.data, fee_bp,
                form.reentrustment.data,
            )  # fmt: skip
            flash(_("The amount received was saved."), "success")
            return redirect(url_for("payouts.index", slug=slug))
    return render_form(
        "payouts/receipt.html", form, refused, access=access, team=access.team, job=job,
        estimate=estimate,
    )  # fmt: skip
