"""The operator's fee schedules: the platforms' published fees, kept as data."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import money
from teamhub.auth.services import require_operator
from teamhub.errors import Invalid, NotFound
from teamhub.forms import apply_reasons, render_form
from teamhub.payouts import services
from teamhub.payouts.forms import FeeScheduleForm


@login_required
def fee_schedules():
    require_operator(current_user)
    rows = [(s, services.tiers_text(s)) for s in services.fee_schedules()]
    return render_template("admin/fee_schedules.html", rows=rows)


@login_required
def fee_schedule(code):
    require_operator(current_user)
    if code not in money.DEFAULT_FEE_SCHEDULES:
        raise NotFound(_("This fee schedule does not exist."))
    schedule = services.fee_schedule(code)
    form = FeeScheduleForm()
    if request.method == "GET":
        form.tiers.data = services.tiers_text(schedule)
        form.fee_tax.data = money.bp_to_percent(schedule.fee_tax_rate_bp)
    if form.validate_on_submit():
        try:
            fee_tax_bp = money.percent_to_bp(form.fee_tax.data)
            services.update_fee_schedule(current_user, code, form.tiers.data, fee_tax_bp)
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The fee schedule of %(name)s was saved.", name=schedule.name), "success")
            return redirect(url_for("admin.fee_schedules"))
    return render_form("admin/fee_schedule.html", form, row=schedule)
