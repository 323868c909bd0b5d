"""Training events reach the people they concern: each event × recipient, once, in each
person's language, by email only when they want it; the preferences list their roles' kinds."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from teamhub import signals
from teamhub.auth.models import Person
from teamhub.clock import from_jst, today_jst, utcnow
from teamhub.extensions import db
from teamhub.notifications import services
from teamhub.notifications.email import build_message
from teamhub.notifications.kinds import KINDS
from teamhub.notifications.queries import email_choices
from teamhub.teams.models import Team
from teamhub.training import cohorts, enrolments, organisations, progress
from teamhub.training.models import (
    Enrolment,
    Organisation,
    OrganisationMembership,
    PracticeSubmission,
)
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as
from tests.notification_helpers import deliveries, notifications

TRAINING_KINDS = (
    "practice_waiting",
    "practice_passed",
    "practice_retry",
    "module_completed",
    "training_completed",
    "enrolled",
    "application_accepted",
    "graduate_recommended",
    "staff_appointed",
    "session_scheduled",
    "session_cancelled",
)


@pytest.fixture
def cohort(ctx):
    org = tf.make_organisation()
    coordinator = tf.appoint(org)
    cohort = tf.make_cohort(org, tf.make_curriculum(org))
    return cohort, coordinator


def _enrol(cohort, coordinator, **person) -> Enrolment:
    return enrolments.enrol(cohort, factories.make_person(**person), by=coordinator)


def _try(enrolment: Enrolment, position: int = 1) -> PracticeSubmission:
    module = enrolment.cohort.curriculum.current_modules[position]
    return progress.submit_practice(enrolment, module, "答えです。")


def _kinds_of(person_id: int) -> list[str]:
    return [n.kind for n in notifications(person_id=person_id)]


def test_a_passed_try_tells_the_trainee_only_with_a_link_to_the_module(cohort):
    cohort, coordinator = cohort
    enrolment = _enrol(cohort, coordinator)
    submission = _try(enrolment)
    progress.review_practice(submission, coordinator, True, "よくできました")

    [passed] = notifications("practice_passed")
    assert passed.person_id == enrolment.person_id
    assert passed.params["module"] == "SEOの考え方"
    assert passed.params["comment"] == "よくできました"
    assert passed.link == f"/training/{enrolment.id}/modules/{submission.module_id}"
    assert notifications("module_completed") == []  # the pass already says it
    assert _kinds_of(coordinator.id) == ["practice_waiting"]  # the try handed in, not the pass


def test_a_try_handed_in_asks_the_organisations_coordinators_and_mentors_once(cohort):
    cohort, coordinator = cohort
    org = db.session.get(Organisation, cohort.organisation_id)
    mentor = tf.appoint(org, role="mentor")
    former = tf.appoint(org, role="mentor")
    db.session.get(OrganisationMembership, _appointment_of(former).id).ended_at = utcnow()
    elsewhere = tf.appoint(tf.make_organisation())
    enrolment = _enrol(cohort, coordinator, display_name="森 健")
    submission = _try(enrolment)
    asked = notifications(kind="practice_waiting")
    assert sorted(n.person_id for n in asked) == sorted([coordinator.id, mentor.id])
    assert all(n.link == f"/orgs/{org.slug}/reviews/{submission.id}" for n in asked)
    with force_locale("ja"):
        body = KINDS["practice_waiting"].body(asked[0].params)
    assert "森 健さん" in body and "SEOの考え方" in body and "レビュー" in body
    assert former.id not in {n.person_id for n in asked}
    assert elsewhere.id not in {n.person_id for n in asked}
    assert enrolment.person_id not in {n.person_id for n in asked}


def _appointment_of(person: Person) -> OrganisationMembership:
    return db.session.scalar(
        sa.select(OrganisationMembership).where(OrganisationMembership.person_id == person.id)
    )


def test_another_try_tells_the_trainee_what_to_change(cohort):
    cohort, coordinator = cohort
    enrolment = _enrol(cohort, coordinator)
    progress.review_practice(_try(enrolment), coordinator, False, "見出しを3つにしてください")
    [retry] = notifications("practice_retry")
    assert retry.person_id == enrolment.person_id
    assert retry.params["comment"] == "見出しを3つにしてください"
    with force_locale("ja"):
        assert "見出しを3つにしてください" in KINDS["practice_retry"].body(retry.params)


def test_a_module_completed_by_hand_tells_the_trainee(cohort):
    cohort, coordinator = cohort
    enrolment = _enrol(cohort, coordinator)
    first = cohort.curriculum.current_modules[0]
    progress.complete_module(enrolment, first, coordinator)
    [done] = notifications("module_completed")
    assert (done.person_id, done.params["module"]) == (enrolment.person_id, first.title)
    assert done.link == f"/training/{enrolment.id}/modules/{first.id}"


def test_completing_the_curriculum_tells_the_graduate_once_where_the_certificate_is(cohort):
    cohort, coordinator = cohort
    enrolment = tf.graduate(_enrol(cohort, coordinator), coordinator)
    [completed] = notifications("training_completed")
    assert completed.person_id == enrolment.person_id
    assert completed.params["code"] == enrolment.certificate_code
    assert completed.link == f"/training/{enrolment.id}/certificate"
    signals.training_completed.send(enrolment)  # heard twice: still one notice, one email
    assert len(notifications("training_completed")) == 1
    emailed = [d.notification.kind for d in deliveries()]
    assert emailed.count("training_completed") == 1


def test_a_recommendation_tells_the_teams_directors_only(cohort):
    cohort, coordinator = cohort
    enrolment = tf.graduate(_enrol(cohort, coordinator), coordinator)
    roles = factories.team_with_roles()
    team = db.session.get(Team, roles.team.id)
    second_director = factories.add_member(team, role="director").person
    recommendation = progress.recommend(enrolment, team, coordinator, "丁寧です")

    told = notifications("graduate_recommended")
    assert {n.person_id for n in told} == {roles.director.id, second_director.id}
    assert {n.link for n in told} == {f"/teams/{team.slug}/graduates"}
    assert told[0].params["note"] == "丁寧です"
    assert told[0].team_id == team.id
    signals.graduate_recommended.send(recommendation)
    assert len(notifications("graduate_recommended")) == 2


def test_enrolment_and_application_tell_the_trainee_each_time_they_get_a_place(cohort):
    cohort, coordinator = cohort
    enrolled = _enrol(cohort, coordinator)
    [notice] = notifications("enrolled")
    assert notice.person_id == enrolled.person_id
    assert notice.link == f"/training/{enrolled.id}"

    applicant = factories.make_person()
    application = enrolments.enrol(cohort, applicant, via="application")
    [accepted] = notifications("application_accepted")
    assert accepted.person_id == applicant.id

    signals.enrolled.send(application, via="application")
    assert len(notifications("application_accepted")) == 1
    enrolments.withdraw(enrolled)
    enrolments.enrol(cohort, enrolled.person, by=coordinator)  # a new place: a new notice
    assert len(notifications("enrolled")) == 2


def test_an_appointment_tells_the_person_with_a_link_to_the_organisation(ctx):
    org = tf.make_organisation()
    operator = factories.make_person(is_operator=True)
    person = factories.make_person()
    membership = organisations.appoint(operator, org, person.email, "mentor")
    [notice] = notifications("staff_appointed")
    assert (notice.person_id, notice.params["role"]) == (person.id, "mentor")
    assert notice.link == f"/orgs/{org.slug}"
    signals.staff_appointed.send(membership)
    assert len(notifications("staff_appointed")) == 1
    organisations.appoint(operator, org, person.email, "coordinator")
    assert len(notifications("staff_appointed")) == 2


def _session_in(cohort, days: int, hour: int = 10):
    """A session of ``cohort`` ``days`` from today (before today when negative), in Japan time."""
    starts_at = from_jst(today_jst() + timedelta(days=days), time(hour, 0))
    return cohorts.add_session(
        cohort, cohorts.SessionInput(starts_at=starts_at, place="足利市民活動センター")
    )


def test_a_session_added_or_taken_off_tells_each_trainee_once_with_a_link_to_their_cohort(cohort):
    cohort, coordinator = cohort
    staying, leaving = _enrol(cohort, coordinator), _enrol(cohort, coordinator)
    enrolments.withdraw(leaving)
    session = _session_in(cohort, days=5)
    [added] = notifications(kind="session_scheduled")
    assert added.person_id == staying.person_id
    assert added.link == f"/training/{staying.id}"
    assert added.params["place"] == "足利市民活動センター"
    cohorts.remove_session(session)
    [taken_off] = notifications(kind="session_cancelled")
    assert (
        taken_off.person_id == staying.person_id
        and taken_off.key == f"session_cancelled:session:{session.id}"
    )
    with force_locale("ja"):
        body = KINDS["session_cancelled"].body(taken_off.params)
    assert "日程から外されました" in body and cohort.name in body
    assert coordinator.id not in {n.person_id for n in notifications()}


def test_a_past_session_added_or_tidied_away_is_no_news(cohort):
    cohort, coordinator = cohort
    _enrol(cohort, coordinator)
    cohorts.remove_session(_session_in(cohort, days=-3))
    assert not notifications(kind="session_scheduled") + notifications(kind="session_cancelled")


def test_every_training_notice_reads_in_each_persons_language(cohort):
    cohort, coordinator = cohort
    enrolment = _enrol(cohort, coordinator, locale="en", display_name="Ken Mori")
    cohorts.remove_session(_session_in(cohort, days=3))
    progress.review_practice(_try(enrolment), coordinator, False, "もう一度")
    tf.graduate(enrolment, coordinator)
    team = db.session.get(Team, factories.team_with_roles().team.id)
    progress.recommend(enrolment, team, coordinator)
    org = db.session.get(Organisation, cohort.organisation_id)
    organisations.appoint(factories.make_person(is_operator=True), org, enrolment.person.email)
    sent = {n.kind: n for n in notifications() if n.kind in TRAINING_KINDS}
    assert set(sent) == set(TRAINING_KINDS) - {"application_accepted"}

    for notice in sent.values():
        with force_locale("en"):
            english = (KINDS[notice.kind].subject(notice.params), KINDS[notice.kind].body(notice.params))  # fmt: skip
        with force_locale("ja"):
            japanese = (KINDS[notice.kind].subject(notice.params), KINDS[notice.kind].body(notice.params))  # fmt: skip
        assert english[0] != japanese[0] and english[1] != japanese[1], notice.kind
        assert cohort.curriculum.title in japanese[1] or notice.kind == "staff_appointed"

    message = build_message(sent["practice_retry"])  # Ken reads English
    assert message["Subject"] == "[teamhub] Another try, please: SEOの考え方"
    assert "Hello Ken Mori," in message.get_content()


def test_a_trainee_who_switched_off_an_email_still_gets_the_notice_in_the_inbox(cohort):
    cohort, coordinator = cohort
    enrolment = _enrol(cohort, coordinator)
    trainee = db.session.get(Person, enrolment.person_id)
    services.choose_emails(trainee, [k for k in email_choices(trainee) if k != "practice_retry"])
    progress.review_practice(_try(enrolment), coordinator, False, "もう一度")
    assert _kinds_of(trainee.id) == ["enrolled", "practice_retry"]
    trainees_emails = [
        d.notification.kind for d in deliveries() if d.notification.person_id == trainee.id
    ]
    assert trainees_emails == ["enrolled"]


def _kinds_on_settings_page(app, email: str) -> set[str]:
    page = login_as(app, email).get("/notifications/settings").get_data(as_text=True)
    return {code for code in KINDS if f'value="{code}"' in page}


def test_the_email_settings_list_only_the_kinds_of_the_persons_roles(app):
    with app.app_context():
        setup = tf.training_with_everything()
        db.session.commit()
    trainee_kinds = _kinds_on_settings_page(app, setup.trainee.email)
    assert "practice_retry" in trainee_kinds and "session_tomorrow" in trainee_kinds
    assert not trainee_kinds & {"assignment_offered", "graduate_recommended", "close_ready"}

    director_kinds = _kinds_on_settings_page(app, setup.director.email)
    assert {"graduate_recommended", "close_ready", "assignment_offered"} <= director_kinds
    assert not director_kinds & {"practice_retry", "staff_appointed"}

    coordinator_kinds = _kinds_on_settings_page(app, setup.coordinator.email)
    assert coordinator_kinds == {"practice_waiting", "session_tomorrow", "staff_appointed"}


def test_saving_the_settings_leaves_kinds_of_other_roles_as_they_were(app, make_person):
    person = make_person()
    with app.app_context():
        services.set_email_preferences(db.session.get(Person, person.id), list(KINDS))  # all on
        org = tf.make_organisation()
        cohort = tf.make_cohort(org, tf.make_curriculum(org))
        enrolments.enrol(cohort, db.session.get(Person, person.id), via="application")
        db.session.commit()
    client = login_as(app, person.email)
    assert client.post("/notifications/settings", data={"email": ["enrolled"]}).status_code == 302
    with app.app_context():
        from teamhub.notifications.models import NotificationPreference

        rows = db.session.scalars(
            db.select(NotificationPreference).where(NotificationPreference.person_id == person.id)
        )
        chosen = {row.kind: row.email for row in rows}
    assert chosen["enrolled"] and not chosen["practice_retry"]
    assert chosen["approved"] is True  # not on the page: left as it was, not switched off
