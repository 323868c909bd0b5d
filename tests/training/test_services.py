"""Training rules, tried on the services directly (no HTTP)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from teamhub.auth.models import Person
from teamhub.clock import from_jst, today_jst
from teamhub.errors import Conflict, Invalid, NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.skills import PersonSkill
from teamhub.teams.models import Team
from teamhub.training import (
    access,
    cohorts,
    curricula,
    enrolments,
    organisations,
    progress,
    queries,
    trainee_queries,
)
from teamhub.training.models import (
    Attendance,
    Cohort,
    CurriculumModule,
    Enrolment,
    Lesson,
    LessonRead,
    ModuleCompletion,
    OrganisationMembership,
    PracticeSubmission,
    Recommendation,
)
from tests import factories
from tests import training_factories as tf


@pytest.fixture
def ctx(app):
    """A request context in English, so the messages the tests read stay put."""
    with app.test_request_context(), force_locale("en"):
        yield
        db.session.rollback()


@pytest.fixture
def org(ctx):
    return tf.make_organisation()


@pytest.fixture
def coordinator(org):
    return tf.appoint(org)


@pytest.fixture
def curriculum(org):
    return tf.make_curriculum(org)


@pytest.fixture
def cohort(org, curriculum):
    return tf.make_cohort(org, curriculum)


def enrolled(cohort, coordinator, n: int = 1) -> list[Enrolment]:
    return [enrolments.enrol(cohort, factories.make_person(), by=coordinator) for _ in range(n)]


def training_skills(person_id: int) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(PersonSkill.skill).where(
                PersonSkill.person_id == person_id, PersonSkill.source == "training"
            )
        )
    )


# Organisations and appointments ---------------------------------------------------------------


def organisation_input(**overrides) -> organisations.OrganisationInput:
    fields = {
        "name": "足利市役所",
        "slug": "ashikaga-city",
        "kind": "city_hall",
        "prefecture": "栃木県",
        "municipality": "足利市",
    }
    fields.update(overrides)
    return organisations.OrganisationInput(**fields)


def test_only_the_operator_creates_organisations(ctx):
    person = factories.make_person()
    with pytest.raises(NotAllowed):
        organisations.create_organisation(person, organisation_input())
    person.is_operator = True
    org = organisations.create_organisation(person, organisation_input())
    assert (org.slug, org.target_monthly_yen) == ("ashikaga-city", 200_000)


def test_organisation_input_is_checked_field_by_field(ctx):
    operator = factories.make_person(is_operator=True)
    organisations.create_organisation(operator, organisation_input())
    with pytest.raises(Invalid) as refused:
        organisations.create_organisation(
            operator,
            organisation_input(name="", slug="ashikaga-city", kind="guild", prefecture="奄美県"),
        )
    assert set(refused.value.reasons) == {"name", "slug", "kind", "prefecture"}


def test_operator_appoints_a_coordinator_by_email_and_can_end_it(org):
    operator = factories.make_person(is_operator=True)
    person = factories.make_person(email="coord@example.jp")
    membership = organisations.appoint(operator, org, "Coord@Example.jp ", "coordinator")
    assert (membership.person_id, membership.role) == (person.id, "coordinator")
    assert access.org_access(org.slug, person).is_coordinator
    with pytest.raises(Conflict):
        organisations.appoint(operator, org, "coord@example.jp", "coordinator")
    organisations.end_appointment(operator, membership)
    with pytest.raises(NotFound):
        access.org_access(org.slug, person)
    again = organisations.appoint(operator, org, "coord@example.jp", "mentor")
    assert again.id == membership.id and again.active and again.role == "mentor"


def test_appointing_an_unknown_email_says_to_sign_up_first(org):
    operator = factories.make_person(is_operator=True)
    with pytest.raises(Invalid) as refused:
        organisations.appoint(operator, org, "nobody@example.jp")
    assert "sign up" in refused.value.reasons["email"]
    with pytest.raises(Invalid):
        organisations.appoint(operator, org, factories.make_person().email, "boss")


def test_mentors_reach_the_organisation_but_not_coordinator_pages(org):
    mentor = tf.appoint(org, role="mentor")
    assert access.org_access(org.slug, mentor, need="mentor").membership.role == "mentor"
    with pytest.raises(NotAllowed):
        access.org_access(org.slug, mentor)


def test_target_income_is_whole_yen_in_range(org):
    organisations.set_target_income(org, 180_000)
    assert org.target_monthly_yen == 180_000
    for bad in (None, 0, -1, 10_000_001):
        with pytest.raises(Invalid):
            organisations.set_target_income(org, bad)
    assert org.target_monthly_yen == 180_000


# Curricula, modules and lessons ---------------------------------------------------------------


def test_modules_are_added_in_order_and_reordered(curriculum):
    titles = [m.title for m in curriculum.current_modules]
    first, second, third = curriculum.current_modules
    assert curricula.move_module(third, "up") is True
    assert curricula.move_module(first, "up") is False  # already first
    db.session.refresh(curriculum)
    assert [m.title for m in curriculum.current_modules] == [titles[0], titles[2], titles[1]]
    assert [m.position for m in curriculum.current_modules] == [1, 2, 3]
    curricula.move_module(first, "down")
    db.session.refresh(curriculum)
    assert [m.id for m in curriculum.current_modules] == [third.id, first.id, second.id]
    with pytest.raises(Invalid):
        curricula.move_module(first, "sideways")


def test_module_skills_must_be_known_codes(curriculum):
    with pytest.raises(Invalid) as refused:
        curricula.add_module(curriculum, curricula.ModuleInput(title="x", skills=("hacking",)))
    assert "skills" in refused.value.reasons
    with pytest.raises(Invalid) as refused:
        curricula.add_module(curriculum, curricula.ModuleInput(title="  ", summary="x" * 2001))
    assert set(refused.value.reasons) == {"title", "summary"}


def test_editing_a_module_bumps_its_version_only_when_something_changed(curriculum):
    module = curriculum.current_modules[0]
    same = curricula.ModuleInput(
        title=module.title, practice_task=module.practice_task, skills=tuple(module.skills)
    )
    curricula.update_module(module, same)
    assert module.version == 1
    curricula.update_module(module, curricula.ModuleInput(title="新しい題", skills=("seo",)))
    assert (module.version, module.title, module.skills) == (2, "新しい題", ["seo"])


def test_a_module_nobody_worked_on_is_deleted_with_its_lessons(curriculum):
    module = curriculum.current_modules[2]
    module_id = module.id
    assert curricula.remove_module(module) == "deleted"
    assert db.session.get(CurriculumModule, module_id) is None
    assert db.session.scalar(sa.select(Lesson.id).where(Lesson.module_id == module_id)) is None
    db.session.refresh(curriculum)
    assert [m.position for m in curriculum.current_modules] == [1, 2]


def test_lessons_are_appended_edited_and_deleted(curriculum):
    module = curriculum.current_modules[0]
    lesson = curricula.add_lesson(module, "三つ目", "本文")
    assert lesson.position == 3
    curricula.update_lesson(lesson, "題を変えた", "**太字**")
    assert lesson.title == "題を変えた"
    with pytest.raises(Invalid):
        curricula.update_lesson(lesson, "", "x")
    with pytest.raises(Invalid):
        curricula.add_lesson(module, "長すぎる", "x" * 50_001)
    curricula.delete_lesson(lesson)
    assert db.session.get(Lesson, lesson.id) is None


# Curriculum edits never rewrite recorded progress ---------------------------------------------


def test_completion_keeps_the_title_version_and_skills_the_trainee_completed(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    module = cohort.curriculum.current_modules[0]
    progress.complete_module(enrolment, module, coordinator)
    curricula.update_module(
        module, curricula.ModuleInput(title="改訂版の題", skills=("design", "seo"))
    )
    completion = db.session.scalar(sa.select(ModuleCompletion))
    assert (completion.module_title, completion.module_version) == ("Webライティングの基本", 1)
    assert completion.skills == ["web-writing"]
    assert training_skills(enrolment.person_id) == {"web-writing"}
    assert module.version == 2
    assert trainee_queries.progress(enrolment).done == 1


def test_removing_a_module_with_history_retires_it_and_progress_stays(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    module = cohort.curriculum.current_modules[0]
    progress.complete_module(enrolment, module, coordinator)
    assert curricula.remove_module(module) == "retired"
    assert db.session.get(CurriculumModule, module.id).retired_at is not None
    view = trainee_queries.progress(enrolment)
    assert (view.done, view.total) == (0, 2)
    assert [c.module_title for c in view.retired_completions] == ["Webライティングの基本"]
    assert training_skills(enrolment.person_id) == {"web-writing"}
    with pytest.raises(Conflict):
        curricula.update_module(module, curricula.ModuleInput(title="x"))


def test_a_practice_try_keeps_the_task_as_the_trainee_read_it(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    module = cohort.curriculum.current_modules[1]
    submission = progress.submit_practice(enrolment, module, "答え")
    curricula.update_module(
        module, curricula.ModuleInput(title=module.title, practice_task="別の課題", skills=("seo",))
    )
    assert submission.task == "キーワードを3つ選び、見出し案を作ってください。"
    assert submission.module_version == 1


def test_adding_a_module_after_graduation_leaves_the_graduate_graduated(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    tf.graduate(enrolment, coordinator)
    code = enrolment.certificate_code
    curricula.add_module(cohort.curriculum, curricula.ModuleInput(title="追加の回"))
    db.session.refresh(enrolment)
    assert enrolment.status == "completed" and enrolment.certificate_code == code
    assert trainee_queries.certificate(code).curriculum == cohort.curriculum.title


def test_retiring_the_last_missing_module_graduates_the_trainee(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    first, second, third = cohort.curriculum.current_modules
    progress.complete_module(enrolment, first, coordinator)
    for module in (second,):
        submission = progress.submit_practice(enrolment, module, "答え")
        progress.review_practice(submission, coordinator, True)
    progress.submit_practice(enrolment, third, "途中")
    curricula.remove_module(third)
    db.session.refresh(enrolment)
    assert enrolment.status == "completed" and enrolment.certificate_code


# Cohorts and sessions ------------------------------------------------------------------------


def test_cohort_input_is_checked(org, curriculum):
    bad = cohorts.CohortInput(
        name="", capacity=0, enrol_opens_on=date(2026, 5, 1), enrol_closes_on=date(2026, 4, 1)
    )
    with pytest.raises(Invalid) as refused:
        cohorts.open_cohort(org, curriculum, bad)
    assert set(refused.value.reasons) == {"name", "capacity", "enrol_closes_on"}
    other_org = tf.make_organisation()
    with pytest.raises(Invalid):
        cohorts.open_cohort(
            other_org,
            curriculum,
            cohorts.CohortInput("第1期", 5, date(2026, 4, 1), date(2026, 5, 1)),
        )


def test_capacity_cannot_drop_below_the_trainees_enrolled(cohort, coordinator):
    enrolled(cohort, coordinator, 3)
    data = cohorts.CohortInput(cohort.name, 2, cohort.enrol_opens_on, cohort.enrol_closes_on)
    with pytest.raises(Invalid) as refused:
        cohorts.update_cohort(cohort, data)
    assert "3" in refused.value.reasons["capacity"]
    cohorts.update_cohort(
        cohort, cohorts.CohortInput("改名", 3, data.enrol_opens_on, data.enrol_closes_on)
    )
    assert (cohort.name, cohort.capacity) == ("改名", 3)


def test_a_session_near_midnight_in_japan_is_stored_in_utc_on_the_right_day(cohort):
    starts = from_jst(date(2026, 4, 1), time(0, 30))
    session = cohorts.add_session(cohort, cohorts.SessionInput(starts_at=starts, place="公民館"))
    db.session.expire(session)
    assert session.starts_at == datetime(2026, 3, 31, 15, 30, tzinfo=UTC)
    assert session.day_jst == date(2026, 4, 1)
    late = cohorts.add_session(
        cohort,
        cohorts.SessionInput(starts_at=from_jst(date(2026, 4, 1), time(23, 45)), place="公民館"),
    )
    db.session.expire(late)
    assert late.starts_at == datetime(2026, 4, 1, 14, 45, tzinfo=UTC)
    assert late.day_jst == date(2026, 4, 1)


def test_a_session_needs_a_place_or_a_safe_online_link(cohort):
    starts = from_jst(date(2026, 4, 1), time(10, 0))
    with pytest.raises(Invalid) as refused:
        cohorts.add_session(cohort, cohorts.SessionInput(starts_at=starts))
    assert "place" in refused.value.reasons
    with pytest.raises(Invalid) as refused:
        cohorts.add_session(
            cohort, cohorts.SessionInput(starts_at=starts, online_url="javascript:alert(1)")
        )
    assert "online_url" in refused.value.reasons
    with pytest.raises(Invalid) as refused:
        cohorts.add_session(
            cohort, cohorts.SessionInput(starts_at=None, duration_minutes=0, place="x")
        )
    assert set(refused.value.reasons) == {"starts_on", "duration_minutes"}


def test_a_session_with_attendance_stays_on_the_schedule(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    past, future = tf.add_sessions(cohort)
    progress.record_attendance(past, {enrolment.id: "present"}, coordinator)
    with pytest.raises(Conflict):
        cohorts.remove_session(past)
    cohorts.remove_session(future)
    assert len(db.session.scalars(sa.select(Attendance)).all()) == 1


# Enrolment -----------------------------------------------------------------------------------


def test_enrolment_takes_a_place_and_a_full_cohort_refuses(org, curriculum, coordinator):
    cohort = tf.make_cohort(org, curriculum, capacity=2)
    enrolled(cohort, coordinator, 2)
    assert cohort.seats_taken == 2
    with pytest.raises(Conflict) as refused:
        enrolments.enrol(cohort, factories.make_person(), by=coordinator)
    assert "full" in refused.value.message and "2" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 2


def test_the_enrolment_window_is_inclusive_and_refuses_outside_it(cohort, coordinator):
    person = factories.make_person()
    with pytest.raises(Conflict) as early:
        enrolments.enrol(cohort, person, today=cohort.enrol_opens_on - timedelta(days=1))
    assert "opens" in early.value.message
    with pytest.raises(Conflict) as late:
        enrolments.enrol(cohort, person, today=cohort.enrol_closes_on + timedelta(days=1))
    assert "closed" in late.value.message
    assert cohort.seats_taken == 0
    enrolments.enrol(cohort, person, today=cohort.enrol_closes_on)
    enrolments.enrol(cohort, factories.make_person(), today=cohort.enrol_opens_on)
    assert cohort.seats_taken == 2


def test_nobody_is_enrolled_twice(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    with pytest.raises(Conflict):
        enrolments.enrol(cohort, enrolment.person, by=coordinator)
    assert cohort.seats_taken == 1


def test_withdrawal_frees_the_place_and_the_person_can_come_back(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    enrolments.withdraw(enrolment)
    assert (enrolment.status, cohort.seats_taken) == ("withdrawn", 0)
    again = enrolments.enrol(cohort, enrolment.person, by=coordinator)
    assert again.id == enrolment.id and again.status == "active" and cohort.seats_taken == 1
    tf.graduate(again, coordinator)
    with pytest.raises(Conflict):
        enrolments.withdraw(again)


def test_enrol_by_email_needs_an_account(cohort, coordinator):
    with pytest.raises(Invalid) as refused:
        enrolments.enrol_by_email(cohort, "nobody@example.jp", coordinator)
    assert "application link" in refused.value.reasons["email"]
    person = factories.make_person(email="hanako@example.jp")
    assert (
        enrolments.enrol_by_email(cohort, " Hanako@Example.JP", coordinator).person_id == person.id
    )


def test_the_application_link_works_only_while_open(cohort):
    person = factories.make_person()
    with pytest.raises(Conflict):
        enrolments.apply(cohort.application_code, person)
    cohorts.set_applications(cohort, True)
    enrolment = enrolments.apply(cohort.application_code, person)
    assert (enrolment.via, enrolment.enrolled_by_id) == ("application", None)
    old = cohort.application_code
    cohorts.set_applications(cohort, True, new_link=True)
    with pytest.raises(NotFound):
        enrolments.apply(old, factories.make_person())
    with pytest.raises(NotFound):
        enrolments.apply("", factories.make_person())


def test_applying_to_a_full_cohort_or_outside_the_window_says_so(org, curriculum):
    cohort = tf.make_cohort(org, curriculum, capacity=1)
    cohorts.set_applications(cohort, True)
    enrolments.apply(cohort.application_code, factories.make_person())
    with pytest.raises(Conflict) as full:
        enrolments.apply(cohort.application_code, factories.make_person())
    assert "full" in full.value.message
    closed = tf.make_cohort(
        org, curriculum, enrol_opens_on=date(2020, 1, 1), enrol_closes_on=date(2020, 2, 1)
    )
    cohorts.set_applications(closed, True)
    with pytest.raises(Conflict) as late:
        enrolments.apply(closed.application_code, factories.make_person())
    assert "closed" in late.value.message


def test_seat_claims_cannot_overfill_even_with_a_stale_count(org, curriculum, coordinator):
    cohort = tf.make_cohort(org, curriculum, capacity=1)
    # Another request took the last place after this cohort row was loaded.
    db.session.execute(sa.update(Cohort).where(Cohort.id == cohort.id).values(seats_taken=1))
    with pytest.raises(Conflict):
        enrolments.enrol(cohort, factories.make_person(), by=coordinator)


# Attendance ----------------------------------------------------------------------------------


def test_attendance_is_recorded_and_corrected(cohort, coordinator):
    first, second = enrolled(cohort, coordinator, 2)
    past, _future = tf.add_sessions(cohort)
    assert (
        progress.record_attendance(past, {first.id: "present", second.id: "absent"}, coordinator)
        == 2
    )
    assert (first.sessions_present, first.sessions_recorded) == (1, 1)
    assert (second.sessions_present, second.sessions_recorded) == (0, 1)
    progress.record_attendance(past, {second.id: "excused"}, coordinator)
    assert queries.session_marks(past) == {first.id: "present", second.id: "excused"}
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 2
    later = tf.add_sessions(cohort)[0]
    progress.record_attendance(later, {first.id: "absent", second.id: "present"}, coordinator)
    progress.record_attendance(later, {first.id: "present"}, coordinator)  # corrected
    assert (first.sessions_present, first.sessions_recorded) == (2, 2)
    assert (second.sessions_present, second.sessions_recorded) == (1, 2)
    assert_counts_equal_marks()


def assert_counts_equal_marks() -> None:
    """Every enrolment's attendance counts (what outcome reports read) equal its marks."""
    marks = {
        enrolment_id: (present, recorded)
        for enrolment_id, present, recorded in db.session.execute(
            sa.select(
                Attendance.enrolment_id,
                sa.func.count().filter(Attendance.status == "present"),
                sa.func.count(),
            ).group_by(Attendance.enrolment_id)
        )
    }
    counts = db.session.execute(
        sa.select(Enrolment.id, Enrolment.sessions_present, Enrolment.sessions_recorded)
    ).all()
    assert counts and all(marks.get(e, (0, 0)) == (p, n) for e, p, n in counts), (marks, counts)


def test_attendance_refuses_unknown_statuses_strangers_and_future_sessions(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    past, future = tf.add_sessions(cohort)
    other = tf.make_cohort(cohort.organisation, cohort.curriculum)
    [stranger] = enrolled(other, coordinator)
    with pytest.raises(Invalid):
        progress.record_attendance(past, {enrolment.id: "late"}, coordinator)
    with pytest.raises(Invalid):
        progress.record_attendance(past, {stranger.id: "present"}, coordinator)
    with pytest.raises(Invalid):
        progress.record_attendance(past, {}, coordinator)
    with pytest.raises(Conflict):
        progress.record_attendance(future, {enrolment.id: "present"}, coordinator)
    progress.record_attendance(future, {enrolment.id: "present"}, coordinator, today=future.day_jst)
    assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1


def test_withdrawn_trainees_are_not_on_the_attendance_roster(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    past, _future = tf.add_sessions(cohort)
    enrolments.withdraw(enrolment)
    with pytest.raises(Invalid):
        progress.record_attendance(past, {enrolment.id: "present"}, coordinator)


# Practice, review and completion -------------------------------------------------------------


def test_pass_completes_the_module_and_grants_its_skills(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    module = cohort.curriculum.current_modules[1]
    submission = progress.submit_practice(enrolment, module, "  見出し案です  ")
    assert (submission.number, submission.text) == (1, "見出し案です")
    progress.review_practice(submission, coordinator, True, "")
    completion = db.session.scalar(sa.select(ModuleCompletion))
    assert (completion.how, completion.module_id, completion.skills) == (
        "practice",
        module.id,
        ["seo"],
    )
    assert training_skills(enrolment.person_id) == {"seo"}


def test_another_try_needs_a_comment_and_the_next_try_is_numbered(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    module = cohort.curriculum.current_modules[1]
    first = progress.submit_practice(enrolment, module, "一回目")
    with pytest.raises(Invalid) as refused:
        progress.review_practice(first, coordinator, False, "  ")
    assert "comment" in refused.value.reasons
    assert first.decision is None
    assert refused.value.reasons == {
        "comment": "Tell the trainee what to change before the next try."
    }
    assert first.decision is None
    progress.review_practice(first, coordinator, False, "  見出しをもう少し具体的に ")
    assert (first.decision, first.comment) == ("retry", "見出しをもう少し具体的に")
    assert (first.reviewed_by_id, first.reviewed_at is not None) == (coordinator.id, True)
    assert db.session.scalar(sa.select(ModuleCompletion)) is None
    second = progress.submit_practice(enrolment, module, "二回目")
    assert second.number == 2


def test_a_review_comment_holds_up_to_its_limit(cohort, coordinator):
    first, second = enrolled(cohort, coordinator, 2)
    module = cohort.curriculum.current_modules[1]
    limit = progress.MAX_REVIEW_COMMENT_CHARS
    too_long = progress.submit_practice(first, module, "答え")
    with pytest.raises(Invalid) as refused:
        progress.review_practice(too_long, coordinator, False, "直" * (limit + 1))
    assert refused.value.reasons == {"comment": f"Use at most {limit:,} characters."}
    assert too_long.decision is None
    at_limit = progress.submit_practice(second, module, "答え")
    progress.review_practice(at_limit, coordinator, False, "直" * limit)
    assert at_limit.decision == "retry" and len(at_limit.comment) == limit


def test_a_pass_needs_no_comment_and_keeps_none(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    submission = progress.submit_practice(enrolment, cohort.curriculum.current_modules[1], "答え")
    progress.review_practice(submission, coordinator, True)
    assert (submission.decision, submission.comment) == ("passed", "")


def test_a_try_is_reviewed_once(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    submission = progress.submit_practice(enrolment, cohort.curriculum.current_modules[1], "答え")
    progress.review_practice(submission, coordinator, True)
    with pytest.raises(Conflict):
        progress.review_practice(submission, coordinator, False, "やっぱり")
    assert submission.decision == "passed"
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1


def test_submission_rules(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    manual, practice, _third = cohort.curriculum.current_modules
    with pytest.raises(Conflict):
        progress.submit_practice(enrolment, manual, "答え")  # no practice task
    with pytest.raises(Invalid):
        progress.submit_practice(enrolment, practice, "  ", "")
    with pytest.raises(Invalid) as refused:
        progress.submit_practice(enrolment, practice, "", "javascript:alert(1)")
    assert "link_url" in refused.value.reasons
    with pytest.raises(Invalid):
        progress.submit_practice(enrolment, practice, "x" * 20_001)
    progress.submit_practice(enrolment, practice, "", "https://docs.example.jp/draft")
    with pytest.raises(Conflict) as waiting:
        progress.submit_practice(enrolment, practice, "もう一度")
    assert "waiting" in waiting.value.message
    other = tf.make_curriculum(cohort.organisation)
    with pytest.raises(NotFound):
        progress.submit_practice(enrolment, other.current_modules[1], "答え")
    assert db.session.scalar(sa.select(sa.func.count(PracticeSubmission.id))) == 1


def test_manual_completion_is_only_for_modules_without_a_practice_task(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    manual, practice, _third = cohort.curriculum.current_modules
    with pytest.raises(Conflict):
        progress.complete_module(enrolment, practice, coordinator)
    progress.complete_module(enrolment, manual, coordinator)
    with pytest.raises(Conflict):
        progress.complete_module(enrolment, manual, coordinator)
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1


def test_withdrawn_trainees_cannot_progress(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    manual, practice, _third = cohort.curriculum.current_modules
    submission = progress.submit_practice(enrolment, practice, "答え")
    enrolments.withdraw(enrolment)
    with pytest.raises(Conflict):
        progress.complete_module(enrolment, manual, coordinator)
    with pytest.raises(Conflict):
        progress.submit_practice(enrolment, manual, "答え")
    with pytest.raises(Conflict):
        progress.review_practice(submission, coordinator, True)
    assert submission.decision is None


def test_completing_every_module_graduates_with_a_certificate(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    tf.graduate(enrolment, coordinator)
    assert enrolment.status == "completed" and enrolment.completed_at is not None
    assert len(enrolment.certificate_code) == 19
    assert training_skills(enrolment.person_id) == {"web-writing", "seo", "proposals"}
    view = trainee_queries.certificate(enrolment.certificate_code.lower())
    assert view.name == enrolment.person.display_name
    assert (view.cohort, view.curriculum) == (cohort.name, cohort.curriculum.title)
    assert view.completed_on == today_jst()
    with pytest.raises(NotFound):
        trainee_queries.certificate("AAAA-BBBB-CCCC-DDDD")


def test_an_empty_curriculum_never_graduates_anyone(org, coordinator):
    empty = curricula.create_curriculum(org, "空の講座")
    cohort = tf.make_cohort(org, empty)
    [enrolment] = enrolled(cohort, coordinator)
    assert progress.graduate_if_done(enrolment) is False


def test_training_skills_stay_once_when_two_modules_grant_the_same(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    progress.grant_skills(enrolment.person_id, ["seo"])
    progress.grant_skills(enrolment.person_id, ["seo", "design"])
    assert training_skills(enrolment.person_id) == {"seo", "design"}
    person = db.session.get(Person, enrolment.person_id)
    assert sorted(s.skill for s in person.skills) == ["design", "seo"]


def test_progress_counts_lessons_read_and_completions(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    manual = cohort.curriculum.current_modules[0]
    progress.mark_lesson_read(enrolment, manual.lessons[0])
    progress.mark_lesson_read(enrolment, manual.lessons[0])
    first = trainee_queries.progress(enrolment).modules[0]
    assert (first.lessons_read, first.lessons_total, first.percent) == (1, 2, 33)
    progress.complete_module(enrolment, manual, coordinator)
    view = trainee_queries.progress(enrolment)
    assert (view.modules[0].percent, view.done, view.total, view.percent) == (100, 1, 3, 33)


# Recommendations -----------------------------------------------------------------------------


def test_only_graduates_are_recommended_and_only_once_per_team(cohort, coordinator):
    active, done = enrolled(cohort, coordinator, 2)
    tf.graduate(done, coordinator)
    team = factories.make_team()
    with pytest.raises(Conflict):
        progress.recommend(active, team, coordinator)
    progress.recommend(done, team, coordinator, "丁寧です")
    with pytest.raises(Conflict):
        progress.recommend(done, team, coordinator)
    with pytest.raises(Invalid):
        progress.recommend(done, factories.make_team(), coordinator, "x" * 501)


def test_a_recommendation_keeps_its_note_up_to_its_limit_and_needs_a_team(cohort, coordinator):
    [done] = enrolled(cohort, coordinator)
    tf.graduate(done, coordinator)
    limit = progress.MAX_RECOMMENDATION_NOTE_CHARS
    with pytest.raises(Invalid) as refused:
        progress.recommend(done, None, coordinator)
    assert refused.value.reasons == {"team_id": "Choose a team from the list."}
    with pytest.raises(Invalid) as refused:
        progress.recommend(done, factories.make_team(), coordinator, "x" * (limit + 1))
    assert refused.value.reasons == {"note": f"Use at most {limit:,} characters."}
    noted = progress.recommend(done, factories.make_team(), coordinator, " " + "丁" * limit + " ")
    plain = progress.recommend(done, factories.make_team(), coordinator)
    assert (noted.note, plain.note) == ("丁" * limit, "")
    assert (noted.recommended_by_id, noted.enrolment_id) == (coordinator.id, done.id)
    # Recommended to one team, the graduate may still be recommended to another.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == 2


def test_directors_see_recommended_graduates_whose_skills_fit_first(cohort, coordinator):
    fits, other = enrolled(cohort, coordinator, 2)
    for enrolment in (fits, other):
        tf.graduate(enrolment, coordinator)
    db.session.execute(
        sa.delete(PersonSkill).where(
            PersonSkill.person_id == other.person_id, PersonSkill.skill == "seo"
        )
    )
    director = factories.make_person()
    team = factories.make_team(director)
    factories.make_job(team, director, required_skills=["seo"])
    progress.recommend(other, team, coordinator)
    progress.recommend(fits, team, coordinator)
    graduates, needed = queries.team_graduates(team)
    assert needed == ["seo"]
    assert [g.recommendation.enrolment_id for g in graduates] == [fits.id, other.id]
    assert graduates[0].fitting == ["seo"] and graduates[1].fitting == []
    elsewhere = factories.make_team()
    assert queries.team_graduates(elsewhere) == ([], [])
    assert db.session.get(Team, team.id) is not None


def test_membership_roles_are_constrained_in_the_database(org):
    person = factories.make_person()
    db.session.add(
        OrganisationMembership(organisation_id=org.id, person_id=person.id, role="owner")
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_skill_completed_in_training_makes_the_graduate_eligible_on_the_split_page(
    cohort, coordinator
):
    from teamhub.jobs import splitting

    [enrolment] = enrolled(cohort, coordinator)
    team = factories.make_team(factories.make_person())
    member = factories.give_capacity(factories.add_member(team, enrolment.person))
    job = factories.make_job(team, required_skills=["seo"])

    def row():
        return next(c for c in splitting.candidates(job) if c.membership_id == member.id)

    assert row().missing_skills == ("seo",)
    module = cohort.curriculum.current_modules[1]
    progress.review_practice(
        progress.submit_practice(enrolment, module, "案"), coordinator, True, ""
    )
    assert row().missing_skills == ()


def test_a_lesson_is_read_once_per_trainee_and_a_withdrawn_trainee_reads_no_more(
    cohort, coordinator
):
    first, second = enrolled(cohort, coordinator, 2)
    one, two = cohort.curriculum.current_modules[0].lessons[:2]
    for enrolment, lesson in ((first, one), (first, one), (first, two), (second, one)):
        progress.mark_lesson_read(enrolment, lesson)
    reads = db.session.execute(
        sa.select(LessonRead.enrolment_id, LessonRead.lesson_id).order_by(LessonRead.id)
    ).all()
    assert reads == [(first.id, one.id), (first.id, two.id), (second.id, one.id)]
    enrolments.withdraw(second)
    with pytest.raises(Conflict):
        progress.mark_lesson_read(second, two)
    assert len(db.session.scalars(sa.select(LessonRead.id)).all()) == 3


def test_graduating_those_finished_reads_only_that_curriculums_trainees(org, cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    first, second, third = cohort.curriculum.current_modules
    progress.complete_module(enrolment, first, coordinator)
    submission = progress.submit_practice(enrolment, second, "答え")
    progress.review_practice(submission, coordinator, True)
    third.retired_at = datetime(2026, 12, 1, tzinfo=UTC)  # retired, not yet followed up
    db.session.flush()
    other = tf.make_curriculum(org)
    assert progress.graduate_finished(other.id) == 0 and enrolment.status == "active"
    assert progress.graduate_finished(cohort.curriculum.id) == 1
    assert enrolment.status == "completed"


def test_one_trainees_try_waiting_for_review_does_not_hold_up_anothers(cohort, coordinator):
    first, second = enrolled(cohort, coordinator, 2)
    module = cohort.curriculum.current_modules[1]
    progress.submit_practice(first, module, "一人目")
    with pytest.raises(Conflict):
        progress.submit_practice(first, module, "もう一度")
    assert progress.submit_practice(second, module, "二人目").number == 1


def test_tries_are_numbered_and_wait_for_review_per_module(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    _manual, seo, proposals = cohort.curriculum.current_modules
    first = progress.submit_practice(enrolment, seo, "一回目")
    progress.review_practice(first, coordinator, False, "もう一度")
    assert progress.submit_practice(enrolment, seo, "二回目").number == 2
    # The SEO try waiting for review holds up neither the proposal try nor its numbering.
    assert progress.submit_practice(enrolment, proposals, "提案").number == 1


def test_a_try_is_an_answer_or_a_link_up_to_its_limit(cohort, coordinator):
    first, second, third = enrolled(cohort, coordinator, 3)
    module = cohort.curriculum.current_modules[1]
    limit = progress.MAX_SUBMISSION_CHARS
    with pytest.raises(Invalid) as refused:
        progress.submit_practice(first, module, "  ", "  ")
    assert refused.value.reasons == {"text": "Write your answer or paste a link to it."}
    with pytest.raises(Invalid) as refused:
        progress.submit_practice(first, module, "答" * (limit + 1))
    assert refused.value.reasons == {"text": f"Use at most {limit:,} characters."}
    assert len(progress.submit_practice(first, module, "答" * limit).text) == limit
    linked = progress.submit_practice(second, module, link_url="https://example.com/draft")
    assert (linked.text, linked.link_url) == ("", "https://example.com/draft")
    assert progress.submit_practice(third, module, " 答え ").text == "答え"


def test_certificate_codes_are_four_groups_of_four_unambiguous_characters():
    letters = re.escape(progress.CERTIFICATE_ALPHABET)
    codes = {progress.new_certificate_code() for _ in range(200)}
    assert all(re.fullmatch(rf"[{letters}]{{4}}(-[{letters}]{{4}}){{3}}", c) for c in codes), codes
    assert len(codes) == 200  # 32¹⁶ possible codes: none repeats
    assert not set("".join(codes)) & set("01OI")


def test_a_completion_records_who_recorded_it_and_how(cohort, coordinator):
    [enrolment] = enrolled(cohort, coordinator)
    manual, practice, _third = cohort.curriculum.current_modules
    by_hand = progress.complete_module(enrolment, manual, coordinator)
    reviewer = tf.appoint(cohort.organisation)
    progress.review_practice(progress.submit_practice(enrolment, practice, "答"), reviewer, True)
    reviewed = db.session.scalar(
        sa.select(ModuleCompletion).where(ModuleCompletion.module_id == practice.id)
    )
    assert (by_hand.how, by_hand.recorded_by_id) == ("manual", coordinator.id)
    assert (reviewed.how, reviewed.recorded_by_id) == ("practice", reviewer.id)


def test_a_mark_recorded_meanwhile_by_another_request_is_marked_over(
    cohort, coordinator, monkeypatch
):
    """Between reading the session's marks and adding one, another request (a double click)
    adds the same trainee's mark: this request's mark is written over it, that trainee's
    only, in that session only."""
    first, second = enrolled(cohort, coordinator, 2)
    past, _future = tf.add_sessions(cohort)
    earlier = tf.add_sessions(cohort)[0]
    progress.record_attendance(earlier, {first.id: "absent", second.id: "absent"}, coordinator)
    other = tf.appoint(cohort.organisation)
    added = progress.insert_once

    def meanwhile(row):
        if isinstance(row, Attendance):
            db.session.add(Attendance(session_id=row.session_id, enrolment_id=row.enrolment_id,
                                      status="excused", recorded_by_id=other.id))  # fmt: skip
            db.session.flush()
        return added(row)

    monkeypatch.setattr(progress, "insert_once", meanwhile)
    progress.record_attendance(past, {first.id: "present", second.id: "absent"}, coordinator)
    marks = db.session.execute(
        sa.select(Attendance.session_id, Attendance.enrolment_id, Attendance.status,
                  Attendance.recorded_by_id).order_by(Attendance.session_id, Attendance.enrolment_id)
    ).all()  # fmt: skip
    assert marks == sorted(
        [
            (earlier.id, first.id, "absent", coordinator.id),
            (earlier.id, second.id, "absent", coordinator.id),
            (past.id, first.id, "present", coordinator.id),
            (past.id, second.id, "absent", coordinator.id),
        ]
    )
    assert (first.sessions_present, first.sessions_recorded) == (1, 2)


def test_training_grants_each_trainee_their_own_skills_beside_those_they_declared(
    cohort, coordinator
):
    first, second = enrolled(cohort, coordinator, 2)
    db.session.add(PersonSkill(person_id=second.person_id, skill="seo", source="declared"))
    progress.grant_skills(first.person_id, ["seo", "design"])
    progress.grant_skills(second.person_id, ["seo", "proposals"])
    assert training_skills(first.person_id) == {"seo", "design"}
    assert training_skills(second.person_id) == {"seo", "proposals"}
    declared = db.session.scalars(
        sa.select(PersonSkill.skill).where(
            PersonSkill.person_id == second.person_id, PersonSkill.source == "declared"
        )
    ).all()
    assert declared == ["seo"]


def test_a_completed_module_takes_no_more_tries_and_a_graduate_graduates_once(cohort, coordinator):
    first, second, third = enrolled(cohort, coordinator, 3)
    module = cohort.curriculum.current_modules[1]
    progress.review_practice(progress.submit_practice(first, module, "答"), coordinator, True)
    assert progress.submit_practice(second, module, "二人目").number == 1  # another's: open
    with pytest.raises(Conflict) as refused:
        progress.submit_practice(first, module, "もう一度")
    assert str(refused.value) == "This module is already completed."
    tf.graduate(third, coordinator)
    code = third.certificate_code
    assert progress.graduate_if_done(third) is False
    assert third.certificate_code == code
