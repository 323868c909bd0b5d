"""What operators and coordinators do: organisations, curricula, cohorts, sessions, enrolment.

Services take models and plain values, check the rules, add and flush; the request commits.
Trainee progress (attendance, practice, completion, recommendations) lives in ``progress.py``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.auth.models import Person
from teamhub.auth.services import find_person_by_email, require_operator
from teamhub.clock import today_jst, utcnow
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.i18n import jst_date
from teamhub.skills import SKILL_LABELS
from teamhub.teams import rules as team_rules
from teamhub.training.markup import MAX_MARKDOWN_CHARS
from teamhub.training.models import (
    ORG_KINDS,
    ORG_ROLES,
    Attendance,
    Cohort,
    CohortSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Lesson,
    LessonRead,
    ModuleCompletion,
    Organisation,
    OrganisationMembership,
    PracticeSubmission,
)

MAX_CAPACITY = 500
MAX_TARGET_YEN = 10_000_000


def _refuse(field: str, message: str):
    raise Invalid(message, {field: message})


def _check_length(reasons: dict, field: str, value: str, limit: int, required: bool = True):
    if required and not value.strip():
        reasons[field] = _("This field is required.")
    elif len(value) > limit:
        reasons[field] = _("Use at most %(n)d characters.", n=limit)


def _raise_if(reasons: dict[str, str]) -> None:
    if reasons:
        raise Invalid(_("Please correct the marked fields."), reasons)


def check_web_link(url: str, field: str) -> str:
    """Return a full http(s) link, or refuse it (no javascript: or data: links)."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        _refuse(field, _("Enter a full link starting with https://"))
    return url


# Organisations (operator) --------------------------------------------------------------------


@dataclass
class OrganisationInput:
    name: str
    slug: str
    kind: str
    prefecture: str
    municipality: str


def _check_organisation(data: OrganisationInput, org: Organisation | None) -> None:
    reasons: dict[str, str] = {}
    _check_length(reasons, "name", data.name, 80)
    _check_length(reasons, "municipality", data.municipality, 40)
    if not team_rules.is_valid_slug(data.slug):
        reasons["slug"] = _(
            "Use 3-40 lower-case letters, digits and hyphens, starting and ending with a "
            "letter or digit."
        )
    else:
        query = sa.select(Organisation.id).where(Organisation.slug == data.slug)
        if org is not None:
            query = query.where(Organisation.id != org.id)
        if db.session.scalar(query) is not None:
            reasons["slug"] = _("This address is already used by another organisation.")
    if data.kind not in ORG_KINDS:
        reasons["kind"] = _("Choose a kind from the list.")
    if data.prefecture not in team_rules.PREFECTURES:
        reasons["prefecture"] = _("Choose a prefecture from the list.")
    _raise_if(reasons)


def _apply_organisation(org: Organisation, data: OrganisationInput) -> None:
    org.name = data.name.strip()
    org.slug = data.slug
    org.kind = data.kind
    org.prefecture = data.prefecture
    org.municipality = data.municipality.strip()


def create_organisation(operator: Person, data: OrganisationInput) -> Organisation:
    """Create a city hall or NPO; only the instance operator may."""
    require_operator(operator)
    _check_organisation(data, None)
    org = Organisation()
    _apply_organisation(org, data)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(operator: Person, org: Organisation, data: OrganisationInput) -> None:
    """Change an organisation's name, address or region."""
    require_operator(operator)
    _check_organisation(data, org)
    _apply_organisation(org, data)
    db.session.flush()


def appoint(
    operator: Person, org: Organisation, email: str, role: str = "coordinator"
) -> OrganisationMembership:
    """Give the person with ``email`` a role in the organisation."""
    require_operator(operator)
    if role not in ORG_ROLES:
        _refuse("role", _("Choose a role from the list."))
    person = find_person_by_email(email or "")
    if person is None:
        _refuse(
            "email",
            _("No account uses this email address. Ask them to sign up first, then appoint them."),
        )
    membership = db.session.scalar(
        sa.select(OrganisationMembership).where(
            OrganisationMembership.organisation_id == org.id,
            OrganisationMembership.person_id == person.id,
        )
    )
    if membership is not None and membership.active and membership.role == role:
        raise Conflict(_("%(name)s already has this role.", name=person.display_name))
    if membership is None:
        membership = OrganisationMembership(organisation_id=org.id, person_id=person.id)
        db.session.add(membership)
    membership.role = role
    membership.ended_at = None
    membership.appointed_at = utcnow()
    db.session.flush()
    return membership


def end_appointment(operator: Person, membership: OrganisationMembership) -> None:
    """Take a coordinator or mentor off the organisation; what they recorded stays."""
    require_operator(operator)
    if membership.ended_at is None:
        membership.ended_at = utcnow()
    db.session.flush()


def set_target_income(org: Organisation, target_yen: int | None) -> None:
    """Set the monthly income the outcome report counts graduates against."""
    if target_yen is None or not 1 <= target_yen <= MAX_TARGET_YEN:
        _refuse("target_monthly_yen", _("Enter whole yen from 1 to 10,000,000."))
    org.target_monthly_yen = target_yen
    db.session.flush()


# Curricula, modules and lessons --------------------------------------------------------------


def _check_curriculum(title: str, description: str) -> None:
    reasons: dict[str, str] = {}
    _check_length(reasons, "title", title, 120)
    _check_length(reasons, "description", description, 5000, required=False)
    _raise_if(reasons)


def create_curriculum(org: Organisation, title: str, description: str = "") -> Curriculum:
    """Start an empty curriculum in the organisation."""
    _check_curriculum(title, description)
    curriculum = Curriculum(
        organisation_id=org.id, title=title.strip(), description=description.strip()
    )
    db.session.add(curriculum)
    db.session.flush()
    return curriculum


def update_curriculum(curriculum: Curriculum, title: str, description: str = "") -> None:
    """Rename or describe a curriculum; cohorts running on it keep their history."""
    _check_curriculum(title, description)
    curriculum.title = title.strip()
    curriculum.description = description.strip()
    db.session.flush()


@dataclass
class ModuleInput:
    title: str
    summary: str = ""
    practice_task: str = ""
    skills: tuple[str, ...] = ()


def _check_module(data: ModuleInput) -> None:
    reasons: dict[str, str] = {}
    _check_length(reasons, "title", data.title, 120)
    _check_length(reasons, "summary", data.summary, 2000, required=False)
    _check_length(reasons, "practice_task", data.practice_task, 10_000, required=False)
    unknown = [code for code in data.skills if code not in SKILL_LABELS]
    if unknown:
        reasons["skills"] = _("Choose skills from the list.")
    _raise_if(reasons)


def _active_modules(curriculum_id: int) -> list[CurriculumModule]:
    return list(
        db.session.scalars(
            sa.select(CurriculumModule)
            .where(
                CurriculumModule.curriculum_id == curriculum_id,
                CurriculumModule.retired_at.is_(None),
            )
            .order_by(CurriculumModule.position, CurriculumModule.id)
        )
    )


def add_module(curriculum: Curriculum, data: ModuleInput) -> CurriculumModule:
    """Add a module at the end of the curriculum."""
    _check_module(data)
    modules = _active_modules(curriculum.id)
    module = CurriculumModule(
        curriculum_id=curriculum.id,
        position=len(modules) + 1,
        title=data.title.strip(),
        summary=data.summary.strip(),
        practice_task=data.practice_task.strip(),
        skills=sorted(set(data.skills)),
    )
    db.session.add(module)
    db.session.flush()
    return module


def update_module(module: CurriculumModule, data: ModuleInput) -> None:
    """Edit a module; its version grows so recorded progress keeps pointing at the old one."""
    if module.retired_at is not None:
        raise Conflict(_("This module was removed from the curriculum and cannot be edited."))
    _check_module(data)
    new = (data.title.strip(), data.summary.strip(), data.practice_task.strip())
    skills = sorted(set(data.skills))
    if new != (module.title, module.summary, module.practice_task) or skills != module.skills:
        module.title, module.summary, module.practice_task = new
        module.skills = skills
        module.version += 1
    db.session.flush()


def move_module(module: CurriculumModule, direction: str) -> bool:
    """Swap a module with its neighbour; return False when it is already at that end."""
    if direction not in ("up", "down"):
        raise Invalid(_("Choose up or down."))
    modules = _active_modules(module.curriculum_id)
    index = next((i for i, m in enumerate(modules) if m.id == module.id), None)
    if index is None:
        raise Conflict(_("This module was removed from the curriculum and cannot be moved."))
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(modules):
        return False
    modules[index], modules[other] = modules[other], modules[index]
    for position, each in enumerate(modules, start=1):
        each.position = position
    db.session.flush()
    return True


def _has_history(module: CurriculumModule) -> bool:
    for model in (ModuleCompletion, PracticeSubmission):
        if db.session.scalar(sa.select(model.id).where(model.module_id == module.id).limit(1)):
            return True
    return False


def remove_module(module: CurriculumModule) -> str:
    """Delete a module nobody has worked on, or retire it so recorded progress stays.

    Returns "deleted" or "retired".
    """
    if module.retired_at is not None:
        return "retired"
    if _has_history(module):
        module.retired_at = utcnow()
        outcome = "retired"
    else:
        lesson_ids = [lesson.id for lesson in module.lessons]
        if lesson_ids:
            db.session.execute(sa.delete(LessonRead).where(LessonRead.lesson_id.in_(lesson_ids)))
            db.session.execute(sa.delete(Lesson).where(Lesson.id.in_(lesson_ids)))
        db.session.delete(module)
        outcome = "deleted"
    db.session.flush()
    for position, each in enumerate(_active_modules(module.curriculum_id), start=1):
        each.position = position
    db.session.flush()
    from teamhub.training.progress import graduate_finished

    graduate_finished(module.curriculum_id)
    return outcome


def _check_lesson(title: str, body: str) -> None:
    reasons: dict[str, str] = {}
    _check_length(reasons, "title", title, 120)
    _check_length(reasons, "body", body, MAX_MARKDOWN_CHARS, required=False)
    _raise_if(reasons)


def add_lesson(module: CurriculumModule, title: str, body: str = "") -> Lesson:
    """Add a lesson (Markdown) at the end of the module."""
    if module.retired_at is not None:
        raise Conflict(_("This module was removed from the curriculum."))
    _check_lesson(title, body)
    last = db.session.scalar(
        sa.select(sa.func.max(Lesson.position)).where(Lesson.module_id == module.id)
    )
    lesson = Lesson(module_id=module.id, position=(last or 0) + 1, title=title.strip(), body=body)
    db.session.add(lesson)
    db.session.flush()
    return lesson


def update_lesson(lesson: Lesson, title: str, body: str = "") -> None:
    """Change a lesson's title or text."""
    _check_lesson(title, body)
    lesson.title = title.strip()
    lesson.body = body
    db.session.flush()


def delete_lesson(lesson: Lesson) -> None:
    """Delete a lesson and the marks of who read it."""
    db.session.execute(sa.delete(LessonRead).where(LessonRead.lesson_id == lesson.id))
    db.session.delete(lesson)
    db.session.flush()


# Cohorts and sessions ------------------------------------------------------------------------


@dataclass
class CohortInput:
    name: str
    capacity: int | None
    enrol_opens_on: date | None
    enrol_closes_on: date | None


def _check_cohort(data: CohortInput, seats_taken: int = 0) -> None:
    reasons: dict[str, str] = {}
    _check_length(reasons, "name", data.name, 80)
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        reasons["capacity"] = _("Enter a number of places from 1 to 500.")
    elif data.capacity < seats_taken:
        reasons["capacity"] = _(
            "%(n)d trainees are already enrolled; the capacity cannot be lower.", n=seats_taken
        )
    if data.enrol_opens_on is None:
        reasons["enrol_opens_on"] = _("Enter a date.")
    if data.enrol_closes_on is None:
        reasons["enrol_closes_on"] = _("Enter a date.")
    elif data.enrol_opens_on and data.enrol_closes_on < data.enrol_opens_on:
        reasons["enrol_closes_on"] = _("The last day must be on or after the first day.")
    _raise_if(reasons)


def new_application_code() -> str:
    return secrets.token_urlsafe(18)


def open_cohort(org: Organisation, curriculum: Curriculum, data: CohortInput) -> Cohort:
    """Open a cohort of the organisation on one of its curricula."""
    if curriculum.organisation_id != org.id:
        _refuse("curriculum_id", _("Choose a curriculum from the list."))
    _check_cohort(data)
    cohort = Cohort(
        organisation_id=org.id,
        curriculum_id=curriculum.id,
        name=data.name.strip(),
        capacity=data.capacity,
        enrol_opens_on=data.enrol_opens_on,
        enrol_closes_on=data.enrol_closes_on,
        application_code=new_application_code(),
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def update_cohort(cohort: Cohort, data: CohortInput) -> None:
    """Rename a cohort, change its capacity or its enrolment window."""
    _check_cohort(data, cohort.seats_taken)
    cohort.name = data.name.strip()
    cohort.capacity = data.capacity
    cohort.enrol_opens_on = data.enrol_opens_on
    cohort.enrol_closes_on = data.enrol_closes_on
    db.session.flush()


def set_applications(cohort: Cohort, open_: bool, new_link: bool = False) -> None:
    """Open or close the application link; a new link makes the old one stop working."""
    if new_link:
        cohort.application_code = new_application_code()
    cohort.applications_open = open_
    db.session.flush()


@dataclass
class SessionInput:
    starts_at: datetime | None  # aware; entered in Japan time
    duration_minutes: int | None = 90
    topic: str = ""
    place: str = ""
    online_url: str = ""


def add_session(cohort: Cohort, data: SessionInput) -> CohortSession:
    """Schedule a session at a place, online, or both."""
    reasons: dict[str, str] = {}
    if data.starts_at is None or data.starts_at.tzinfo is None:
        reasons["starts_on"] = _("Enter the date and time in Japan time.")
    if data.duration_minutes is None or not 1 <= data.duration_minutes <= 720:
        reasons["duration_minutes"] = _("Enter a length from 1 to 720 minutes.")
    _check_length(reasons, "topic", data.topic, 120, required=False)
    _check_length(reasons, "place", data.place, 200, required=False)
    if not data.place.strip() and not data.online_url.strip():
        reasons["place"] = _("Enter the place, the online link, or both.")
    _raise_if(reasons)
    session = CohortSession(
        cohort_id=cohort.id,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        topic=data.topic.strip(),
        place=data.place.strip(),
        online_url=check_web_link(data.online_url, "online_url"),
    )
    db.session.add(session)
    db.session.flush()
    return session


def remove_session(session: CohortSession) -> None:
    """Take a session off the schedule, unless attendance was already taken."""
    taken = db.session.scalar(
        sa.select(Attendance.id).where(Attendance.session_id == session.id).limit(1)
    )
    if taken:
        raise Conflict(_("Attendance was taken for this session, so it stays on the schedule."))
    db.session.delete(session)
    db.session.flush()


# Enrolment -----------------------------------------------------------------------------------


def _check_window(cohort: Cohort, today: date) -> None:
    if today < cohort.enrol_opens_on:
        raise Conflict(
            _(
                "Enrolment for %(cohort)s opens on %(day)s. Please apply from that day.",
                cohort=cohort.name,
                day=jst_date(cohort.enrol_opens_on),
            )
        )
    if today > cohort.enrol_closes_on:
        raise Conflict(
            _(
                "Enrolment for %(cohort)s closed on %(day)s. Ask the coordinator about the "
                "next cohort.",
                cohort=cohort.name,
                day=jst_date(cohort.enrol_closes_on),
            )
        )


def _claim_seat(cohort: Cohort) -> None:
    """Take one place atomically, so two people applying at once cannot overfill the cohort."""
    claimed = db.session.execute(
        sa.update(Cohort)
        .where(Cohort.id == cohort.id, Cohort.seats_taken < Cohort.capacity)
        .values(seats_taken=Cohort.seats_taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(cohort, ["seats_taken"])
    if claimed != 1:
        raise Conflict(
            _(
                "%(cohort)s is full (%(n)d places). Ask the coordinator about the next cohort.",
                cohort=cohort.name,
                n=cohort.capacity,
            )
        )


def _release_seat(cohort: Cohort) -> None:
    db.session.execute(
        sa.update(Cohort)
        .where(Cohort.id == cohort.id, Cohort.seats_taken > 0)
        .values(seats_taken=Cohort.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(cohort, ["seats_taken"])


def enrol(
    cohort: Cohort,
    person: Person,
    by: Person | None = None,
    today: date | None = None,
    via: str = "coordinator",
) -> Enrolment:
    """Give ``person`` a place in the cohort while the window is open and places are left."""
    _check_window(cohort, today or today_jst())
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == cohort.id, Enrolment.person_id == person.id
        )
    )
    if enrolment is not None and enrolment.status != "withdrawn":
        raise Conflict(
            _(
                "%(name)s is already enrolled in %(cohort)s.",
                name=person.display_name,
                cohort=cohort.name,
            )
        )
    _claim_seat(cohort)
    if enrolment is None:
        enrolment = Enrolment(cohort_id=cohort.id, person_id=person.id)
        db.session.add(enrolment)
    enrolment.status = "active"
    enrolment.via = via
    enrolment.enrolled_at = utcnow()
    enrolment.enrolled_by_id = by.id if by is not None else None
    enrolment.withdrawn_at = None
    db.session.flush()
    return enrolment


def enrol_by_email(cohort: Cohort, email: str, by: Person, today: date | None = None) -> Enrolment:
    """Enrol the person with an account under ``email``."""
    person = find_person_by_email(email or "")
    if person is None:
        _refuse(
            "email",
            _(
                "No account uses this email address. Share the application link with them, "
                "or ask them to sign up first."
            ),
        )
    return enrol(cohort, person, by=by, today=today)


def cohort_for_application(code: str) -> Cohort:
    """The cohort behind an application link, or why the link cannot be used."""
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.application_code == (code or "")))
    if cohort is None:
        raise NotFound(_("This application link is not valid. Ask the coordinator for a new one."))
    if not cohort.applications_open:
        raise Conflict(
            _("Applications through this link are closed. Ask the coordinator what to do next.")
        )
    return cohort


def apply(code: str, person: Person, today: date | None = None) -> Enrolment:
    """Enrol oneself through a cohort's application link."""
    return enrol(cohort_for_application(code), person, today=today, via="application")


def withdraw(enrolment: Enrolment) -> None:
    """End a trainee's place; it frees a place and keeps what they did."""
    if enrolment.status == "completed":
        raise Conflict(_("This trainee has completed the training and cannot be withdrawn."))
    if enrolment.status == "withdrawn":
        return
    enrolment.status = "withdrawn"
    enrolment.withdrawn_at = utcnow()
    _release_seat(enrolment.cohort)
    db.session.flush()
