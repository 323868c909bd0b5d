"""Practice work waiting for review, and the decision on one try: pass, or another try."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.forms import Refusal
from teamhub.training import progress, queries, trainee_queries
from teamhub.training.access import org_access, org_submission
from teamhub.training.forms import ReviewForm
from teamhub.training.markup import render_markdown


@login_required
def reviews(org_slug):
    access = org_access(org_slug, current_user, need="mentor")
    return render_template(
        "training/reviews.html",
        access=access,
        org=access.org,
        pending=queries.pending_reviews(access.org),
    )


def _review_page(access, submission, form: ReviewForm, refused: Refusal):
    page = render_template(
        "training/review.html",
        access=access,
        org=access.org,
        submission=submission,
        history=trainee_queries.submissions_for(submission.enrolment, submission.module),
        task=render_markdown(submission.task),
        form=form,
        error=refused.message,
    )
    return page, refused.status


def _flash_decision(enrolment, passed: bool) -> None:
    if passed:
        flash(_("Passed. The module is completed for the trainee."), "success")
    else:
        flash(_("The trainee was asked for another try."), "success")
    if enrolment.status == "completed":
        flash(_("%(name)s completed the training.", name=enrolment.person.display_name), "success")


@login_required
def review(org_slug, submission_id):
    access = org_access(org_slug, current_user, need="mentor")
    submission = org_submission(access.org, submission_id)
    form = ReviewForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            passed = form.decision.data == "pass"
            progress.review_practice(submission, current_user, passed, form.comment.data or "")
            _flash_decision(submission.enrolment, passed)
            return redirect(url_for("training.reviews", org_slug=org_slug))
    return _review_page(access, submission, form, refused)
