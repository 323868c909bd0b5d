"""Assignment pages: the member's list, one assignment with its terms and history, the actions."""

from __future__ import annotations

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.assignments import lifecycle, queries, services, uploads
from teamhub.assignments.forms import (
    CancelAssignmentForm,
    DeclineForm,
    ReassignForm,
    ReviewForm,
    SubmitForm,
)
from teamhub.auth.forms import EmptyForm
from teamhub.errors import NotFound
from teamhub.forms import Refusal
from teamhub.teams.queries import roster, team_access


@login_required
def review_queue(slug):
    access = team_access(slug, current_user, need="editor")
    return render_template(
        "assignments/reviews.html",
        access=access,
        team=access.team,
        queue=queries.review_queue(access.team),
    )


def _detail_page(access, assignment, status=200, error=None, **forms):
    events, submissions, notices = queries.history(assignment)
    reassign_form = forms.get("reassign_form") or ReassignForm(formdata=None)
    if access.is_director:
        reassign_form.membership_id.choices = [
            (str(m.id), m.person.display_name)
            for m in roster(access.team)
            if m.id != assignment.membership_id
        ]
    page = render_template(
        "assignments/detail.html",
        access=access,
        team=access.team,
        assignment=assignment,
        job=assignment.job,
        is_mine=assignment.membership_id == access.membership.id,
        events=events,
        submissions=submissions,
        notices=notices,
        notice=notices[-1] if notices else None,
        awaiting_terms=bool(notices) and notices[-1].accepted_at is None,
        error=error,
        action_form=EmptyForm(),
        decline_form=forms.get("decline_form") or DeclineForm(formdata=None),
        submit_form=forms.get("submit_form") or SubmitForm(formdata=None),
        review_form=forms.get("review_form") or ReviewForm(formdata=None),
        reassign_form=reassign_form,
        cancel_form=forms.get("cancel_form") or CancelAssignmentForm(formdata=None),
    )
    return page, status


@login_required
def detail(slug, assignment_id):
    access = team_access(slug, current_user)
    return _detail_page(access, queries.visible_assignment(access, assignment_id))


def _act(slug, assignment_id, act, form=None, form_name=None, done=None):
    """Load, authorise through the service, act; a refusal shows the page again with why."""
    access = team_access(slug, current_user)
    assignment = queries.visible_assignment(access, assignment_id)
    with Refusal(form) as refused:
        if form is None or form.validate_on_submit():
            act(access, assignment)
            flash(done, "success")
            return redirect(url_for("assignments.detail", slug=slug, assignment_id=assignment_id))
    why = refused.error.message if refused.error else None
    extra = {form_name: form} if form_name else {}
    return _detail_page(access, assignment, refused.status, error=why, **extra)


@login_required
def accept(slug, assignment_id):
    return _act(
        slug, assignment_id, lambda access, a: lifecycle.accept(a, access.membership),
        done=_("You accepted the work and its terms."),
    )  # fmt: skip


@login_required
def decline(slug, assignment_id):
    form = DeclineForm()
    return _act(
        slug, assignment_id,
        lambda access, a: lifecycle.decline(a, access.membership, form.comment.data or ""),
        form, "decline_form", _("You declined the offer."),
    )  # fmt: skip


@login_required
def accept_terms(slug, assignment_id):
    return _act(
        slug, assignment_id, lambda access, a: lifecycle.accept_new_terms(a, access.membership),
        done=_("You accepted the new terms."),
    )  # fmt: skip


@login_required
def start(slug, assignment_id):
    return _act(
        slug, assignment_id, lambda access, a: lifecycle.start(a, access.membership),
        done=_("Work started. Good luck!"),
    )  # fmt: skip


@login_required
def submit(slug, assignment_id):
    form = SubmitForm()

    def act(access, assignment):
        file_name, file_data = uploads.received(form.file.data)
        services.submit_work(
            assignment, access.membership, text=form.text.data or "", url=form.url.data or "",
            file_name=file_name, file_data=file_data,
        )  # fmt: skip

    return _act(
        slug, assignment_id, act, form, "submit_form", _("Your work was delivered for review.")
    )


@login_required
def review(slug, assignment_id):
    form = ReviewForm()

    def act(access, assignment):
        lifecycle.review(
            assignment, access.membership, form.decision.data == "approve", form.comment.data or ""
        )

    return _act(slug, assignment_id, act, form, "review_form", _("Your review was recorded."))


@login_required
def cancel(slug, assignment_id):
    form = CancelAssignmentForm()
    return _act(
        slug, assignment_id, lambda access, a: lifecycle.cancel(a, access.membership, form.reason.data),
        form, "cancel_form", _("The assignment was cancelled."),
    )  # fmt: skip


@login_required
def reassign(slug, assignment_id):
    form = ReassignForm()

    def act(access, assignment):
        services.reassign_to(
            assignment, access.membership, form.membership_id.data, form.reason.data or ""
        )

    return _act(
        slug,
        assignment_id,
        act,
        form,
        "reassign_form",
        _("The work was offered to another member."),
    )


@login_required
def download(slug, assignment_id, submission_id):
    access = team_access(slug, current_user)
    assignment = queries.visible_assignment(access, assignment_id)
    submission = queries.team_submission(assignment, submission_id)
    path = uploads.path_of(submission.stored_name)
    if not path.exists():
        raise NotFound(_("This file is no longer available."))
    return send_file(
        path,
        mimetype=submission.content_type,
        as_attachment=True,
        download_name=submission.original_name,
        max_age=0,
    )
