"""Training pages through the test client, as operators, coordinators, trainees and directors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.clock import today_jst
from teamhub.extensions import db
from teamhub.training import enrolments as enrolments_service
from teamhub.training import progress as progress_service
from teamhub.training.models import (
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
    Recommendation,
)
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as


@pytest.fixture
def setup(app):
    """The ready organisation, with everyone reading English so messages are stable."""
    with app.app_context():
        made = tf.training_with_everything()
        db.session.execute(sa.update(Person).values(locale="en"))
        db.session.commit()
    return made


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def org_url(setup, path: str = "") -> str:
    return f"/orgs/{setup.org.slug}{path}"


# Operator ------------------------------------------------------------------------------------


ORG_FORM = {
    "name": "足利市役所",
    "slug": "ashikaga-city",
    "kind": "city_hall",
    "prefecture": "栃木県",
    "municipality": "足利市",
}


def test_the_operator_creates_an_organisation_and_appoints_a_coordinator(app, make_person):
    operator = make_person(is_operator=True, locale="en")
    future = make_person(email="coord@example.jp")
    client = login_as(app, operator.email)
    response = client.post("/admin/organisations", data=ORG_FORM)
    assert response.status_code == 302
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id))
    response = client.post(
        f"/admin/organisations/{org_id}/appoint", data={"email": "coord@example.jp"}
    )
    assert response.status_code == 302
    coordinator = login_as(app, future.email)
    assert coordinator.get("/orgs/ashikaga-city").status_code == 200
    page = client.get(f"/admin/organisations/{org_id}").get_data(as_text=True)
    assert "coord@example.jp" in page
    with app.app_context():
        membership_id = db.session.scalar(sa.select(OrganisationMembership.id))
    client.post(f"/admin/organisations/{org_id}/staff/{membership_id}/end")
    assert coordinator.get("/orgs/ashikaga-city").status_code == 404


def test_bad_organisation_forms_are_refused_beside_the_fields(app, make_person):
    client = login_as(app, make_person(is_operator=True, locale="en").email)
    bad = {**ORG_FORM, "slug": "Not A Slug!", "prefecture": "奄美県", "kind": "guild"}
    response = client.post("/admin/organisations", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="slug-error"' in page and 'id="prefecture-error"' in page
    assert count(app, Organisation) == 0
    client.post("/admin/organisations", data=ORG_FORM)
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id))
    unknown = client.post(
        f"/admin/organisations/{org_id}/appoint", data={"email": "nobody@example.jp"}
    )
    assert unknown.status_code == 422
    assert "sign up first" in unknown.get_data(as_text=True)


def test_people_who_are_not_the_operator_are_refused(app, setup):
    for email in (setup.coordinator.email, setup.trainee.email):
        client = login_as(app, email)
        assert client.get("/admin/organisations").status_code == 403
        assert client.post("/admin/organisations", data=ORG_FORM).status_code == 403
    assert count(app, Organisation) == 1


# Building a curriculum -----------------------------------------------------------------------


def test_a_coordinator_builds_a_curriculum_and_reorders_it(app, setup):
    client = login_as(app, setup.coordinator.email)
    response = client.post(org_url(setup, "/curricula/new"), data={"title": "デザイン入門"})
    assert response.status_code == 302
    curriculum_url = response.location
    for title in ("配色", "レイアウト", "提案"):
        added = client.post(
            f"{curriculum_url}/modules", data={"title": title, "skills": ["design"]}
        )
        assert added.status_code == 302
    with app.app_context():
        curriculum = db.session.scalar(
            sa.select(Curriculum).where(Curriculum.title == "デザイン入門")
        )
        third = curriculum.current_modules[2].id
    moved = client.post(org_url(setup, f"/modules/{third}/move"), data={"direction": "up"})
    assert moved.status_code == 302
    page = client.get(curriculum_url).get_data(as_text=True)
    assert page.index("提案") < page.index("レイアウト") < page.rindex("配色") or (
        page.index("配色") < page.index("提案") < page.index("レイアウト")
    )
    with app.app_context():
        curriculum = db.session.scalar(
            sa.select(Curriculum).where(Curriculum.title == "デザイン入門")
        )
        assert [m.title for m in curriculum.current_modules] == ["配色", "提案", "レイアウト"]
    bad = client.post(org_url(setup, f"/modules/{third}/move"), data={"direction": "left"})
    assert bad.status_code == 422


def test_bad_module_and_lesson_input_is_refused_and_nothing_is_written(app, setup):
    client = login_as(app, setup.coordinator.email)
    modules_before = count(app, CurriculumModule)
    response = client.post(
        org_url(setup, f"/curricula/{setup.ids.curriculum_id}/modules"),
        data={"title": "", "skills": ["hacking"]},
    )
    assert response.status_code == 422
    assert 'id="title-error"' in response.get_data(as_text=True)
    assert count(app, CurriculumModule) == modules_before
    lessons_before = count(app, Lesson)
    response = client.post(
        org_url(setup, f"/modules/{setup.ids.module_id}/lessons"),
        data={"title": "x" * 121, "body": "本文"},
    )
    assert response.status_code == 422
    assert count(app, Lesson) == lessons_before


def test_a_lesson_with_script_is_previewed_inert(app, setup):
    client = login_as(app, setup.coordinator.email)
    body = "**大事**\n\n<script>alert('x')</script>\n\n[押す](javascript:alert(1))"
    response = client.post(
        org_url(setup, f"/lessons/{setup.ids.lesson_id}"), data={"title": "注意", "body": body}
    )
    assert response.status_code == 302
    page = client.get(org_url(setup, f"/lessons/{setup.ids.lesson_id}")).get_data(as_text=True)
    assert "<strong>大事</strong>" in page
    assert "<script>alert" not in page and 'href="javascript' not in page
    trainee = login_as(app, setup.trainee.email)
    lesson_page = trainee.get(
        f"/training/{setup.ids.enrolment_id}/modules/{setup.ids.module_id}"
    ).get_data(as_text=True)
    assert "<strong>大事</strong>" in lesson_page and "<script>alert" not in lesson_page


def test_editing_a_module_while_a_cohort_runs_keeps_the_graduates_record(app, setup):
    client = login_as(app, setup.coordinator.email)
    with app.app_context():
        first = db.session.scalar(
            sa.select(CurriculumModule).where(
                CurriculumModule.curriculum_id == setup.ids.curriculum_id,
                CurriculumModule.position == 1,
            )
        )
        first_id, old_title = first.id, first.title
    response = client.post(
        org_url(setup, f"/modules/{first_id}"), data={"title": "新しい名前", "skills": ["design"]}
    )
    assert response.status_code == 302
    with app.app_context():
        completion = db.session.scalar(
            sa.select(ModuleCompletion).where(ModuleCompletion.module_id == first_id)
        )
        assert (completion.module_title, completion.skills) == (old_title, ["web-writing"])
    removed = client.post(org_url(setup, f"/modules/{first_id}/remove"))
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.get(CurriculumModule, first_id).retired_at is not None
        graduate = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.person_id == setup.graduate.id)
        )
        assert graduate.status == "completed"
    graduate_client = login_as(app, setup.graduate.email)
    page = graduate_client.get(f"/training/{graduate.id}").get_data(as_text=True)
    assert old_title in page


# Cohorts, sessions, enrolment ----------------------------------------------------------------


def test_a_coordinator_opens_a_cohort_and_schedules_a_session_near_midnight(app, setup):
    client = login_as(app, setup.coordinator.email)
    response = client.post(
        org_url(setup, "/cohorts/new"),
        data={
            "name": "夜間クラス",
            "curriculum_id": str(setup.ids.curriculum_id),
            "capacity": "１２",
            "enrol_opens_on": "2026-03-01",
            "enrol_closes_on": "2026-03-31",
        },
    )
    assert response.status_code == 302
    cohort_url = response.location
    session = client.post(
        f"{cohort_url}/sessions",
        data={
            "starts_on": "2026-04-01",
            "starts_time": "00:30",
            "duration_minutes": "60",
            "place": "オンライン",
            "online_url": "https://meet.example.jp/night",
        },
    )
    assert session.status_code == 302
    with app.app_context():
        row = db.session.scalar(
            sa.select(CohortSession).join(Cohort).where(Cohort.name == "夜間クラス")
        )
        assert row.starts_at == datetime(2026, 3, 31, 15, 30, tzinfo=UTC)
        assert (
            db.session.scalar(sa.select(Cohort.capacity).where(Cohort.name == "夜間クラス")) == 12
        )
    page = client.get(cohort_url).get_data(as_text=True)
    assert "2026/04/01 00:30" in page


def test_bad_cohort_and_session_forms_say_what_to_fix(app, setup):
    client = login_as(app, setup.coordinator.email)
    before = count(app, Cohort)
    response = client.post(
        org_url(setup, "/cohorts/new"),
        data={
            "name": "x",
            "curriculum_id": "999999",
            "capacity": "0",
            "enrol_opens_on": "2026-05-01",
            "enrol_closes_on": "2026-04-01",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="capacity-error"' in page
    assert count(app, Cohort) == before
    sessions = count(app, CohortSession)
    response = client.post(
        org_url(setup, f"/cohorts/{setup.ids.cohort_id}/sessions"),
        data={"starts_on": "2026-02-30", "starts_time": "25:00", "online_url": "javascript:x"},
    )
    assert response.status_code == 422
    response = client.post(
        org_url(setup, f"/cohorts/{setup.ids.cohort_id}/sessions"),
        data={
            "starts_on": "2026-04-01",
            "starts_time": "10:00",
            "duration_minutes": "90",
            "online_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    assert "https://" in response.get_data(as_text=True)
    assert count(app, CohortSession) == sessions


def test_enrolment_by_email_and_its_refusals(app, setup, make_person):
    client = login_as(app, setup.coordinator.email)
    url = org_url(setup, f"/cohorts/{setup.ids.cohort_id}/enrol")
    newcomer = make_person(email="newcomer@example.jp")
    assert client.post(url, data={"email": "newcomer@example.jp"}).status_code == 302
    again = client.post(url, data={"email": "newcomer@example.jp"})
    assert again.status_code == 409 and "already enrolled" in again.get_data(as_text=True)
    unknown = client.post(url, data={"email": "nobody@example.jp"})
    assert unknown.status_code == 422 and "application link" in unknown.get_data(as_text=True)
    with app.app_context():
        db.session.execute(sa.update(Cohort).values(capacity=3))
        db.session.commit()
        assert db.session.scalar(sa.select(Enrolment.id).where(Enrolment.person_id == newcomer.id))
    make_person(email="late@example.jp")
    full = client.post(url, data={"email": "late@example.jp"})
    assert full.status_code == 409 and "all 3 places are taken" in full.get_data(as_text=True)
    assert count(app, Enrolment) == 3


def test_the_application_link_enrols_a_signed_in_person(app, setup, make_person):
    link = f"/apply/{setup.ids.application_code}"
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert visitor.post(link).status_code == 302  # to the login page
    applicant = make_person(locale="en")
    client = login_as(app, applicant.email)
    response = client.post(link)
    assert response.status_code == 302 and response.location.startswith("/training/")
    twice = client.post(link)
    assert twice.status_code == 409 and "already enrolled" in twice.get_data(as_text=True)
    assert app.test_client().get("/apply/not-a-link").status_code == 404


def _apply_card(page: str) -> str:
    return re.search(r'<section class="card narrow">.*?</section>', page, re.S).group(0)


def test_a_newcomer_signs_up_from_the_application_link_and_comes_back_to_apply(app, setup):
    link = f"/apply/{setup.ids.application_code}"
    visitor = app.test_client()
    page = visitor.get(link).get_data(as_text=True)
    assert f'href="/signup?next={link}"' in page and f'href="/login?next={link}"' in page
    signup = {"email": "new@example.jp", "display_name": "新井 葵"} | {
        "password": "shima-uta-2026",
        "confirm": "shima-uta-2026",
    }
    response = visitor.post(f"/signup?next={link}", data=signup)
    assert response.status_code == 302 and response.location == link
    assert "新井 葵" in visitor.get(link).get_data(as_text=True)  # "Apply as 新井 葵"
    applied = visitor.post(link)
    assert applied.status_code == 302 and applied.location.startswith("/training/")
    again = _apply_card(visitor.get(link).get_data(as_text=True))  # reopened: already in
    assert f'href="{applied.location}"' in again and 'type="submit"' not in again


def test_a_full_cohort_says_so_instead_of_offering_to_apply(app, setup, make_person):
    with app.app_context():
        db.session.execute(sa.update(Cohort).values(capacity=2))
        db.session.commit()
    link = f"/apply/{setup.ids.application_code}"
    visitor = app.test_client()
    visitor.post("/language", data={"locale": "en", "next": "/"})
    for client in (visitor, login_as(app, make_person(locale="en").email)):
        page = client.get(link)
        text = _apply_card(page.get_data(as_text=True))
        assert page.status_code == 200
        assert "is full (2 places)" in text
        assert 'type="submit"' not in text and "/signup?next=" not in text


def test_a_coordinator_enrolling_into_a_full_cohort_is_told_what_they_can_do(
    app, setup, make_person
):
    with app.app_context():
        db.session.execute(sa.update(Cohort).values(capacity=2))
        db.session.commit()
    client = login_as(app, setup.coordinator.email)
    make_person(email="late@example.jp")
    url = org_url(setup, f"/cohorts/{setup.ids.cohort_id}/enrol")
    full = client.post(url, data={"email": "late@example.jp"}).get_data(as_text=True)
    assert "all 2 places are taken" in full and "raise the capacity" in full
    assert "Ask the coordinator" not in full


def test_a_closed_window_refuses_applications_with_a_clear_message(app, setup, make_person):
    with app.app_context():
        db.session.execute(
            sa.update(Cohort).values(
                enrol_opens_on=date(2020, 1, 1), enrol_closes_on=date(2020, 1, 31)
            )
        )
        db.session.commit()
    client = login_as(app, make_person(locale="en").email)
    response = client.post(f"/apply/{setup.ids.application_code}")
    assert response.status_code == 409
    assert "closed on 2020/01/31" in response.get_data(as_text=True)
    assert count(app, Enrolment) == 2


def test_turning_the_application_link_off_and_renewing_it(app, setup, make_person):
    client = login_as(app, setup.coordinator.email)
    url = org_url(setup, f"/cohorts/{setup.ids.cohort_id}/link")
    assert client.post(url, data={"new_link": "y"}).status_code == 302
    applicant = login_as(app, make_person(locale="en").email)
    assert applicant.post(f"/apply/{setup.ids.application_code}").status_code == 404
    with app.app_context():
        code = db.session.scalar(sa.select(Cohort.application_code))
    closed = applicant.post(f"/apply/{code}")
    assert closed.status_code == 409
    assert count(app, Enrolment) == 2


# Attendance ----------------------------------------------------------------------------------


def test_attendance_is_taken_on_a_phone_friendly_roster(app, setup):
    client = login_as(app, setup.mentor.email)
    url = org_url(setup, f"/sessions/{setup.ids.session_id}/attendance")
    page = client.get(url).get_data(as_text=True)
    assert 'type="radio"' in page and "style=" not in page
    cohort_url = org_url(setup, f"/cohorts/{setup.ids.cohort_id}")
    assert "1 / 1" in client.get(cohort_url).get_data(as_text=True)  # present at the session
    response = client.post(url, data={f"mark-{setup.ids.enrolment_id}": "excused"})
    assert response.status_code == 302
    assert f'name="mark-{setup.ids.enrolment_id}" value="excused" checked' in client.get(
        url
    ).get_data(as_text=True)
    # The cohort's roster counts the corrected mark: one session recorded, none present.
    roster = client.get(cohort_url).get_data(as_text=True)
    assert "0 / 1" in roster and "1 / 1" not in roster


def test_bad_attendance_input_is_refused_and_nothing_changes(app, setup):
    client = login_as(app, setup.coordinator.email)
    url = org_url(setup, f"/sessions/{setup.ids.session_id}/attendance")
    with app.app_context():
        before = db.session.execute(sa.select(Attendance.enrolment_id, Attendance.status)).all()
    for data in (
        {f"mark-{setup.ids.enrolment_id}": "late"},
        {"mark-999999": "present"},
        {"mark-abc": "present"},
        {},
    ):
        assert client.post(url, data=data).status_code == 422, data
    with app.app_context():
        assert db.session.execute(sa.select(Attendance.enrolment_id, Attendance.status)).all() == (
            before
        )
        future = db.session.scalar(
            sa.select(CohortSession.id).where(CohortSession.id != setup.ids.session_id)
        )
    response = client.post(
        org_url(setup, f"/sessions/{future}/attendance"),
        data={f"mark-{setup.ids.enrolment_id}": "present"},
    )
    assert response.status_code == 409


# Practice, review, completion ----------------------------------------------------------------


def test_the_trainee_submits_and_the_coordinator_passes_it(app, setup):
    coordinator = login_as(app, setup.coordinator.email)
    queue = coordinator.get(org_url(setup, "/reviews")).get_data(as_text=True)
    assert f"/reviews/{setup.ids.submission_id}" in queue
    no_comment = coordinator.post(
        org_url(setup, f"/reviews/{setup.ids.submission_id}"), data={"decision": "retry"}
    )
    assert no_comment.status_code == 422
    retry = coordinator.post(
        org_url(setup, f"/reviews/{setup.ids.submission_id}"),
        data={"decision": "retry", "comment": "見出しを具体的に"},
    )
    assert retry.status_code == 302
    trainee = login_as(app, setup.trainee.email)
    module_url = f"/training/{setup.ids.enrolment_id}/modules/{setup.ids.module_id}"
    assert "見出しを具体的に" in trainee.get(module_url).get_data(as_text=True)
    empty = trainee.post(f"{module_url}/practice", data={"text": " ", "link_url": ""})
    assert empty.status_code == 422
    assert trainee.post(f"{module_url}/practice", data={"text": "二回目です"}).status_code == 302
    waiting = trainee.post(f"{module_url}/practice", data={"text": "三回目"})
    assert waiting.status_code == 409
    with app.app_context():
        second = db.session.scalar(
            sa.select(PracticeSubmission.id).where(PracticeSubmission.number == 2)
        )
    passed = coordinator.post(org_url(setup, f"/reviews/{second}"), data={"decision": "pass"})
    assert passed.status_code == 302
    again = coordinator.post(
        org_url(setup, f"/reviews/{second}"), data={"decision": "retry", "comment": "x"}
    )
    assert again.status_code == 409
    page = trainee.get(f"/training/{setup.ids.enrolment_id}").get_data(as_text=True)
    assert '<progress value="1" max="3"' in page


def test_manual_completion_and_its_refusal_for_practice_modules(app, setup):
    client = login_as(app, setup.coordinator.email)
    with app.app_context():
        manual = db.session.scalar(
            sa.select(CurriculumModule.id).where(
                CurriculumModule.curriculum_id == setup.ids.curriculum_id,
                CurriculumModule.practice_task == "",
            )
        )
    base = org_url(setup, f"/trainees/{setup.ids.enrolment_id}/modules")
    refused = client.post(f"{base}/{setup.ids.module_id}/complete")
    assert refused.status_code == 409
    assert "practice task passes" in refused.get_data(as_text=True)
    assert client.post(f"{base}/{manual}/complete").status_code == 302
    assert client.post(f"{base}/{manual}/complete").status_code == 409
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(ModuleCompletion.id)).where(
                    ModuleCompletion.enrolment_id == setup.ids.enrolment_id
                )
            )
            == 1
        )


def test_the_trainee_reads_lessons_and_the_module_bar_moves(app, setup):
    trainee = login_as(app, setup.trainee.email)
    module_url = f"/training/{setup.ids.enrolment_id}/modules/{setup.ids.module_id}"
    assert '<progress value="0" max="100"' in trainee.get(module_url).get_data(as_text=True)
    response = trainee.post(f"{module_url}/lessons/{setup.ids.lesson_id}/read")
    assert response.status_code == 302
    assert '<progress value="33" max="100"' in trainee.get(module_url).get_data(as_text=True)
    assert count(app, LessonRead) == 1


def test_withdrawing_a_trainee(app, setup):
    client = login_as(app, setup.coordinator.email)
    response = client.post(org_url(setup, f"/trainees/{setup.ids.enrolment_id}/withdraw"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Enrolment, setup.ids.enrolment_id).status == "withdrawn"
        assert db.session.get(Cohort, setup.ids.cohort_id).seats_taken == 1
        graduate_id = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == setup.graduate.id)
        )
    refused = client.post(org_url(setup, f"/trainees/{graduate_id}/withdraw"))
    assert refused.status_code == 409


# Certificates --------------------------------------------------------------------------------


def test_the_public_certificate_page_shows_four_facts_and_nothing_else(app, setup):
    response = app.test_client().get(f"/certificates/{setup.ids.certificate_code}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex"
    page = response.get_data(as_text=True)
    with app.app_context():
        graduate = db.session.get(Person, setup.graduate.id)
        enrolment = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.person_id == graduate.id)
        )
        org = db.session.get(Organisation, setup.org.id)
        facts = (graduate.display_name, enrolment.cohort.name, enrolment.cohort.curriculum.title)
        hidden = (graduate.email, org.name, "seo", "SEO", "web-writing", "丁寧な仕事")
    for fact in facts:
        assert fact in page
    assert today_jst().strftime("%Y/%m/%d") in page
    main = page.split('<main class="page">', 1)[1]
    for secret in hidden:
        assert secret not in main, secret
    lower = app.test_client().get(f"/certificates/{setup.ids.certificate_code.lower()}")
    assert lower.status_code == 200
    assert app.test_client().get("/certificates/AAAA-BBBB-CCCC-DDDD").status_code == 404


def test_the_graduate_sees_their_certificate_and_a_trainee_does_not_yet(app, setup):
    graduate = login_as(app, setup.graduate.email)
    with app.app_context():
        enrolment_id = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == setup.graduate.id)
        )
    page = graduate.get(f"/training/{enrolment_id}/certificate").get_data(as_text=True)
    assert f"/certificates/{setup.ids.certificate_code}" in page
    trainee = login_as(app, setup.trainee.email)
    pending = trainee.get(f"/training/{setup.ids.enrolment_id}/certificate")
    assert pending.status_code == 404
    assert "completed every module" in pending.get_data(as_text=True)


# Recommendations and directors ---------------------------------------------------------------


def test_a_director_sees_graduates_recommended_to_the_team(app, setup):
    director = login_as(app, setup.director.email)
    page = director.get(f"/teams/{setup.team.slug}/graduates")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    with app.app_context():
        graduate = db.session.get(Person, setup.graduate.id)
        assert graduate.display_name in html and graduate.email in html
    home = director.get("/").get_data(as_text=True)
    assert f"/teams/{setup.team.slug}/graduates" in home
    other = factories_team_director(app)
    assert login_as(app, other).get(f"/teams/{setup.team.slug}/graduates").status_code == 404


def factories_team_director(app) -> str:
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
        return roles.director.email


def test_recommending_from_the_trainee_page(app, setup):
    client = login_as(app, setup.coordinator.email)
    with app.app_context():
        graduate_id = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == setup.graduate.id)
        )
        team = factories.make_team()
        db.session.commit()
        team_id = team.id
    url = org_url(setup, f"/trainees/{graduate_id}/recommend")
    assert client.post(url, data={"team_id": str(team_id), "note": "おすすめ"}).status_code == 302
    again = client.post(url, data={"team_id": str(team_id)})
    assert again.status_code == 409
    assert "This graduate is already recommended to" in again.get_data(as_text=True)
    assert client.post(url, data={"team_id": "abc"}).status_code == 422
    assert client.post(url, data={"team_id": "999999"}).status_code == 422
    active = org_url(setup, f"/trainees/{setup.ids.enrolment_id}/recommend")
    assert client.post(active, data={"team_id": str(team_id)}).status_code == 409
    assert count(app, Recommendation) == 2


# Pages for each role -------------------------------------------------------------------------


def test_every_coordinator_page_opens(app, setup):
    client = login_as(app, setup.coordinator.email)
    ids = setup.ids
    for path in (
        "",
        "/settings",
        "/curricula/new",
        f"/curricula/{ids.curriculum_id}",
        f"/curricula/{ids.curriculum_id}/edit",
        f"/modules/{ids.module_id}",
        f"/lessons/{ids.lesson_id}",
        "/cohorts/new",
        f"/cohorts/{ids.cohort_id}",
        f"/cohorts/{ids.cohort_id}/edit",
        f"/cohorts/{ids.cohort_id}/outcomes",
        f"/sessions/{ids.session_id}/attendance",
        f"/trainees/{ids.enrolment_id}",
        "/reviews",
        f"/reviews/{ids.submission_id}",
        "/outcomes",
    ):
        response = client.get(org_url(setup, path))
        assert response.status_code == 200, path
        assert "style=" not in response.get_data(as_text=True), path
    for chart in (
        "/outcomes/progress.svg",
        f"/cohorts/{ids.cohort_id}/progress.svg",
        f"/cohorts/{ids.cohort_id}/earnings.svg",
    ):
        response = client.get(org_url(setup, chart))
        assert response.mimetype == "image/svg+xml" and b"<script" not in response.data


def test_mentors_review_and_take_attendance_but_do_not_run_the_organisation(app, setup):
    client = login_as(app, setup.mentor.email)
    for path in (
        "",
        "/reviews",
        f"/cohorts/{setup.ids.cohort_id}",
        f"/sessions/{setup.ids.session_id}/attendance",
    ):
        assert client.get(org_url(setup, path)).status_code == 200, path
    for path in (
        "/settings",
        "/outcomes",
        "/outcomes.csv",
        "/curricula/new",
        f"/curricula/{setup.ids.curriculum_id}",
    ):
        assert client.get(org_url(setup, path)).status_code == 403, path
    assert (
        client.post(
            org_url(setup, f"/cohorts/{setup.ids.cohort_id}/enrol"), data={"email": "x@example.jp"}
        ).status_code
        == 403
    )


def test_trainee_and_coordinator_find_their_training_from_home(app, setup):
    trainee_home = login_as(app, setup.trainee.email).get("/").get_data(as_text=True)
    assert f"/training/{setup.ids.enrolment_id}" in trainee_home
    coordinator_home = login_as(app, setup.coordinator.email).get("/").get_data(as_text=True)
    assert f"/orgs/{setup.org.slug}" in coordinator_home
    page = login_as(app, setup.trainee.email).get("/training").get_data(as_text=True)
    assert f"/training/{setup.ids.enrolment_id}" in page


def test_the_trainee_sees_schedule_progress_and_attendance(app, setup):
    page = login_as(app, setup.trainee.email).get(f"/training/{setup.ids.enrolment_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<progress") == 4  # overall and one per module
    assert "Present" in html and "足利市民活動センター" in html
    assert re.search(r"\d{4}/\d{2}/\d{2} 10:00", html)
    assert "https://meet.example.jp/abc" in html
    assert (today_jst() + timedelta(days=7)).strftime("%Y/%m/%d") in html


def test_a_coordinator_whose_role_ended_is_refused_on_the_next_page(app, setup):
    coordinator = login_as(app, setup.coordinator.email)
    outcomes_url = org_url(setup, f"/cohorts/{setup.ids.cohort_id}/outcomes")
    assert coordinator.get(outcomes_url).status_code == 200
    with app.app_context():
        membership = db.session.get(OrganisationMembership, setup.ids.membership_id)
        membership.ended_at = datetime.now(UTC)
        db.session.commit()
    assert coordinator.get(outcomes_url).status_code == 404
    assert coordinator.get("/orgs/no-such-org/cohorts").status_code == 404
    assert login_as(app, setup.mentor.email).get(outcomes_url).status_code == 403


def test_the_organisation_navigation_follows_the_role_the_name_and_the_language(app, setup):
    """The navigation shows coordinators their own links only, with the organisation's name
    as it is now, in the reader's language."""
    org = setup.org.slug
    reviews = f"/orgs/{org}/reviews"
    coordinator, mentor = login_as(app, setup.coordinator.email), login_as(app, setup.mentor.email)

    def nav(client):
        page = client.get(reviews).get_data(as_text=True)
        return re.search(r'<nav class="org-nav".*?</nav>', page, re.S)[0]

    assert f"/orgs/{org}/settings" in nav(coordinator) and "Outcomes" in nav(coordinator)
    assert f"/orgs/{org}/settings" not in nav(mentor) and "Practice reviews" in nav(mentor)
    with app.app_context():
        db.session.get(Organisation, setup.org.id).name = "足利市役所 産業振興課"
        db.session.commit()
    assert "足利市役所 産業振興課" in nav(mentor)
    with app.app_context():
        db.session.execute(
            sa.update(Person).where(Person.id == setup.mentor.id).values(locale="ja")
        )
        db.session.commit()
    japanese = nav(mentor)
    assert "足利市役所 産業振興課" in japanese and "Practice reviews" not in japanese
    assert f"/orgs/{org}/settings" not in japanese


def test_reviews_name_the_cohort_and_the_module_of_each_try(app, setup):
    with app.app_context():
        org = db.session.get(Organisation, setup.org.id)
        first = db.session.get(Cohort, setup.ids.cohort_id)
        second = tf.make_cohort(org, first.curriculum, name="第2期")
        trainee = db.session.get(Person, setup.trainee.id)
        enrolment = enrolments_service.enrol(second, trainee)
        module = first.curriculum.current_modules[2]
        submission_id = progress_service.submit_practice(enrolment, module, "二つ目").id
        names = (f"{first.curriculum.title} {first.name}", f"{first.curriculum.title} 第2期")
        db.session.commit()
    client = login_as(app, setup.coordinator.email)
    page = client.get(org_url(setup, "/reviews")).get_data(as_text=True)
    items = re.findall(r"<li>.*?</li>", page, re.S)
    [in_first] = [i for i in items if names[0] in i]
    [in_second] = [i for i in items if names[1] in i]
    assert "SEOの考え方" in in_first and "提案文を書く" in in_second
    review = client.get(org_url(setup, f"/reviews/{submission_id}")).get_data(as_text=True)
    assert f"提案文を書く in {names[1]}" in review


def test_the_public_certificate_page_asks_search_engines_not_to_index_it(app, setup):
    page = app.test_client().get(f"/certificates/{setup.ids.certificate_code}")
    head = page.get_data(as_text=True).split("</head>")[0]
    assert '<meta name="robots" content="noindex">' in head


def test_a_module_without_lessons_shows_no_empty_lesson_count(app):
    """A module with only a practice task, or nothing to read, says what completes it instead
    of "0 of 0 lessons read" beside a 0% bar."""
    from teamhub.training import curricula

    with app.app_context():
        org = tf.make_organisation()
        coordinator = tf.appoint(org)
        curriculum = curricula.create_curriculum(org, "在宅ワーク入門", "")
        for title, task in (("課題だけの単元", "自己紹介文を書いてください。"), ("説明会", "")):
            curricula.add_module(curriculum, curricula.ModuleInput(title=title, practice_task=task))
        cohort = tf.make_cohort(org, curriculum)
        trainee = factories.make_person()
        enrolment_id = enrolments_service.enrol(cohort, trainee, by=coordinator).id
        db.session.commit()
        email = trainee.email
    html = login_as(app, email).get(f"/training/{enrolment_id}").get_data(as_text=True)
    modules = re.findall(r'<li id="module-\d+".*?</li>', html, re.S)
    assert len(modules) == 2
    for module in modules:
        assert "レッスン中" not in module and "0%" not in module and "<progress" not in module
    assert "課題を提出" in modules[0] and "コーディネーター" in modules[1]
