"""Factory pairs for training tests: ``make_*`` with overrides, and a ready organisation."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from teamhub.auth.models import Person
from teamhub.clock import from_jst, today_jst
from teamhub.extensions import db
from teamhub.teams.models import Team
from teamhub.training import cohorts, curricula, enrolments, progress
from teamhub.training.models import (
    Cohort,
    Curriculum,
    CurriculumModule,
    Enrolment,
    Organisation,
    OrganisationMembership,
)
from tests import factories
from tests.factories import Ref
from tests.routes import TrainingIds

_counter = itertools.count(1)

# Three modules: the first is completed by hand, the other two by a passed practice task.
MODULES = [
    ("Webライティングの基本", "", ["web-writing"]),
    ("SEOの考え方", "キーワードを3つ選び、見出し案を作ってください。", ["seo"]),
    ("提案文を書く", "架空の案件に提案文を書いてください。", ["proposals"]),
]


def make_organisation(**overrides) -> Organisation:
    n = next(_counter)
    fields = {
        "name": f"足利しごとNPO{n}",
        "slug": f"org-{n}",
        "kind": "npo",
        "prefecture": "栃木県",
        "municipality": "足利市",
    }
    fields.update(overrides)
    org = Organisation(**fields)
    db.session.add(org)
    db.session.flush()
    return org


def appoint(org: Organisation, person: Person | None = None, role: str = "coordinator") -> Person:
    person = person or factories.make_person()
    db.session.add(OrganisationMembership(organisation_id=org.id, person_id=person.id, role=role))
    db.session.flush()
    return person


def make_curriculum(org: Organisation, modules=MODULES) -> Curriculum:
    curriculum = curricula.create_curriculum(org, f"在宅ワーク入門{next(_counter)}", "三か月の講座")
    for title, task, skills in modules:
        module = curricula.add_module(
            curriculum, curricula.ModuleInput(title=title, practice_task=task, skills=tuple(skills))
        )
        curricula.add_lesson(module, f"{title} その1", f"# {title}\n\n本文です。")
        curricula.add_lesson(module, f"{title} その2", "- 箇条書き\n- もう一つ")
    db.session.refresh(curriculum)
    return curriculum


def make_cohort(org: Organisation, curriculum: Curriculum, **overrides) -> Cohort:
    today = today_jst()
    fields = {
        "name": f"第{next(_counter)}期",
        "capacity": 10,
        "enrol_opens_on": today - timedelta(days=30),
        "enrol_closes_on": today + timedelta(days=30),
    }
    fields.update(overrides)
    cohort = cohorts.open_cohort(org, curriculum, cohorts.CohortInput(**fields))
    return cohort


def add_sessions(cohort: Cohort) -> list:
    today = today_jst()
    past = cohorts.add_session(
        cohort,
        cohorts.SessionInput(
            starts_at=from_jst(today - timedelta(days=7), _time(10)), place="足利市民活動センター"
        ),
    )
    future = cohorts.add_session(
        cohort,
        cohorts.SessionInput(
            starts_at=from_jst(today + timedelta(days=7), _time(10)),
            online_url="https://meet.example.jp/abc",
        ),
    )
    return [past, future]


def _time(hour: int):
    from datetime import time

    return time(hour, 0)


def modules_of(curriculum: Curriculum) -> list[CurriculumModule]:
    return curriculum.current_modules


def graduate(enrolment: Enrolment, coordinator: Person) -> Enrolment:
    """Complete every module of the enrolment: by hand, or by a passed practice task."""
    for module in enrolment.cohort.curriculum.current_modules:
        if module.has_practice:
            submission = progress.submit_practice(enrolment, module, "答えです。")
            progress.review_practice(submission, coordinator, True, "よくできました")
        else:
            progress.complete_module(enrolment, module, coordinator)
    return enrolment


@dataclass(frozen=True)
class TrainingSetup:
    org: Ref
    coordinator: Ref
    mentor: Ref
    trainee: Ref
    graduate: Ref
    director: Ref
    team: Ref
    ids: TrainingIds


def training_with_everything() -> TrainingSetup:
    """An organisation with a coordinator and a mentor, a 3-module curriculum, a cohort with two
    sessions (one past, attendance taken), a trainee whose practice work waits for review, and a
    graduate recommended to a team whose director can see them.
    """
    org = make_organisation()
    coordinator = appoint(org)
    mentor_membership_person = appoint(org, role="mentor")
    curriculum = make_curriculum(org)
    cohort = make_cohort(org, curriculum)
    cohorts.set_applications(cohort, True)
    past, _future = add_sessions(cohort)
    trainee = factories.make_person()
    graduate_person = factories.make_person()
    active = enrolments.enrol(cohort, trainee, by=coordinator)
    done = enrolments.enrol(cohort, graduate_person, by=coordinator)
    progress.record_attendance(past, {active.id: "present", done.id: "absent"}, coordinator)
    graduate(done, coordinator)
    practice_module = curriculum.current_modules[1]
    submission = progress.submit_practice(active, practice_module, "下書きです")
    roles = factories.team_with_roles()
    team = db.session.get(Team, roles.team.id)
    progress.recommend(done, team, coordinator, "丁寧な仕事をします")
    membership = db.session.scalar(
        db.select(OrganisationMembership).where(OrganisationMembership.person_id == coordinator.id)
    )
    ids = TrainingIds(
        org_slug=org.slug,
        organisation_id=org.id,
        membership_id=membership.id,
        curriculum_id=curriculum.id,
        module_id=practice_module.id,
        lesson_id=practice_module.lessons[0].id,
        cohort_id=cohort.id,
        session_id=past.id,
        enrolment_id=active.id,
        submission_id=submission.id,
        application_code=cohort.application_code,
        certificate_code=done.certificate_code,
    )
    return TrainingSetup(
        org=Ref(id=org.id, slug=org.slug),
        coordinator=Ref.of(coordinator),
        mentor=Ref.of(mentor_membership_person),
        trainee=Ref.of(trainee),
        graduate=Ref.of(graduate_person),
        director=roles.director,
        team=roles.team,
        ids=ids,
    )
