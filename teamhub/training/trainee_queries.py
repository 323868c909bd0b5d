"""Read-only lookups of a trainee's own records: their training links on the home page, their
progress through the curriculum, their attendance and tries, and certificates (public by code,
showing four facts).

Each takes an enrolment already loaded through :mod:`teamhub.training.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from teamhub.auth.models import Person
from teamhub.clock import JST
from teamhub.errors import NotFound
from teamhub.extensions import db
from teamhub.teams.models import Membership, Team
from teamhub.training.models import (
    Attendance,
    Cohort,
    CurriculumModule,
    Enrolment,
    LessonRead,
    ModuleCompletion,
    OrganisationMembership,
    PracticeSubmission,
    Recommendation,
)

# The home page's training links ---------------------------------------------------------------


def enrolments_of(person: Person) -> list[Enrolment]:
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(Enrolment.person_id == person.id)
            .options(selectinload(Enrolment.cohort).selectinload(Cohort.curriculum))
            .order_by(Enrolment.enrolled_at.desc())
        )
    )


def place_in(cohort: Cohort, person: Person) -> Enrolment | None:
    """The person's place in the cohort (in training or completed), if they have one."""
    return db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == cohort.id,
            Enrolment.person_id == person.id,
            Enrolment.status != "withdrawn",
        )
    )


def roles_of(person: Person) -> list[OrganisationMembership]:
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(
                OrganisationMembership.person_id == person.id,
                OrganisationMembership.ended_at.is_(None),
            )
            .options(selectinload(OrganisationMembership.organisation))
        )
    )


@dataclass(frozen=True)
class Dashboard:
    roles: list[OrganisationMembership]
    enrolments: list[Enrolment]
    recommended: list[tuple[Team, int]]  # teams the person directs, with graduates recommended
    is_operator: bool
    cohorts: dict[int, list[Cohort]]  # the cohorts of each organisation in ``roles``, by its id

    @property
    def in_training(self) -> bool:
        """Whether the person is a trainee now (an enrolment still running)."""
        return any(e.status == "active" for e in self.enrolments)


def cohorts_of_organisations(organisation_ids: list[int]) -> dict[int, list[Cohort]]:
    """The cohorts of these organisations, newest first, by organisation id, in one query."""
    found: dict[int, list[Cohort]] = {org_id: [] for org_id in organisation_ids}
    if organisation_ids:
        for cohort in db.session.scalars(
            sa.select(Cohort)
            .where(Cohort.organisation_id.in_(organisation_ids))
            .order_by(Cohort.enrol_opens_on.desc(), Cohort.id.desc())
        ):
            found[cohort.organisation_id].append(cohort)
    return found


def dashboard(person: Person) -> Dashboard:
    """What the home page links to for training: the organisations the person helps run and
    their cohorts, the person's own cohorts, graduates recommended to their teams."""
    recommended = db.session.execute(
        sa.select(Team, sa.func.count(Recommendation.id))
        .join(Membership, Membership.team_id == Team.id)
        .join(Recommendation, Recommendation.team_id == Team.id)
        .where(
            Membership.person_id == person.id,
            Membership.role == "director",
            Membership.removed_at.is_(None),
        )
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    roles = roles_of(person)
    return Dashboard(
        roles=roles,
        enrolments=enrolments_of(person),
        recommended=[(team, n) for team, n in recommended],
        is_operator=bool(person.is_operator),
        cohorts=cohorts_of_organisations([r.organisation_id for r in roles]),
    )


# Progress ------------------------------------------------------------------------------------


def completions_of(enrolment: Enrolment) -> dict[int, ModuleCompletion]:
    """The trainee's completions by module id, read fresh from the database."""
    return {
        c.module_id: c
        for c in db.session.scalars(
            sa.select(ModuleCompletion).where(ModuleCompletion.enrolment_id == enrolment.id)
        )
    }


@dataclass(frozen=True)
class ModuleProgress:
    module: CurriculumModule
    completion: ModuleCompletion | None
    lessons_read: int
    lessons_total: int
    waiting_review: bool

    @property
    def percent(self) -> int:
        """Completed modules are 100%; otherwise read lessons out of lessons plus completion."""
        if self.completion is not None:
            return 100
        return self.lessons_read * 100 // (self.lessons_total + 1)


@dataclass(frozen=True)
class Progress:
    modules: list[ModuleProgress]
    retired_completions: list[ModuleCompletion]  # done in modules since removed: history stays

    @property
    def done(self) -> int:
        return sum(1 for m in self.modules if m.completion is not None)

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def progress(enrolment: Enrolment) -> Progress:
    """Per-module and overall progress of one trainee, against the curriculum as it is now."""
    modules = db.session.scalars(
        sa.select(CurriculumModule)
        .where(CurriculumModule.curriculum_id == enrolment.cohort.curriculum_id)
        .options(selectinload(CurriculumModule.lessons))
        .order_by(CurriculumModule.position, CurriculumModule.id)
    ).all()
    completions = completions_of(enrolment)
    read = lessons_read(enrolment)
    waiting = set(
        db.session.scalars(
            sa.select(PracticeSubmission.module_id).where(
                PracticeSubmission.enrolment_id == enrolment.id,
                PracticeSubmission.decision.is_(None),
            )
        )
    )
    current = [
        ModuleProgress(
            module=m,
            completion=completions.get(m.id),
            lessons_read=sum(1 for lesson in m.lessons if lesson.id in read),
            lessons_total=len(m.lessons),
            waiting_review=m.id in waiting,
        )
        for m in modules
        if m.retired_at is None
    ]
    retired = [completions[m.id] for m in modules if m.retired_at and m.id in completions]
    return Progress(current, retired)


def lessons_read(enrolment: Enrolment) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(LessonRead.lesson_id).where(LessonRead.enrolment_id == enrolment.id)
        )
    )


def my_attendance(enrolment: Enrolment) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(Attendance.session_id, Attendance.status).where(
                Attendance.enrolment_id == enrolment.id
            )
        ).all()
    )


def submissions_for(enrolment: Enrolment, module: CurriculumModule) -> list[PracticeSubmission]:
    return list(
        db.session.scalars(
            sa.select(PracticeSubmission)
            .where(
                PracticeSubmission.enrolment_id == enrolment.id,
                PracticeSubmission.module_id == module.id,
            )
            .order_by(PracticeSubmission.number.desc())
        )
    )


# Certificates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateView:
    """Exactly what the public verification page shows, and nothing else."""

    name: str
    cohort: str
    curriculum: str
    completed_on: date  # in Japan


def certificate(code: str) -> CertificateView:
    """The certificate with this code, for anyone who has the link."""
    normalised = (code or "").strip().upper()
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.certificate_code == normalised, Enrolment.status == "completed"
        )
    )
    if enrolment is None or enrolment.completed_at is None:
        raise NotFound(
            _("No certificate has this code. Check the code on the certificate and try again.")
        )
    return CertificateView(
        name=enrolment.person.display_name,
        cohort=enrolment.cohort.name,
        curriculum=enrolment.cohort.curriculum.title,
        completed_on=enrolment.completed_at.astimezone(JST).date(),
    )
