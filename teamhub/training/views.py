"""Coordinator and mentor pages: thin handlers that load, authorise through the role, act once."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from teamhub.auth.forms import EmptyForm
from teamhub.clock import from_jst, today_jst
from teamhub.errors import DomainError, Invalid, NotFound
from teamhub.extensions import db
from teamhub.forms import apply_reasons, render_form
from teamhub.teams.models import Team
from teamhub.teams.queries import team_access
from teamhub.training import charts, outcomes, progress, queries, services
from teamhub.training.forms import (
    ApplicationLinkForm,
    CohortForm,
    CurriculumForm,
    EnrolForm,
    LessonForm,
    ModuleForm,
    MoveForm,
    RecommendForm,
    ReviewForm,
    SessionForm,
    TargetForm,
)
from teamhub.training.markup import render_markdown
from teamhub.training.models import ATTENDANCE_LABELS


def _require_valid(form) -> None:
    if not form.validate_on_submit():
        raise Invalid(_("The form had expired or was incomplete. Reload the page and try again."))


def _id_from(value) -> int:
    """A database id from a select's value; 0 (matches nothing) when it is not one."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= 12 else 0


def _chosen(model, value):
    return db.session.get(model, _id_from(value)) if _id_from(value) else None


def _page(template: str, status: int = 200, **context):
    return render_template(template, **context), status


# Organisation home and settings --------------------------------------------------------------


@login_required
def org_home(org_slug):
    access = queries.org_access(org_slug, current_user, need="mentor")
    return render_template(
        "training/org.html",
        access=access,
        org=access.org,
        curricula=queries.curricula(access.org),
        cohorts=queries.cohorts(access.org),
        pending=len(queries.pending_reviews(access.org)),
    )


@login_required
def org_settings(org_slug):
    access = queries.org_access(org_slug, current_user)
    form = TargetForm(obj=access.org if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_target_income(access.org, int(form.target_monthly_yen.data))
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The target income was saved."), "success")
            return redirect(url_for("training.org_home", org_slug=org_slug))
    return render_form("training/settings.html", form, access=access, org=access.org)


# Curricula, modules and lessons --------------------------------------------------------------


@login_required
def new_curriculum(org_slug):
    access = queries.org_access(org_slug, current_user)
    form = CurriculumForm()
    if form.validate_on_submit():
        try:
            curriculum = services.create_curriculum(
                access.org, form.title.data, form.description.data or ""
            )
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The curriculum was created. Now add its modules."), "success")
            return redirect(
                url_for("training.curriculum", org_slug=org_slug, curriculum_id=curriculum.id)
            )
    return render_form("training/curriculum_form.html", form, access=access, org=access.org)


@login_required
def edit_curriculum(org_slug, curriculum_id):
    access = queries.org_access(org_slug, current_user)
    curriculum = queries.org_curriculum(access.org, curriculum_id)
    form = CurriculumForm(obj=curriculum if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_curriculum(curriculum, form.title.data, form.description.data or "")
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The curriculum was saved."), "success")
            return redirect(
                url_for("training.curriculum", org_slug=org_slug, curriculum_id=curriculum.id)
            )
    return render_form(
        "training/curriculum_form.html", form, access=access, org=access.org, curriculum=curriculum
    )


def _curriculum_page(access, curriculum, status=200, form=None, error=None):
    return _page(
        "training/curriculum.html",
        status,
        access=access,
        org=access.org,
        curriculum=curriculum,
        modules=curriculum.current_modules,
        retired=[m for m in curriculum.modules if m.retired_at is not None],
        running=queries.cohorts_on(curriculum),
        form=form or ModuleForm(formdata=None),
        button_form=EmptyForm(),
        error=error,
    )


@login_required
def curriculum(org_slug, curriculum_id):
    access = queries.org_access(org_slug, current_user)
    return _curriculum_page(access, queries.org_curriculum(access.org, curriculum_id))


def _module_input(form: ModuleForm) -> services.ModuleInput:
    return services.ModuleInput(
        title=form.title.data or "",
        summary=form.summary.data or "",
        practice_task=form.practice_task.data or "",
        skills=tuple(form.skills.data or ()),
    )


@login_required
def add_module(org_slug, curriculum_id):
    access = queries.org_access(org_slug, current_user)
    curriculum = queries.org_curriculum(access.org, curriculum_id)
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            module = services.add_module(curriculum, _module_input(form))
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The module was added. Now write its lessons."), "success")
            return redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
    return _curriculum_page(access, curriculum, 422, form=form)


def _module_page(access, module, status=200, form=None, lesson_form=None, error=None):
    if form is None:
        form = ModuleForm(obj=module, formdata=None)
        form.skills.data = list(module.skills)
    return _page(
        "training/module.html",
        status,
        access=access,
        org=access.org,
        module=module,
        form=form,
        lesson_form=lesson_form or LessonForm(formdata=None),
        error=error,
    )


@login_required
def module(org_slug, module_id):
    access = queries.org_access(org_slug, current_user)
    module = queries.org_module(access.org, module_id)
    if request.method == "GET":
        return _module_page(access, module)
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            services.update_module(module, _module_input(form))
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            return _module_page(access, module, error.status_code, form=form, error=error.message)
        else:
            flash(_("The module was saved."), "success")
            return redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
    return _module_page(access, module, 422, form=form)


@login_required
def move_module(org_slug, module_id):
    access = queries.org_access(org_slug, current_user)
    module = queries.org_module(access.org, module_id)
    curriculum = module.curriculum
    form = MoveForm()
    try:
        _require_valid(form)
        services.move_module(module, form.direction.data)
    except DomainError as error:
        return _curriculum_page(access, curriculum, error.status_code, error=error.message)
    return redirect(
        url_for("training.curriculum", org_slug=org_slug, curriculum_id=curriculum.id)
        + f"#module-{module.id}"
    )


@login_required
def remove_module(org_slug, module_id):
    access = queries.org_access(org_slug, current_user)
    module = queries.org_module(access.org, module_id)
    curriculum_id = module.curriculum_id
    _require_valid(EmptyForm())
    title = module.title
    if services.remove_module(module) == "retired":
        flash(
            _(
                "%(title)s was removed from the curriculum. Trainees who completed it keep it.",
                title=title,
            ),
            "success",
        )
    else:
        flash(_("%(title)s was deleted.", title=title), "success")
    return redirect(url_for("training.curriculum", org_slug=org_slug, curriculum_id=curriculum_id))


@login_required
def add_lesson(org_slug, module_id):
    access = queries.org_access(org_slug, current_user)
    module = queries.org_module(access.org, module_id)
    form = LessonForm()
    if form.validate_on_submit():
        try:
            services.add_lesson(module, form.title.data, form.body.data or "")
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            return _module_page(
                access, module, error.status_code, lesson_form=form, error=error.message
            )
        else:
            flash(_("The lesson was added."), "success")
            return redirect(url_for("training.module", org_slug=org_slug, module_id=module.id))
    return _module_page(access, module, 422, lesson_form=form)


@login_required
def lesson(org_slug, lesson_id):
    access = queries.org_access(org_slug, current_user)
    lesson = queries.org_lesson(access.org, lesson_id)
    form = LessonForm(obj=lesson if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_lesson(lesson, form.title.data, form.body.data or "")
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The lesson was saved."), "success")
            return redirect(url_for("training.lesson", org_slug=org_slug, lesson_id=lesson.id))
    return render_form(
        "training/lesson_form.html",
        form,
        access=access,
        org=access.org,
        lesson=lesson,
        preview=render_markdown(lesson.body),
        delete_form=EmptyForm(),
    )


@login_required
def delete_lesson(org_slug, lesson_id):
    access = queries.org_access(org_slug, current_user)
    lesson = queries.org_lesson(access.org, lesson_id)
    module_id = lesson.module_id
    _require_valid(EmptyForm())
    services.delete_lesson(lesson)
    flash(_("The lesson was deleted."), "success")
    return redirect(url_for("training.module", org_slug=org_slug, module_id=module_id))


# Cohorts, sessions and enrolment -------------------------------------------------------------


def _cohort_form(org, formdata=True, obj=None) -> CohortForm:
    form = CohortForm(obj=obj) if formdata else CohortForm(obj=obj, formdata=None)
    form.curriculum_id.choices = [SelectChoice(str(c.id), c.title) for c in queries.curricula(org)]
    return form


def _cohort_input(form: CohortForm) -> services.CohortInput:
    return services.CohortInput(
        name=form.name.data or "",
        capacity=form.capacity.data,
        enrol_opens_on=form.enrol_opens_on.data,
        enrol_closes_on=form.enrol_closes_on.data,
    )


@login_required
def new_cohort(org_slug):
    access = queries.org_access(org_slug, current_user)
    form = _cohort_form(access.org)
    if request.method == "GET" and request.args.get("curriculum", "").isdigit():
        form.curriculum_id.data = request.args["curriculum"]
    if form.validate_on_submit():
        try:
            chosen = queries.org_curriculum(access.org, _id_from(form.curriculum_id.data))
            cohort = services.open_cohort(access.org, chosen, _cohort_input(form))
        except NotFound:
            form.curriculum_id.errors = [_("Choose a curriculum from the list.")]
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The cohort was opened. Add its sessions and enrol trainees."), "success")
            return redirect(url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id))
    return render_form("training/cohort_form.html", form, access=access, org=access.org)


@login_required
def edit_cohort(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort = queries.org_cohort(access.org, cohort_id)
    form = _cohort_form(access.org, obj=cohort if request.method == "GET" else None)
    form.curriculum_id.data = str(cohort.curriculum_id)
    if form.validate_on_submit():
        try:
            services.update_cohort(cohort, _cohort_input(form))
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The cohort was saved."), "success")
            return redirect(url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id))
    return render_form(
        "training/cohort_form.html", form, access=access, org=access.org, cohort=cohort
    )


def _cohort_page(access, cohort, status=200, error=None, **forms):
    link_form = forms.get("link_form") or ApplicationLinkForm(formdata=None)
    if "link_form" not in forms:
        link_form.open.data = cohort.applications_open
    return _page(
        "training/cohort.html",
        status,
        access=access,
        org=access.org,
        cohort=cohort,
        roster=queries.cohort_roster(cohort),
        total_modules=len(cohort.curriculum.current_modules),
        session_form=forms.get("session_form") or SessionForm(formdata=None),
        enrol_form=forms.get("enrol_form") or EnrolForm(formdata=None),
        link_form=link_form,
        application_url=url_for("training.apply", code=cohort.application_code, _external=True),
        button_form=EmptyForm(),
        today=today_jst(),
        error=error,
    )


@login_required
def cohort(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user, need="mentor")
    return _cohort_page(access, queries.org_cohort(access.org, cohort_id))


@login_required
def add_session(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort = queries.org_cohort(access.org, cohort_id)
    form = SessionForm()
    if form.validate_on_submit():
        try:
            services.add_session(
                cohort,
                services.SessionInput(
                    starts_at=from_jst(form.starts_on.data, form.starts_time.data),
                    duration_minutes=form.duration_minutes.data,
                    topic=form.topic.data or "",
                    place=form.place.data or "",
                    online_url=form.online_url.data or "",
                ),
            )
        except Invalid as error:
            apply_reasons(form, error)
        else:
            flash(_("The session was added to the schedule."), "success")
            return redirect(
                url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id) + "#schedule"
            )
    return _cohort_page(access, cohort, 422, session_form=form)


@login_required
def remove_session(org_slug, session_id):
    access = queries.org_access(org_slug, current_user)
    session = queries.org_session(access.org, session_id)
    cohort = session.cohort
    try:
        _require_valid(EmptyForm())
        services.remove_session(session)
    except DomainError as error:
        return _cohort_page(access, cohort, error.status_code, error=error.message)
    flash(_("The session was taken off the schedule."), "success")
    return redirect(url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id))


@login_required
def enrol(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort = queries.org_cohort(access.org, cohort_id)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            enrolment = services.enrol_by_email(cohort, form.email.data, current_user)
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            form.email.errors = [error.message]
        else:
            flash(
                _("%(name)s is enrolled.", name=enrolment.person.display_name),
                "success",
            )
            return redirect(
                url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id) + "#trainees"
            )
    return _cohort_page(access, cohort, 422, enrol_form=form)


@login_required
def application_link(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort = queries.org_cohort(access.org, cohort_id)
    form = ApplicationLinkForm()
    if not form.validate_on_submit():
        return _cohort_page(access, cohort, 422, link_form=form)
    services.set_applications(cohort, form.open.data, form.new_link.data)
    if cohort.applications_open:
        flash(_("Applications through the link are open."), "success")
    else:
        flash(_("Applications through the link are closed."), "success")
    return redirect(url_for("training.cohort", org_slug=org_slug, cohort_id=cohort.id) + "#apply")


@login_required
def attendance(org_slug, session_id):
    access = queries.org_access(org_slug, current_user, need="mentor")
    session = queries.org_session(access.org, session_id)
    form = EmptyForm()
    error = None
    if request.method == "POST":
        try:
            _require_valid(form)
            marks = _marks_from(request.form)
            saved = progress.record_attendance(session, marks, current_user)
        except DomainError as error_:
            error = error_
        else:
            flash(_("Attendance saved for %(n)d trainees.", n=saved), "success")
            return redirect(
                url_for("training.attendance", org_slug=org_slug, session_id=session.id)
            )
    marks = queries.session_marks(session)
    if error is not None:
        marks.update({k: v for k, v in _loose_marks(request.form).items()})
    return _page(
        "training/attendance.html",
        error.status_code if error else 200,
        access=access,
        org=access.org,
        session=session,
        cohort=session.cohort,
        roster=queries.cohort_roster(session.cohort, include_withdrawn=False),
        marks=marks,
        labels=ATTENDANCE_LABELS,
        form=form,
        error=error.message if error else None,
        not_yet=today_jst() < session.day_jst,
    )


def _marks_from(formdata) -> dict[int, str]:
    marks = {}
    for key, value in formdata.items():
        if not key.startswith("mark-"):
            continue
        enrolment_id = key.removeprefix("mark-")
        if not enrolment_id.isdigit() or len(enrolment_id) > 12:
            raise Invalid(_("Some of the trainees marked are not in this cohort. Reload the page."))
        marks[int(enrolment_id)] = value
    return marks


def _loose_marks(formdata) -> dict[int, str]:
    try:
        return _marks_from(formdata)
    except Invalid:
        return {}


# A trainee, as the coordinator sees them -----------------------------------------------------


def _trainee_page(access, enrolment, status=200, error=None, recommend_form=None):
    if recommend_form is None:
        recommend_form = RecommendForm(formdata=None)
    recommend_form.team_id.choices = _team_choices()
    return _page(
        "training/trainee.html",
        status,
        access=access,
        org=access.org,
        enrolment=enrolment,
        person=enrolment.person,
        cohort=enrolment.cohort,
        progress=queries.progress(enrolment),
        recommendations=queries.recommendations_of(enrolment),
        recommend_form=recommend_form,
        button_form=EmptyForm(),
        error=error,
    )


def _team_choices():
    return [SelectChoice("", "—")] + [
        SelectChoice(str(t.id), f"{t.name} ({t.region})")
        for t in queries.teams_for_recommendation()
    ]


@login_required
def trainee(org_slug, enrolment_id):
    access = queries.org_access(org_slug, current_user, need="mentor")
    return _trainee_page(access, queries.org_enrolment(access.org, enrolment_id))


@login_required
def complete_module(org_slug, enrolment_id, module_id):
    access = queries.org_access(org_slug, current_user)
    enrolment = queries.org_enrolment(access.org, enrolment_id)
    module = queries.org_module(access.org, module_id)
    try:
        _require_valid(EmptyForm())
        progress.complete_module(enrolment, module, current_user)
    except DomainError as error:
        return _trainee_page(access, enrolment, error.status_code, error=error.message)
    flash(_("%(title)s is marked completed.", title=module.title), "success")
    if enrolment.status == "completed":
        flash(_("%(name)s completed the training.", name=enrolment.person.display_name), "success")
    return redirect(
        url_for("training.trainee", org_slug=org_slug, enrolment_id=enrolment.id) + "#modules"
    )


@login_required
def withdraw(org_slug, enrolment_id):
    access = queries.org_access(org_slug, current_user)
    enrolment = queries.org_enrolment(access.org, enrolment_id)
    try:
        _require_valid(EmptyForm())
        services.withdraw(enrolment)
    except DomainError as error:
        return _trainee_page(access, enrolment, error.status_code, error=error.message)
    flash(_("%(name)s was withdrawn.", name=enrolment.person.display_name), "success")
    return redirect(url_for("training.cohort", org_slug=org_slug, cohort_id=enrolment.cohort_id))


@login_required
def recommend(org_slug, enrolment_id):
    access = queries.org_access(org_slug, current_user)
    enrolment = queries.org_enrolment(access.org, enrolment_id)
    form = RecommendForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        team = _chosen(Team, form.team_id.data)
        try:
            if team is None:
                message = _("Choose a team from the list.")
                raise Invalid(message, {"team_id": message})
            progress.recommend(enrolment, team, current_user, form.note.data or "")
        except Invalid as error:
            apply_reasons(form, error)
        except DomainError as error:
            return _trainee_page(
                access, enrolment, error.status_code, error=error.message, recommend_form=form
            )
        else:
            flash(
                _(
                    "%(name)s was recommended to %(team)s.",
                    name=enrolment.person.display_name,
                    team=team.name,
                ),
                "success",
            )
            return redirect(
                url_for("training.trainee", org_slug=org_slug, enrolment_id=enrolment.id)
            )
    return _trainee_page(access, enrolment, 422, recommend_form=form)


# Practice reviews ----------------------------------------------------------------------------


@login_required
def reviews(org_slug):
    access = queries.org_access(org_slug, current_user, need="mentor")
    return render_template(
        "training/reviews.html",
        access=access,
        org=access.org,
        pending=queries.pending_reviews(access.org),
    )


@login_required
def review(org_slug, submission_id):
    access = queries.org_access(org_slug, current_user, need="mentor")
    submission = queries.org_submission(access.org, submission_id)
    form = ReviewForm()
    error = None
    if form.validate_on_submit():
        passed = form.decision.data == "pass"
        try:
            progress.review_practice(submission, current_user, passed, form.comment.data or "")
        except Invalid as refused:
            apply_reasons(form, refused)
        except DomainError as refused:
            error = refused
        else:
            enrolment = submission.enrolment
            if passed:
                flash(_("Passed. The module is completed for the trainee."), "success")
            else:
                flash(_("The trainee was asked for another try."), "success")
            if enrolment.status == "completed":
                flash(
                    _("%(name)s completed the training.", name=enrolment.person.display_name),
                    "success",
                )
            return redirect(url_for("training.reviews", org_slug=org_slug))
    status = error.status_code if error else (422 if form.is_submitted() else 200)
    return _page(
        "training/review.html",
        status,
        access=access,
        org=access.org,
        submission=submission,
        history=queries.submissions_for(submission.enrolment, submission.module),
        task=render_markdown(submission.task),
        form=form,
        error=error.message if error else None,
    )


# Outcomes and charts -------------------------------------------------------------------------


@login_required
def org_outcomes(org_slug):
    access = queries.org_access(org_slug, current_user)
    return render_template(
        "training/outcomes.html",
        access=access,
        org=access.org,
        report=queries.outcome_report(access.org),
        cohort=None,
        minimum=outcomes.MIN_CELL_PEOPLE,
    )


@login_required
def cohort_outcomes(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort, records, paid = queries.cohort_reading(access.org, cohort_id)
    return render_template(
        "training/outcomes.html",
        access=access,
        org=access.org,
        report=queries.outcome_report(access.org, cohort, records, paid),
        cohort=cohort,
        minimum=outcomes.MIN_CELL_PEOPLE,
    )


def csv_header() -> list[str]:
    return [
        _("Cohort"),
        _("Enrolled"),
        _("Active"),
        _("Completed"),
        _("Withdrawn"),
        _("Attendance rate (%)"),
        _("Graduates with a first paid assignment"),
        _("Median days from completion to first paid work"),
        _("Median monthly earnings of graduates (yen)"),
        _("Graduates reaching the target monthly income"),
        _("Target monthly income (yen)"),
    ]


@login_required
def outcomes_csv(org_slug):
    access = queries.org_access(org_slug, current_user)
    report = queries.outcome_report(access.org)
    rows = [(c.name, o) for c, o in report.rows] + [(_("All cohorts"), report.total)]
    body = outcomes.outcomes_csv(csv_header(), rows)
    filename = f"outcomes-{access.org.slug}-{today_jst().isoformat()}.csv"
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


# SVG images carry pygal's own <style>; they may use it, and nothing else.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _svg(data: bytes) -> Response:
    return Response(data, mimetype="image/svg+xml", headers={"Content-Security-Policy": CHART_CSP})


def _progress_svg(cohorts) -> Response:
    """Weekly totals from the first enrolment day to the last completion."""
    modules, graduates = queries.completion_days([c.id for c in cohorts])
    start = min((c.enrol_opens_on for c in cohorts), default=today_jst())
    end = max([start, *modules, *graduates])
    return _svg(
        charts.progress_chart(
            _("Progress over time"),
            _("Modules completed"),
            _("Graduates"),
            outcomes.cumulative_by_week(modules, start, end),
            outcomes.cumulative_by_week(graduates, start, end),
        )
    )


def _earnings_svg(report) -> Response:
    bands = outcomes.earnings_bands(report.total.graduate_earnings, report.total.target_yen)
    return _svg(charts.earnings_chart(_("Monthly earnings of graduates"), _("Graduates"), bands))


@login_required
def org_progress_chart(org_slug):
    access = queries.org_access(org_slug, current_user)
    return _progress_svg(queries.cohorts(access.org))


@login_required
def cohort_progress_chart(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    return _progress_svg([queries.org_cohort(access.org, cohort_id)])


@login_required
def org_earnings_chart(org_slug):
    access = queries.org_access(org_slug, current_user)
    return _earnings_svg(queries.outcome_report(access.org))


@login_required
def cohort_earnings_chart(org_slug, cohort_id):
    access = queries.org_access(org_slug, current_user)
    cohort = queries.org_cohort(access.org, cohort_id)
    return _earnings_svg(queries.outcome_report(access.org, cohort))


# Directors: graduates recommended to the team ------------------------------------------------


@login_required
def team_graduates(slug):
    access = team_access(slug, current_user, need="director")
    graduates, needed = queries.team_graduates(access.team)
    return render_template(
        "training/graduates.html",
        access=access,
        team=access.team,
        fitting=[g for g in graduates if g.fitting],
        others=[g for g in graduates if not g.fitting],
        needed=needed,
    )
