"""Coordinators' and mentors' pages for cohorts: open and edit them, schedule sessions, enrol
trainees, share the application link, take attendance."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from teamhub import submissions
from teamhub.clock import from_jst, today_jst
from teamhub.extensions import db
from teamhub.forms import Refusal, parse_id, render_form
from teamhub.training import cohorts, enrolments, progress, queries
from teamhub.training.access import cohort_access, org_access, org_session
from teamhub.training.forms import ApplicationLinkForm, CohortForm, EnrolForm, SessionForm
from teamhub.training.models import ATTENDANCE_LABELS, Curriculum

# Cohorts -------------------------------------------------------------------------------------


def _cohort_form(org, obj=None) -> CohortForm:
    form = CohortForm(obj=obj)
    form.curriculum_id.choices = [SelectChoice(str(c.id), c.title) for c in queries.curricula(org)]
    return form


def _record(model, record_id: int | None):
    """The record a form chose, or None when it chose none."""
    return db.session.get(model, record_id) if record_id else None


def _cohort_url(org_slug: str, cohort_id: int, anchor: str = "") -> str:
    return url_for("training.cohort", org_slug=org_slug, cohort_id=cohort_id) + anchor


@login_required
def new_cohort(org_slug):
    access = org_access(org_slug, current_user)
    form = _cohort_form(access.org)
    if request.method == "GET":
        form.curriculum_id.data = parse_id(request.args.get("curriculum"))
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            chosen = _record(Curriculum, form.curriculum_id.data)
            cohort = cohorts.open_cohort(access.org, chosen, form.cohort_input())
            flash(_("The cohort was opened. Add its sessions and enrol trainees."), "success")
            return once.answer(redirect(_cohort_url(org_slug, cohort.id)))
    return render_form("training/cohort_form.html", form, refused, access=access, org=access.org)


@login_required
def edit_cohort(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    form = _cohort_form(access.org, obj=cohort if request.method == "GET" else None)
    form.curriculum_id.data = cohort.curriculum_id
    with Refusal(form) as refused:
        if form.validate_on_submit():
            cohorts.update_cohort(cohort, form.cohort_input())
            flash(_("The cohort was saved."), "success")
            return redirect(_cohort_url(org_slug, cohort.id))
    return render_form(
        "training/cohort_form.html", form, refused, access=access, org=access.org, cohort=cohort
    )


def _cohort_page(access, cohort, refused: Refusal, **forms):
    link_form = forms.get("link_form") or ApplicationLinkForm(
        formdata=None, data={"open": cohort.applications_open}
    )
    page = render_template(
        "training/cohort.html",
        access=access,
        org=access.org,
        cohort=cohort,
        roster=queries.cohort_roster(cohort),
        total_modules=len(cohort.curriculum.current_modules),
        session_form=forms.get("session_form") or SessionForm(formdata=None),
        enrol_form=forms.get("enrol_form") or EnrolForm(formdata=None),
        link_form=link_form,
        application_url=url_for("training.apply", code=cohort.application_code, _external=True),
        today=today_jst(),
        error=refused.message,
    )
    return page, refused.status


@login_required
def cohort(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user, need="mentor")
    return _cohort_page(access, cohort, Refusal())


@login_required
def application_link(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    form = ApplicationLinkForm()
    if not form.validate_on_submit():
        return _cohort_page(access, cohort, Refusal(form), link_form=form)
    cohorts.set_applications(cohort, form.open.data, form.new_link.data)
    if cohort.applications_open:
        flash(_("Applications through the link are open."), "success")
    else:
        flash(_("Applications through the link are closed."), "success")
    return redirect(_cohort_url(org_slug, cohort.id, "#apply"))


# Sessions and attendance ---------------------------------------------------------------------


def _session_input(form: SessionForm) -> cohorts.SessionInput:
    return cohorts.SessionInput(
        starts_at=from_jst(form.starts_on.data, form.starts_time.data),
        duration_minutes=form.duration_minutes.data,
        topic=form.topic.data,
        place=form.place.data,
        online_url=form.online_url.data,
    )


@login_required
def add_session(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    form = SessionForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            once = submissions.claim(form.submission_key.data, current_user.id)
            if once.earlier:
                return once.earlier
            cohorts.add_session(cohort, _session_input(form))
            flash(_("The session was added to the schedule."), "success")
            return once.answer(redirect(_cohort_url(org_slug, cohort.id, "#schedule")))
    return _cohort_page(access, cohort, refused, session_form=form)


@login_required
def remove_session(org_slug, session_id):
    access = org_access(org_slug, current_user)
    session = org_session(access.org, session_id)
    cohort = session.cohort
    with Refusal() as refused:
        cohorts.remove_session(session)
        flash(_("The session was taken off the schedule."), "success")
        return redirect(_cohort_url(org_slug, cohort.id))
    return _cohort_page(access, cohort, refused)


def _marks_sent(formdata) -> dict[int, str]:
    """The marks sent by the radio buttons named ``mark-<enrolment id>``, by enrolment id (0,
    which is nobody's, for a name without one)."""
    return {
        parse_id(name.removeprefix("mark-")) or 0: status
        for name, status in formdata.items()
        if name.startswith("mark-")
    }


def _attendance_page(access, session, refused: Refusal, sent: dict[int, str]):
    page = render_template(
        "training/attendance.html",
        access=access,
        org=access.org,
        session=session,
        cohort=session.cohort,
        roster=queries.cohort_roster(session.cohort, include_withdrawn=False),
        marks=queries.session_marks(session) | sent,
        labels=ATTENDANCE_LABELS,
        error=refused.message,
        not_yet=today_jst() < session.day_jst,
    )
    return page, refused.status


@login_required
def attendance(org_slug, session_id):
    access = org_access(org_slug, current_user, need="mentor")
    session = org_session(access.org, session_id)
    sent = _marks_sent(request.form)
    with Refusal() as refused:
        if request.method == "POST":
            saved = progress.record_attendance(session, sent, current_user)
            flash(
                ngettext(
                    "Attendance saved for %(n)d trainee.",
                    "Attendance saved for %(n)d trainees.",
                    saved,
                    n=saved,
                ),
                "success",
            )
            return redirect(
                url_for("training.attendance", org_slug=org_slug, session_id=session.id)
            )
    return _attendance_page(access, session, refused, sent)


# Enrolment -----------------------------------------------------------------------------------


@login_required
def enrol(org_slug, cohort_id):
    access, cohort = cohort_access(org_slug, cohort_id, current_user)
    form = EnrolForm()
    with Refusal(form) as refused:
        if form.validate_on_submit():
            enrolment = enrolments.enrol_by_email(cohort, form.email.data, current_user)
            flash(_("%(name)s is enrolled.", name=enrolment.person.display_name), "success")
            return redirect(_cohort_url(org_slug, cohort.id, "#trainees"))
    return _cohort_page(access, cohort, refused, enrol_form=form)
