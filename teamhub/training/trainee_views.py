"""Trainee pages (own enrolments only), the application link and the public certificate page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from teamhub.auth.forms import EmptyForm
from teamhub.clock import today_jst
from teamhub.errors import DomainError, Invalid, NotFound
from teamhub.forms import apply_reasons
from teamhub.training import progress, queries, services
from teamhub.training.forms import SubmissionForm
from teamhub.training.markup import render_markdown
from teamhub.training.models import ATTENDANCE_LABELS


@login_required
def my_training():
    return render_template("training/mine.html", board=queries.dashboard(current_user))


@login_required
def my_cohort(enrolment_id):
    enrolment = queries.my_enrolment(current_user, enrolment_id)
    return render_template(
        "training/my_cohort.html",
        enrolment=enrolment,
        cohort=enrolment.cohort,
        progress=queries.progress(enrolment),
        attendance=queries.my_attendance(enrolment),
        labels=ATTENDANCE_LABELS,
        now_day=today_jst(),
    )


def _module_page(enrolment, module, status=200, form=None, error=None):
    item = next((m for m in queries.progress(enrolment).modules if m.module.id == module.id), None)
    completion = queries.completions_of(enrolment).get(module.id)
    page = render_template(
        "training/my_module.html",
        enrolment=enrolment,
        module=module,
        item=item,
        completion=completion,
        lessons=[(lesson, render_markdown(lesson.body)) for lesson in module.lessons],
        read=queries.lessons_read(enrolment),
        task=render_markdown(module.practice_task),
        history=queries.submissions_for(enrolment, module),
        form=form or SubmissionForm(formdata=None),
        button_form=EmptyForm(),
        error=error,
    )
    return page, status


@login_required
def my_module(enrolment_id, module_id):
    enrolment = queries.my_enrolment(current_user, enrolment_id)
    return _module_page(enrolment, queries.enrolment_module(enrolment, module_id))


@login_required
def read_lesson(enrolment_id, module_id, lesson_id):
    enrolment = queries.my_enrolment(current_user, enrolment_id)
    module = queries.enrolment_module(enrolment, module_id)
    lesson = queries.module_lesson(module, lesson_id)
    try:
        if not EmptyForm().validate_on_submit():
            raise Invalid(_("The form had expired. Reload the page and try again."))
        progress.mark_lesson_read(enrolment, lesson)
    except DomainError as error:
        return _module_page(enrolment, module, error.status_code, error=error.message)
    return redirect(
        url_for("training.my_module", enrolment_id=enrolment.id, module_id=module.id)
        + f"#lesson-{lesson.id}"
    )


@login_required
def submit_practice(enrolment_id, module_id):
    enrolment = queries.my_enrolment(current_user, enrolment_id)
    module = queries.enrolment_module(enrolment, module_id)
    form = SubmissionForm()
    if form.validate_on_submit():
        try:
            progress.submit_practice(
                enrolment, module, form.text.data or "", form.link_url.data or ""
            )
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            return _module_page(enrolment, module, error.status_code, form, error.message)
        else:
            flash(_("Your work was sent. A coordinator will review it."), "success")
            return redirect(
                url_for("training.my_module", enrolment_id=enrolment.id, module_id=module.id)
                + "#practice"
            )
    return _module_page(enrolment, module, 422, form)


@login_required
def my_certificate(enrolment_id):
    enrolment = queries.my_enrolment(current_user, enrolment_id)
    if enrolment.status != "completed":
        raise NotFound(_("Your certificate appears here when you have completed every module."))
    return render_template(
        "training/certificate.html",
        certificate=queries.certificate(enrolment.certificate_code),
        code=enrolment.certificate_code,
        public_url=url_for("training.certificate", code=enrolment.certificate_code, _external=True),
        own=True,
    )


def apply(code):
    """The application link: anyone may look; a signed-in person applies with a POST."""
    cohort = services.cohort_for_application(code)
    form = EmptyForm()
    error = None
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=url_for("training.apply", code=code)))
        try:
            if not form.validate_on_submit():
                raise Invalid(_("The form had expired. Reload the page and try again."))
            enrolment = services.apply(code, current_user)
        except DomainError as refused:
            error = refused
        else:
            flash(_("You are enrolled in %(cohort)s. Welcome!", cohort=cohort.name), "success")
            return redirect(url_for("training.my_cohort", enrolment_id=enrolment.id))
    page = render_template(
        "training/apply.html",
        cohort=cohort,
        code=code,
        form=form,
        error=error.message if error else None,
        window_open=cohort.window_is_open(today_jst()),
    )
    return page, (error.status_code if error else 200)


def certificate(code):
    """Public verification: the name, cohort, curriculum and date, and nothing else."""
    page = render_template(
        "training/certificate.html", certificate=queries.certificate(code), code=code, own=False
    )
    return page, 200, {"X-Robots-Tag": "noindex"}
