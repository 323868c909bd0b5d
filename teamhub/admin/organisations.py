"""The operator's area: organisations (city halls, NPOs) and who coordinates them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import submissions
from teamhub.auth.forms import EmptyForm
from teamhub.auth.services import require_operator
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.forms import Refusal, render_form
from teamhub.training import access, queries
from teamhub.training import organisations as services
from teamhub.training.forms import AppointForm, OrganisationForm
from teamhub.training.models import Organisation


def _organisation(organisation_id: int) -> Organisation:
    require_operator(current_user)
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(_("This organisation does not exist."))
    return org


@login_required
def organisations():
    require_operator(current_user)
    form = OrganisationForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            org = services.create_organisation(current_user, form.organisation_input())
            flash(_("%(name)s was created. Now appoint its coordinators.", name=org.name), "success")  # fmt: skip
            return once.answer(redirect(url_for("admin.organisation", organisation_id=org.id)))
    return render_form(
        "admin/organisations.html", form, refused, organisations=queries.organisations()
    )


def _organisation_page(org, refused: Refusal, form=None, appoint_form=None):
    page = render_template(
        "admin/organisation.html",
        org=org,
        form=form or OrganisationForm(obj=org, formdata=None),
        appoint_form=appoint_form or AppointForm(formdata=None),
        staff=queries.staff(org),
        button_form=EmptyForm(),
        error=refused.message,
    )
    return page, refused.status


@login_required
def organisation(organisation_id):
    org = _organisation(organisation_id)
    form = OrganisationForm() if request.method == "POST" else None
    with Refusal(form) as refused:
        if form is not None and form.validate_on_submit():
            services.update_organisation(current_user, org, form.organisation_input())
            flash(_("The organisation was saved."), "success")
            return redirect(url_for("admin.organisation", organisation_id=org.id))
    return _organisation_page(org, refused, form=form)


@login_required
def appoint(organisation_id):
    org = _organisation(organisation_id)
    form = AppointForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            membership = services.appoint(current_user, org, form.email.data, form.role.data)
            flash(
                _("%(name)s is now %(role)s of %(org)s.", name=membership.person.display_name,
                  role=membership.role_label, org=org.name),
                "success",
            )  # fmt: skip
            return redirect(url_for("admin.organisation", organisation_id=org.id))
    return _organisation_page(org, refused, appoint_form=form)


@login_required
def end_appointment(organisation_id, membership_id):
    org = _organisation(organisation_id)
    membership = access.org_membership(org, membership_id)
    services.end_appointment(current_user, membership)
    flash(
        _(
            "%(name)s no longer has a role in %(org)s.",
            name=membership.person.display_name,
            org=org.name,
        ),
        "success",
    )
    return redirect(url_for("admin.organisation", organisation_id=org.id))
