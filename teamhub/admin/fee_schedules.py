"""The operator's fee schedules: the platforms' published fees, kept as data."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import money
from teamhub.auth.services import require_operator
from teamhub.errors import NotFound
from teamhub.forms import Refusal, render_form
from teamhub.jobs.models import SOURCE_LABELS
from teamhub.payouts import services
from teamhub.payouts.forms import FeeScheduleForm


@login_required
def fee_schedules():
    require_operator(current_user)
    rows = [(s, SOURCE_LABELS.get(s.code, s.name)) for s in services.fee_schedules()]
    return render_template("admin/fee_schedules.html", rows=rows)


def _schedule_form(schedule) -> FeeScheduleForm:
    form = FeeScheduleForm()
    if request.method == "GET":
        form.tiers.data = services.tiers_text(schedule)
        form.fee_tax.data = money.bp_to_percent(schedule.fee_tax_rate_bp)
    return form


@login_required
def fee_schedule(code):
    require_operator(current_user)
    if code not in money.DEFAULT_FEE_SCHEDULES:
        raise NotFound(_("This fee schedule does not exist."))
    schedule = services.fee_schedule(code)
    name = str(SOURCE_LABELS.get(code, schedule.name))
    form = _schedule_form(schedule)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            fee_tax_bp = money.percent_to_bp(form.fee_tax.data)
            services.update_fee_schedule(current_user, code, form.tiers.data, fee_tax_bp)
            flash(_("The fee schedule of %(name)s was saved.", name=name), "success")
            return redirect(url_for("admin.fee_schedules"))
    return render_form("admin/fee_schedule.html", form, refused, row=schedule, name=name)
