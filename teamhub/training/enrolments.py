"""Who takes a place in a cohort: enrolled by a coordinator or through the application link,
while the enrolment window is open and places are left; withdrawal frees the place."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from teamhub import signals
from teamhub.auth.models import Person
from teamhub.auth.services import find_person_by_email
from teamhub.claims import claim, insert_once
from teamhub.clock import today_jst, utcnow
from teamhub.errors import Conflict, NotFound
from teamhub.extensions import db
from teamhub.i18n import jst_date
from teamhub.training.checks import refuse
from teamhub.training.models import Cohort, Enrolment


def _window_shut(cohort: Cohort, today: date, coordinator: bool) -> str | None:
    """Why the enrolment window does not let anyone in today, in words for who is asking."""
    if today < cohort.enrol_opens_on:
        day = jst_date(cohort.enrol_opens_on)
        if coordinator:
            return _(
                "The enrolment window of %(cohort)s opens on %(day)s. To enrol someone today, "
                "change the window on the cohort's edit page.",
                cohort=cohort.name,
                day=day,
            )
        return _(
            "Enrolment for %(cohort)s opens on %(day)s. Please apply from that day.",
            cohort=cohort.name,
            day=day,
        )
    if today > cohort.enrol_closes_on:
        day = jst_date(cohort.enrol_closes_on)
        if coordinator:
            return _(
                "The enrolment window of %(cohort)s closed on %(day)s. To enrol someone today, "
                "change the window on the cohort's edit page.",
                cohort=cohort.name,
                day=day,
            )
        return _(
            "Enrolment for %(cohort)s closed on %(day)s. Ask the coordinator about the "
            "next cohort.",
            cohort=cohort.name,
            day=day,
        )
    return None


def _full(cohort: Cohort, coordinator: bool) -> str:
    if coordinator:
        return ngettext(
            "%(cohort)s is full: its %(n)d place is taken. To enrol someone, raise the "
            "capacity on the cohort's edit page, or withdraw a trainee who has left.",
            "%(cohort)s is full: all %(n)d places are taken. To enrol someone, raise the "
            "capacity on the cohort's edit page, or withdraw a trainee who has left.",
            cohort.capacity,
            cohort=cohort.name,
            n=cohort.capacity,
        )
    return ngettext(
        "%(cohort)s is full (%(n)d place). Ask the coordinator about the next cohort.",
        "%(cohort)s is full (%(n)d places). Ask the coordinator about the next cohort.",
        cohort.capacity,
        cohort=cohort.name,
        n=cohort.capacity,
    )


def closed_to_applicants(cohort: Cohort, today: date | None = None) -> str | None:
    """Why nobody can apply to the cohort now (its window, or no place left), or None."""
    shut = _window_shut(cohort, today or today_jst(), coordinator=False)
    if shut is None and cohort.seats_left <= 0:
        return _full(cohort, coordinator=False)
    return shut


def _claim_seat(cohort: Cohort, coordinator: bool) -> None:
    """Take one place atomically, so two people applying at once cannot overfill the cohort."""
    claimed = db.session.execute(
        sa.update(Cohort)
        .where(Cohort.id == cohort.id, Cohort.seats_taken < Cohort.capacity)
        .values(seats_taken=Cohort.seats_taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(cohort, ["seats_taken"])
    if claimed != 1:
        raise Conflict(_full(cohort, coordinator))


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
    coordinator = via != "application"
    shut = _window_shut(cohort, today or today_jst(), coordinator)
    if shut:
        raise Conflict(shut)
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == cohort.id, Enrolment.person_id == person.id
        )
    )
    if enrolment is not None and enrolment.status != "withdrawn":
        raise Conflict(_already_enrolled(person, cohort))
    _claim_seat(cohort, coordinator)
    values = {"status": "active", "via": via, "enrolled_at": utcnow(), "withdrawn_at": None,
              "enrolled_by_id": by.id if by is not None else None}  # fmt: skip
    if enrolment is None:
        enrolment = Enrolment(cohort_id=cohort.id, person_id=person.id, **values)
        taken = not insert_once(enrolment)
    else:
        taken = not claim(enrolment, {"status": "withdrawn"}, values)
    if taken:  # another request enrolled them first (a double click): the same refusal as after
        raise Conflict(_already_enrolled(person, cohort))
    db.session.flush()
    signals.enrolled.send(enrolment, via=via)
    return enrolment


def _already_enrolled(person: Person, cohort: Cohort) -> str:
    return _(
        "%(name)s is already enrolled in %(cohort)s.", name=person.display_name, cohort=cohort.name
    )


def enrol_by_email(cohort: Cohort, email: str, by: Person, today: date | None = None) -> Enrolment:
    """Enrol the person with an account under ``email``."""
    person = find_person_by_email(email or "")
    if person is None:
        refuse(
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
    """End a trainee's place; it frees a place (once) and keeps what they did."""
    if enrolment.status == "completed":
        raise Conflict(_("This trainee has completed the training and cannot be withdrawn."))
    if enrolment.status == "withdrawn":
        return
    read = {"status": enrolment.status}
    if not claim(enrolment, read, {"status": "withdrawn", "withdrawn_at": utcnow()}):
        if enrolment.status == "withdrawn":
            return  # another request withdrew them first
        raise Conflict(_("This trainee has completed the training and cannot be withdrawn."))
    _release_seat(enrolment.cohort)
    db.session.flush()
