"""Inbox and email preferences: thin handlers."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from teamhub.auth.forms import EmptyForm
from teamhub.errors import Invalid
from teamhub.notifications import queries, services
from teamhub.notifications.kinds import KINDS
from teamhub.safety import safe_next_url


def _require_valid(form) -> None:
    if not form.validate_on_submit():
        raise Invalid(_("The form had expired or was incomplete. Reload the page and try again."))


@login_required
def inbox():
    return render_template(
        "notifications/inbox.html", items=queries.inbox(current_user), form=EmptyForm()
    )


@login_required
def read(notification_id):
    _require_valid(EmptyForm())
    notification = services.mark_read(current_user, notification_id)
    return redirect(safe_next_url(notification.link, url_for("notifications.inbox")))


@login_required
def read_all():
    _require_valid(EmptyForm())
    count = services.mark_all_read(current_user)
    flash(
        ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.", count),
        "success",
    )
    return redirect(url_for("notifications.inbox"))


@login_required
def preferences():
    form = EmptyForm()
    if request.method == "POST":
        _require_valid(form)
        services.choose_emails(current_user, request.form.getlist("email"))
        flash(_("Your email choices were saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template(
        "notifications/preferences.html",
        form=form,
        kinds=KINDS,
        choices=queries.email_choices(current_user),
    )
