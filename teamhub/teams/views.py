"""Team pages: thin handlers that load, authorise through the membership, call one service."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub import money, submissions
from teamhub.auth.forms import EmptyForm, SignupForm
from teamhub.auth.services import sign_up
from teamhub.auth.sessions import log_in
from teamhub.errors import DomainError, Invalid, NotFound
from teamhub.forms import Refusal, render_form
from teamhub.i18n import select_locale
from teamhub.skills import set_declared_skills
from teamhub.teams import queries, services
from teamhub.teams.forms import (
    AbsenceForm,
    AvailabilityForm,
    InvitationForm,
    ProfileForm,
    RoleForm,
    TeamForm,
)
from teamhub.teams.models import ROLE_LABELS

NEW_INVITE_LINK = "new_invite_link"


def _settings_from(form: TeamForm) -> services.TeamSettings:
    return services.TeamSettings(
        name=form.name.data,
        slug=form.slug.data,
        prefecture=form.prefecture.data,
        municipality=form.municipality.data,
        payer_type=form.payer_type.data,
        fee_rate_bp=money.percent_to_bp(form.fee_rate.data),
        close_schedule=form.close_schedule.data,
        invoice_number=form.invoice_number.data or "",
        description=form.description.data or "",
        platform_accounts=form.accounts(),
    )


@login_required
def new_team():
    form = TeamForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            team = services.create_team(current_user, _settings_from(form))
            flash(_("The team %(name)s was created. You are its director.", name=team.name), "success")  # fmt: skip
            return once.answer(redirect(url_for("teams.overview", slug=team.slug)))
    return render_form("teams/new.html", form, refused)


@login_required
def overview(slug):
    access = queries.team_access(slug, current_user)
    return render_template("teams/overview.html", access=access, team=access.team)


def _settings_form(team) -> TeamForm:
    form = TeamForm(obj=None if request.method == "POST" else team)
    if request.method == "GET":
        form.fee_rate.data = money.bp_to_percent(team.fee_rate_bp)
        for entry, account in zip(form.platform_accounts, team.platform_accounts, strict=False):
            entry.platform.data, entry.handle.data = account.platform, account.handle
    return form


@login_required
def settings(slug):
    access = queries.team_access(slug, current_user, need="director")
    form = _settings_form(access.team)
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.update_team(access.team, _settings_from(form))
            flash(_("The team settings were saved."), "success")
            return redirect(url_for("teams.settings", slug=access.team.slug))
    return render_form("teams/settings.html", form, refused, team=access.team, access=access)


def _members_page(access, status=200, error=None):
    page = render_template(
        "teams/members.html",
        access=access,
        team=access.team,
        roster=queries.roster(access.team),
        removed=queries.removed_members(access.team),
        role_labels=ROLE_LABELS,
        away_today=queries.away_today,
        form=EmptyForm(),
        error=error,
    )
    return page, status


@login_required
def members(slug):
    return _members_page(queries.team_access(slug, current_user, need="editor"))


def _act_on_member(slug, membership_id, act):
    """Load the member, let the director act, and show the roster again if a rule refuses."""
    access = queries.team_access(slug, current_user, need="director")
    membership = queries.team_member(access.team, membership_id)
    with Refusal() as refused:
        act(membership)
        return redirect(url_for("teams.members", slug=slug))
    return _members_page(access, refused.status, refused.message)


def _require_valid(form) -> None:
    if not form.validate_on_submit():
        raise Invalid(_("The form had expired or was incomplete. Reload the page and try again."))


@login_required
def change_role(slug, membership_id):
    def act(membership):
        form = RoleForm()
        _require_valid(form)
        services.change_role(membership, form.role.data)
        flash(
            _(
                "%(name)s is now %(role)s.",
                name=membership.person.display_name,
                role=membership.role_label,
            ),
            "success",
        )

    return _act_on_member(slug, membership_id, act)


@login_required
def remove_member(slug, membership_id):
    def act(membership):
        _require_valid(EmptyForm())
        services.remove_member(membership)
        flash(
            _(
                "%(name)s was removed from the team. Their history stays.",
                name=membership.person.display_name,
            ),
            "success",
        )

    return _act_on_member(slug, membership_id, act)


@login_required
def invitations(slug):
    access = queries.team_access(slug, current_user, need="director")
    form = InvitationForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            _invitation, token = services.invite(access.team, current_user, form.role.data, form.note.data)  # fmt: skip
            session[NEW_INVITE_LINK] = url_for("teams.invitation", token=token, _external=True)
            return redirect(url_for("teams.invitations", slug=slug))
    return render_form(
        "teams/invitations.html", form, refused, access=access, team=access.team,
        pending=queries.pending_invitations(access.team),
        new_link=session.pop(NEW_INVITE_LINK, None), revoke_form=EmptyForm(),
    )  # fmt: skip


@login_required
def revoke_invitation(slug, invitation_id):
    access = queries.team_access(slug, current_user, need="director")
    invitation = queries.team_invitation(access.team, invitation_id)
    _require_valid(EmptyForm())
    services.revoke_invitation(invitation)
    flash(_("The invitation was withdrawn; its link no longer works."), "success")
    return redirect(url_for("teams.invitations", slug=slug))


def _already_member(invite):
    flash(_("You are already a member of %(team)s.", team=invite.team.name), "info")
    return redirect(url_for("teams.overview", slug=invite.team.slug))


def _unusable_invitation(refused: DomainError, token: str):
    """Say in words why an invitation link cannot be used and what to do; a member of its
    team (who used it, or joined otherwise) is taken to the team instead."""
    invite = getattr(refused, "invitation", None)
    signed_in = current_user.is_authenticated
    if invite is not None and signed_in and queries.is_member(invite.team_id, current_user):
        return _already_member(invite)
    reason = getattr(refused, "reason", "unknown")
    page = render_template(
        "teams/invitation_refused.html", invitation=invite, reason=reason, token=token
    )
    return page, refused.status_code


def invitation(token):
    """Show an invitation; a signed-in person accepts it with a POST."""
    try:
        invite = services.find_invitation(token)
        form = EmptyForm()
        if not current_user.is_authenticated:
            return render_template(
                "teams/invitation.html", invitation=invite, token=token, form=form
            )
        if queries.is_member(invite.team_id, current_user):
            return _already_member(invite)
        if form.validate_on_submit():
            membership = services.accept_invitation(token, current_user)
            flash(_("Welcome to %(team)s!", team=membership.team.name), "success")
            return redirect(url_for("teams.overview", slug=membership.team.slug))
    except (services.InvitationUnusable, NotFound) as refused:
        return _unusable_invitation(refused, token)
    return render_form("teams/invitation.html", form, invitation=invite, token=token)


def invitation_signup(token):
    """A newcomer creates their account from an invitation and joins the team at once."""
    try:
        invite = services.find_invitation(token)
    except (services.InvitationUnusable, NotFound) as refused:
        return _unusable_invitation(refused, token)
    if current_user.is_authenticated:
        return redirect(url_for("teams.invitation", token=token))
    form = SignupForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            person = sign_up(form.email.data, form.display_name.data, form.password.data, select_locale())  # fmt: skip
            log_in(person)
            membership = services.accept_invitation(token, person)
            flash(_("Welcome to %(team)s!", team=membership.team.name), "success")
            return redirect(url_for("teams.overview", slug=membership.team.slug))
    return render_form("auth/signup.html", form, refused, invitation=invite, token=token)


def _my_page(access, status=200, **forms):
    membership = access.membership
    forms.setdefault("availability_form", AvailabilityForm(obj=membership, formdata=None))
    forms.setdefault("absence_form", AbsenceForm(formdata=None))
    profile_form = forms.get("profile_form") or ProfileForm(obj=membership, formdata=None)
    if "profile_form" not in forms:
        profile_form.skills.data = [s.skill for s in current_user.skills if s.source == "declared"]
    forms["profile_form"] = profile_form
    page = render_template(
        "teams/me.html",
        access=access,
        team=access.team,
        membership=membership,
        delete_form=EmptyForm(),
        training_skills=[s for s in current_user.skills if s.source == "training"],
        **forms,
    )
    return page, status


@login_required
def my_availability(slug):
    access = queries.team_access(slug, current_user)
    form = AvailabilityForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.set_availability(
                access.membership, form.weekly_units.data, form.weekly_hours.data,
                form.availability_note.data or "",
            )  # fmt: skip
            flash(_("Your availability was saved."), "success")
            return redirect(url_for("teams.my_availability", slug=slug))
    if request.method == "GET":
        return _my_page(access)
    return _my_page(access, refused.status, availability_form=form)


@login_required
def add_absence(slug):
    access = queries.team_access(slug, current_user)
    form = AbsenceForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            services.add_absence(access.membership, form.starts_on.data, form.ends_on.data, form.note.data or "")  # fmt: skip
            flash(_("Your dates away were saved."), "success")
            return once.answer(redirect(url_for("teams.my_availability", slug=slug)))
    if refused.message:
        form.form_errors.append(refused.message)
    return _my_page(access, refused.status, absence_form=form)


@login_required
def delete_absence(slug, absence_id):
    access = queries.team_access(slug, current_user)
    _require_valid(EmptyForm())
    services.remove_absence(access.membership, absence_id)
    flash(_("The dates away were deleted."), "success")
    return redirect(url_for("teams.my_availability", slug=slug))


@login_required
def my_profile(slug):
    access = queries.team_access(slug, current_user)
    form = ProfileForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            services.set_public_profile(access.membership, form.show_on_profile.data, form.public_handle.data or "")  # fmt: skip
            set_declared_skills(current_user, form.skills.data or [])
            flash(_("Your profile was saved."), "success")
            return redirect(url_for("teams.my_availability", slug=slug))
    return _my_page(access, refused.status, profile_form=form)
