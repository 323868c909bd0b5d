"""What coordinators do to cohorts: open them on a curriculum, change them, share the
application link, schedule sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from teamhub import signals
from teamhub.errors import Conflict
from teamhub.extensions import db
from teamhub.training.checks import check_length, check_web_link, raise_if, refuse
from teamhub.training.models import Attendance, Cohort, CohortSession, Curriculum, Organisation

MAX_CAPACITY = 500

# Cohorts -------------------------------------------------------------------------------------


@dataclass
class CohortInput:
    name: str
    capacity: int | None
    enrol_opens_on: date | None
    enrol_closes_on: date | None


def _check_cohort(data: CohortInput, seats_taken: int = 0) -> None:
    reasons: dict[str, str] = {}
    check_length(reasons, "name", data.name, 80)
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        reasons["capacity"] = _("Enter a number of places from 1 to 500.")
    elif data.capacity < seats_taken:
        reasons["capacity"] = ngettext(
            "%(n)d trainee is already enrolled; the capacity cannot be lower.",
            "%(n)d trainees are already enrolled; the capacity cannot be lower.",
            seats_taken,
            n=seats_taken,
        )
    if data.enrol_opens_on is None:
        reasons["enrol_opens_on"] = _("Enter a date.")
    if data.enrol_closes_on is None:
        reasons["enrol_closes_on"] = _("Enter a date.")
    elif data.enrol_opens_on and data.enrol_closes_on < data.enrol_opens_on:
        reasons["enrol_closes_on"] = _("The last day must be on or after the first day.")
    raise_if(reasons)


def new_application_code() -> str:
    return secrets.token_urlsafe(18)


def open_cohort(org: Organisation, curriculum: Curriculum | None, data: CohortInput) -> Cohort:
    """Open a cohort of the organisation on one of its curricula."""
    if curriculum is None or curriculum.organisation_id != org.id:
        refuse("curriculum_id", _("Choose a curriculum from the list."))
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


# Sessions ------------------------------------------------------------------------------------


@dataclass
class SessionInput:
    starts_at: datetime | None  # aware; entered in Japan time
    duration_minutes: int | None = 90
    topic: str = ""
    place: str = ""
    online_url: str = ""


def _check_session(data: SessionInput) -> None:
    reasons: dict[str, str] = {}
    if data.starts_at is None or data.starts_at.tzinfo is None:
        reasons["starts_on"] = _("Enter the date and time in Japan time.")
    if data.duration_minutes is None or not 1 <= data.duration_minutes <= 720:
        reasons["duration_minutes"] = _("Enter a length from 1 to 720 minutes.")
    check_length(reasons, "topic", data.topic, 120, required=False)
    check_length(reasons, "place", data.place, 200, required=False)
    if not data.place.strip() and not data.online_url.strip():
        reasons["place"] = _("Enter the place, the online link, or both.")
    raise_if(reasons)


def add_session(cohort: Cohort, data: SessionInput) -> CohortSession:
    """Schedule a session at a place, online, or both."""
    _check_session(data)
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
    signals.session_scheduled.send(session)
    return session


def remove_session(session: CohortSession) -> None:
    """Take a session off the schedule, unless attendance was already taken. Taking it off twice
    at once (a double click) takes it off once: the second finds it gone and does nothing more."""
    taken = db.session.scalar(
        sa.select(Attendance.id).where(Attendance.session_id == session.id).limit(1)
    )
    if taken:
        raise Conflict(_("Attendance was taken for this session, so it stays on the schedule."))
    removed = db.session.execute(
        sa.delete(CohortSession)
        .where(CohortSession.id == session.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        signals.session_cancelled.send(session)
    db.session.expunge(session)
