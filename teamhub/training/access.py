"""Load, then authorise: each record a training page names, reached through the signed-in
person's role. Coordinators and mentors reach an organisation through their membership (strangers
get 404, mentors 403 on coordinator pages); records of another organisation are 404; trainees
reach only their own enrolments.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from teamhub.auth.models import Person
from teamhub.errors import NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.training.models import (
    Cohort,
    CohortSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Lesson,
    ModuleCompletion,
    Organisation,
    OrganisationMembership,
    PracticeSubmission,
)


@dataclass(frozen=True)
class OrgAccess:
    """A loaded organisation and the signed-in person's active role in it."""

    org: Organisation
    membership: OrganisationMembership

    @property
    def is_coordinator(self) -> bool:
        return self.membership.can("coordinator")


# An organisation by its slug with the person's current role in it; every organisation page
# runs it.
ORGANISATION_AND_ROLE = (
    sa.select(Organisation, OrganisationMembership)
    .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
    .where(
        Organisation.slug == sa.bindparam("org_slug"),
        OrganisationMembership.person_id == sa.bindparam("person_id"),
        OrganisationMembership.ended_at.is_(None),
    )
)


def org_access(org_slug: str, person: Person, need: str = "coordinator") -> OrgAccess:
    """Load an organisation through the person's role; strangers get 404, mentors 403."""
    parameters = {"org_slug": org_slug, "person_id": person.id}
    return _allowed(db.session.execute(ORGANISATION_AND_ROLE, parameters).first(), need)


def _allowed(row, need: str) -> OrgAccess:
    if row is None:
        raise NotFound(_("This organisation does not exist or you do not work for it."))
    org, membership = row[0], row[1]
    if not membership.can(need):
        raise NotAllowed(_("Only the organisation's coordinators can do this."))
    return OrgAccess(org, membership)


# A cohort of such an organisation, read with the access (a cohort's pages run it).
ORGANISATION_ROLE_AND_COHORT = ORGANISATION_AND_ROLE.add_columns(Cohort).outerjoin(
    Cohort,
    sa.and_(Cohort.id == sa.bindparam("cohort_id"), Cohort.organisation_id == Organisation.id),
)


def cohort_access(
    org_slug: str, cohort_id: int, person: Person, need: str = "coordinator"
) -> tuple[OrgAccess, Cohort]:
    """:func:`org_access` and a cohort of the organisation in one query; another
    organisation's cohort is 404, as if it did not exist."""
    parameters = {"org_slug": org_slug, "person_id": person.id, "cohort_id": cohort_id}
    row = db.session.execute(ORGANISATION_ROLE_AND_COHORT, parameters).first()
    access = _allowed(row, need)
    if row.Cohort is None:
        raise NotFound(_("This cohort does not exist here."))
    return access, row.Cohort


# Records of an organisation ------------------------------------------------------------------


def org_curriculum(org: Organisation, curriculum_id: int) -> Curriculum:
    curriculum = db.session.get(Curriculum, curriculum_id)
    if curriculum is None or curriculum.organisation_id != org.id:
        raise NotFound(_("This curriculum does not exist here."))
    return curriculum


def org_module(org: Organisation, module_id: int) -> CurriculumModule:
    module = db.session.get(CurriculumModule, module_id)
    if module is None or module.curriculum.organisation_id != org.id:
        raise NotFound(_("This module does not exist here."))
    return module


def org_lesson(org: Organisation, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module.curriculum.organisation_id != org.id:
        raise NotFound(_("This lesson does not exist here."))
    return lesson


def org_session(org: Organisation, session_id: int) -> CohortSession:
    session = db.session.get(CohortSession, session_id)
    if session is None or session.cohort.organisation_id != org.id:
        raise NotFound(_("This session does not exist here."))
    return session


def org_enrolment(org: Organisation, enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.cohort.organisation_id != org.id:
        raise NotFound(_("This trainee is not in your organisation."))
    return enrolment


def org_submission(org: Organisation, submission_id: int) -> PracticeSubmission:
    submission = db.session.get(PracticeSubmission, submission_id)
    if submission is None or submission.enrolment.cohort.organisation_id != org.id:
        raise NotFound(_("This practice work does not exist here."))
    return submission


def org_membership(org: Organisation, membership_id: int) -> OrganisationMembership:
    membership = db.session.get(OrganisationMembership, membership_id)
    if membership is None or membership.organisation_id != org.id:
        raise NotFound(_("This person has no role here."))
    return membership


# A trainee's own records ---------------------------------------------------------------------


def my_enrolment(person: Person, enrolment_id: int) -> Enrolment:
    """One of the person's own enrolments; anyone else's is 404."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.person_id != person.id:
        raise NotFound(_("This training does not exist or is not yours."))
    return enrolment


def _has_completed(enrolment: Enrolment, module: CurriculumModule) -> bool:
    return (
        db.session.scalar(
            sa.select(ModuleCompletion.id).where(
                ModuleCompletion.enrolment_id == enrolment.id,
                ModuleCompletion.module_id == module.id,
            )
        )
        is not None
    )


def enrolment_module(enrolment: Enrolment, module_id: int) -> CurriculumModule:
    """A module of the enrolment's curriculum (a retired one only if the trainee completed it)."""
    module = db.session.get(CurriculumModule, module_id)
    if module is None or module.curriculum_id != enrolment.cohort.curriculum_id:
        raise NotFound(_("This module is not part of your training."))
    if module.retired_at is not None and not _has_completed(enrolment, module):
        raise NotFound(_("This module is not part of your training."))
    return module


def module_lesson(module: CurriculumModule, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module_id != module.id:
        raise NotFound(_("This lesson is not part of this module."))
    return lesson
