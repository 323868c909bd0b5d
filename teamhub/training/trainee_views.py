"""Trainee pages (own enrolments only), the application link and the public certificate page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.clock import today_jst
from teamhub.errors import NotFound
from teamhub.forms import Refusal
from teamhub.training import enrolments, progress, trainee_queries
from teamhub.training.access import enrolment_module, module_lesson, my_enrolment
from teamhub.training.forms import SubmissionForm
from teamhub.training.markup import render_markdown
from teamhub.training.models import ATTENDANCE_LABELS


@login_required
def my_training():
    return render_template("training/mine.html", board=trainee_queries.dashboard(current_user))


@login_required
def my_cohort(enrolment_id):
    enrolment = my_enrolment(current_user, enrolment_id)
    return render_template(
        "training/my_cohort.html",
        enrolment=enrolment,
        cohort=enrolment.cohort,
        progress=trainee_queries.progress(enrolment),
        attendance=trainee_queries.my_attendance(enrolment),
        labels=ATTENDANCE_LABELS,
        now_day=today_jst(),
    )


def _module_page(enrolment, module, refused: Refusal, form: SubmissionForm | None = None):
    modules = trainee_queries.progress(enrolment).modules
    page = render_template(
        "training/my_module.html",
        enrolment=enrolment,
        module=module,
        item=next((m for m in modules if m.module.id == module.id), None),
        completion=trainee_queries.completions_of(enrolment).get(module.id),
        lessons=[(lesson, render_markdown(lesson.body)) for lesson in module.lessons],
        read=trainee_queries.lessons_read(enrolment),
        task=render_markdown(module.practice_task),
        history=trainee_queries.submissions_for(enrolment, module),
        form=form or SubmissionForm(formdata=None),
        error=refused.message,
    )
    return page, refused.status


def _module_url(enrolment, module, anchor: str = "") -> str:
    return url_for("training.my_module", enrolment_id=enrolment.id, module_id=module.id) + anchor


@login_required
def my_module(enrolment_id, module_id):
    enrolment = my_enrolment(current_user, enrolment_id)
    return _module_page(enrolment, enrolment_module(enrolment, module_id), Refusal())


@login_required
def read_lesson(enrolment_id, module_id, lesson_id):
    enrolment = my_enrolment(current_user, enrolment_id)
    module = enrolment_module(enrolment, module_id)
    lesson = module_lesson(module, lesson_id)
    with Refusal() as refused:
        progress.mark_lesson_read(enrolment, lesson)
        return redirect(_module_url(enrolment, module, f"#lesson-{lesson.id}"))
    return _module_page(enrolment, module, refused)


@login_required
def submit_practice(enrolment_id, module_id):
    enrolment = my_enrolment(current_user, enrolment_id)
    module = enrolment_module(enrolment, module_id)
    form = SubmissionForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            progress.submit_practice(enrolment, module, form.text.data or "", form.link_url.data)
            flash(_("Your work was sent. A coordinator will review it."), "success")
            return redirect(_module_url(enrolment, module, "#practice"))
    return _module_page(enrolment, module, refused, form)


@login_required
def my_certificate(enrolment_id):
    enrolment = my_enrolment(current_user, enrolment_id)
    if enrolment.status != "completed":
        raise NotFound(_("Your certificate appears here when you have completed every module."))
    code = enrolment.certificate_code
    return render_template(
        "training/certificate.html",
        certificate=trainee_queries.certificate(code),
        code=code,
        public_url=url_for("training.certificate", code=code, _external=True),
        own=True,
    )


def _apply_page(cohort, code: str, refused: Refusal):
    signed_in = current_user.is_authenticated
    page = render_template(
        "training/apply.html",
        cohort=cohort,
        code=code,
        error=refused.message,
        place=trainee_queries.place_in(cohort, current_user) if signed_in else None,
        closed=enrolments.closed_to_applicants(cohort),
    )
    return page, refused.status


def apply(code):
    """The application link: anyone may look; a signed-in person applies with a POST."""
    cohort = enrolments.cohort_for_application(code)
    if request.method == "POST" and not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("training.apply", code=code)))
    with Refusal() as refused:
        if request.method == "POST":
            enrolment = enrolments.apply(code, current_user)
            flash(_("You are enrolled in %(cohort)s. Welcome!", cohort=cohort.name), "success")
            return redirect(url_for("training.my_cohort", enrolment_id=enrolment.id))
    return _apply_page(cohort, code, refused)


def certificate(code):
    """Public verification: the name, cohort, curriculum and date, and nothing else."""
    page = render_template(
        "training/certificate.html",
        certificate=trainee_queries.certificate(code),
        code=code,
        own=False,
    )
    return page, 200, {"X-Robots-Tag": "noindex"}
