"""Read-only lookups for the pages of an organisation's staff (its curricula, cohorts, roster,
attendance marks, practice work waiting for review) and of team directors (the graduates
recommended to them).

Each takes records already loaded through :mod:`teamhub.training.access`, so it reads only what
the signed-in person may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.skills import PersonSkill
from teamhub.teams.models import Team
from teamhub.training.models import (
    Attendance,
    Cohort,
    CohortSession,
    Curriculum,
    CurriculumModule,
    Enrolment,
    ModuleCompletion,
    Organisation,
    OrganisationMembership,
    PracticeSubmission,
    Recommendation,
)

# Lists for coordinators ----------------------------------------------------------------------


def organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def staff(org: Organisation) -> list[OrganisationMembership]:
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(
                OrganisationMembership.organisation_id == org.id,
                OrganisationMembership.ended_at.is_(None),
            )
            .options(selectinload(OrganisationMembership.person))
            .order_by(OrganisationMembership.appointed_at)
        )
    )


def curricula(org: Organisation) -> list[Curriculum]:
    return list(
        db.session.scalars(
            sa.select(Curriculum)
            .where(Curriculum.organisation_id == org.id)
            .options(selectinload(Curriculum.modules))
            .order_by(Curriculum.created_at.desc(), Curriculum.id.desc())
        )
    )


def cohorts(org: Organisation) -> list[Cohort]:
    return list(
        db.session.scalars(
            sa.select(Cohort)
            .where(Cohort.organisation_id == org.id)
            .options(selectinload(Cohort.curriculum), selectinload(Cohort.sessions))
            .order_by(Cohort.enrol_opens_on.desc(), Cohort.id.desc())
        )
    )


def cohorts_on(curriculum: Curriculum) -> list[Cohort]:
    return list(
        db.session.scalars(
            sa.select(Cohort).where(Cohort.curriculum_id == curriculum.id).order_by(Cohort.id)
        )
    )


def waiting_for_review(org: Organisation) -> sa.Select:
    """Practice work of the organisation's trainees still in training that waits for a decision."""
    return (
        sa.select(PracticeSubmission)
        .join(Enrolment, Enrolment.id == PracticeSubmission.enrolment_id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .where(
            Cohort.organisation_id == org.id,
            PracticeSubmission.decision.is_(None),
            Enrolment.status != "withdrawn",
        )
    )


def pending_reviews(org: Organisation) -> list[PracticeSubmission]:
    """Practice work waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            waiting_for_review(org)
            .options(
                selectinload(PracticeSubmission.enrolment).selectinload(Enrolment.person),
                selectinload(PracticeSubmission.enrolment)
                .selectinload(Enrolment.cohort)
                .selectinload(Cohort.curriculum),
                selectinload(PracticeSubmission.module),
            )
            .order_by(PracticeSubmission.submitted_at, PracticeSubmission.id)
        )
    )


def pending_review_count(org: Organisation) -> int:
    """How many tries wait for a decision."""
    waiting = waiting_for_review(org).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(waiting))


def teams_for_recommendation() -> list[Team]:
    return list(db.session.scalars(sa.select(Team).order_by(Team.prefecture, Team.name)))


def recommendations_of(enrolment: Enrolment) -> list[Recommendation]:
    return list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(Recommendation.enrolment_id == enrolment.id)
            .options(selectinload(Recommendation.team))
            .order_by(Recommendation.created_at)
        )
    )


@dataclass(frozen=True)
class RosterRow:
    enrolment: Enrolment
    done: int
    present: int
    recorded: int


def cohort_roster(cohort: Cohort, include_withdrawn: bool = True) -> list[RosterRow]:
    """The cohort's trainees with their people, modules done and attendance: three queries."""
    query = (
        sa.select(Enrolment)
        .where(Enrolment.cohort_id == cohort.id)
        .options(selectinload(Enrolment.person))
        .order_by(Enrolment.enrolled_at, Enrolment.id)
    )
    if not include_withdrawn:
        query = query.where(Enrolment.status != "withdrawn")
    return roster_rows(list(db.session.scalars(query)))


def roster_rows(enrolments: list[Enrolment]) -> list[RosterRow]:
    """These enrolments (people loaded) with their modules done and attendance: one query."""
    ids = [e.id for e in enrolments]
    done = dict(
        db.session.execute(
            sa.select(ModuleCompletion.enrolment_id, sa.func.count(ModuleCompletion.id))
            .join(CurriculumModule, CurriculumModule.id == ModuleCompletion.module_id)
            .where(ModuleCompletion.enrolment_id.in_(ids), CurriculumModule.retired_at.is_(None))
            .group_by(ModuleCompletion.enrolment_id)
        ).all()
    )
    # Attendance: each enrolment's counts of its marks, as the outcome reports read them.
    return [
        RosterRow(e, done.get(e.id, 0), e.sessions_present, e.sessions_recorded) for e in enrolments
    ]


def session_marks(session: CohortSession) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(Attendance.enrolment_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )


@dataclass(frozen=True)
class Graduate:
    recommendation: Recommendation
    skills: list[str]
    fitting: list[str]  # the graduate's skills that the team's open jobs ask for


def team_graduates(team: Team) -> tuple[list[Graduate], list[str]]:
    """Graduates recommended to the team, best fit first, and the skills its open jobs need."""
    needed = sorted(
        {
            code
            for skills in db.session.scalars(
                sa.select(Job.required_skills).where(Job.team_id == team.id, Job.status == "open")
            )
            for code in skills or []
        }
    )
    recommendations = db.session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.team_id == team.id)
        .options(
            selectinload(Recommendation.enrolment).selectinload(Enrolment.person),
            selectinload(Recommendation.enrolment)
            .selectinload(Enrolment.cohort)
            .selectinload(Cohort.curriculum),
        )
        .order_by(Recommendation.created_at.desc())
    ).all()
    skills = _training_skills([r.enrolment.person_id for r in recommendations])
    graduates = [
        Graduate(
            r,
            sorted(skills.get(r.enrolment.person_id, ())),
            sorted(skills.get(r.enrolment.person_id, set()) & set(needed)),
        )
        for r in recommendations
    ]
    graduates.sort(key=lambda g: -len(g.fitting))
    return graduates, needed


def _training_skills(person_ids: list[int]) -> dict[int, set[str]]:
    skills: dict[int, set[str]] = defaultdict(set)
    rows = db.session.execute(
        sa.select(PersonSkill.person_id, PersonSkill.skill).where(
            PersonSkill.person_id.in_(person_ids), PersonSkill.source == "training"
        )
    )
    for person_id, code in rows:
        skills[person_id].add(code)
    return skills
