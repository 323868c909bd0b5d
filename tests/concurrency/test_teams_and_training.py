"""A team's and a training organisation's steps sent five times at once: an invitation, a role
change, a removal, an enrolment (by a coordinator or through the application link), attendance,
a practice review and a recommendation each take effect once; the other requests get the first
one's answer or a 409, never a 500 from a unique key."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.clock import from_jst, today_jst
from teamhub.extensions import db
from teamhub.notifications.models import Notification
from teamhub.teams import services as team_services
from teamhub.teams.models import Membership, Team
from teamhub.training import cohorts, enrolments, progress
from teamhub.training.models import (
    Attendance,
    Cohort,
    CohortSession,
    Enrolment,
    LessonRead,
    ModuleCompletion,
    OrganisationMembership,
    PracticeSubmission,
    Recommendation,
)
from tests import factories
from tests import training_factories as tf
from tests.concurrency.burst import fire, fire_each, needs_postgresql
from tests.conftest import login_as

pytestmark = needs_postgresql


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# Teams ---------------------------------------------------------------------------------------


def test_an_invitation_accepted_five_times_at_once_makes_one_membership(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        _invitation, token = team_services.invite(
            team, db.session.get(Person, roles.director.id), role="editor"
        )
        newcomer = factories.Ref.of(factories.make_person())
        db.session.commit()

    burst = fire(app, login_as(app, newcomer.email), f"/invite/{token}")

    burst.assert_same_answer(302)
    assert burst.locations[0].endswith(f"/teams/{roles.team.slug}")
    with app.app_context():
        [membership] = db.session.scalars(
            sa.select(Membership).where(Membership.person_id == newcomer.id)
        ).all()
        assert membership.role == "editor" and membership.active


def test_a_role_change_sent_five_times_at_once_changes_the_role_once(app):
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
    url = f"/teams/{roles.team.slug}/members/{roles.member_membership}/role"

    burst = fire(app, login_as(app, roles.director.email), url, {"role": "editor"})

    burst.assert_same_answer(302)
    with app.app_context():
        assert db.session.get(Membership, roles.member_membership).role == "editor"


def test_a_removal_sent_five_times_at_once_removes_the_member_once(app):
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
    url = f"/teams/{roles.team.slug}/members/{roles.member_membership}/remove"

    burst = fire(app, login_as(app, roles.director.email), url)

    burst.assert_same_answer(302)
    with app.app_context():
        assert not db.session.get(Membership, roles.member_membership).active


def test_two_directors_stepping_down_at_once_leave_one_director(app):
    """Each of two directors makes the other an editor at the same moment: one of them stays."""
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        second = factories.add_member(team, role="director")
        db.session.commit()
        second_email, second_id = second.person.email, second.id
    slug = roles.team.slug
    sends = [
        (login_as(app, roles.director.email), f"/teams/{slug}/members/{second_id}/role"),
        (login_as(app, second_email), f"/teams/{slug}/members/{roles.director_membership}/role"),
    ]

    burst = fire_each(app, [(client, url, {"role": "editor"}) for client, url in sends])

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        directors = _count(
            Membership, Membership.team_id == roles.team.id, Membership.role == "director"
        )
        assert directors == 1


# Training ------------------------------------------------------------------------------------


def _cohort(app, applications: bool = False):
    """An organisation's cohort with a session held a week ago; its coordinator; a newcomer."""
    with app.app_context():
        org = tf.make_organisation()
        coordinator = tf.appoint(org)
        cohort = tf.make_cohort(org, tf.make_curriculum(org))
        cohorts.set_applications(cohort, applications)
        past = cohorts.add_session(
            cohort,
            cohorts.SessionInput(starts_at=from_jst(today_jst() - timedelta(days=7)), place="会館"),
        )
        newcomer = factories.make_person()
        db.session.commit()
        return (
            org.slug, cohort.id, cohort.application_code, past.id,
            factories.Ref.of(coordinator), factories.Ref.of(newcomer),
        )  # fmt: skip


def _one_enrolment_and_one_seat(app, cohort_id: int, person_id: int) -> None:
    with app.app_context():
        assert _count(Enrolment, Enrolment.person_id == person_id) == 1
        assert db.session.get(Cohort, cohort_id).seats_taken == 1


def test_an_enrolment_sent_five_times_at_once_takes_one_place(app):
    slug, cohort_id, _code, _session, coordinator, newcomer = _cohort(app)
    url = f"/orgs/{slug}/cohorts/{cohort_id}/enrol"

    burst = fire(app, login_as(app, coordinator.email), url, {"email": newcomer.email})

    burst.assert_one_winner(won=302, lost=(409,))
    _one_enrolment_and_one_seat(app, cohort_id, newcomer.id)


def test_an_application_sent_five_times_at_once_takes_one_place(app):
    _slug, cohort_id, code, _session, _coordinator, newcomer = _cohort(app, applications=True)

    burst = fire(app, login_as(app, newcomer.email), f"/apply/{code}")

    burst.assert_one_winner(won=302, lost=(409,))
    _one_enrolment_and_one_seat(app, cohort_id, newcomer.id)


def test_attendance_sent_five_times_at_once_is_recorded_once(app):
    slug, cohort_id, _code, session_id, coordinator, newcomer = _cohort(app)
    with app.app_context():
        enrolment = enrolments.enrol(
            db.session.get(Cohort, cohort_id), db.session.get(Person, newcomer.id)
        )
        db.session.commit()
        enrolment_id = enrolment.id
    url = f"/orgs/{slug}/sessions/{session_id}/attendance"

    burst = fire(app, login_as(app, coordinator.email), url, {f"mark-{enrolment_id}": "present"})

    burst.assert_same_answer(302)
    with app.app_context():
        assert _count(Attendance) == 1
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert (enrolment.sessions_present, enrolment.sessions_recorded) == (1, 1)


def test_a_practice_review_sent_five_times_at_once_completes_the_module_once(app):
    slug, cohort_id, _code, _session, coordinator, newcomer = _cohort(app)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        enrolment = enrolments.enrol(cohort, db.session.get(Person, newcomer.id))
        module = cohort.curriculum.current_modules[1]  # the one with a practice task
        submission = progress.submit_practice(enrolment, module, "見出し案です")
        db.session.commit()
        submission_id = submission.id
    url = f"/orgs/{slug}/reviews/{submission_id}"
    data = {"decision": "pass", "comment": "よくできました"}

    burst = fire(app, login_as(app, coordinator.email), url, data)

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert db.session.get(PracticeSubmission, submission_id).decision == "passed"
        assert _count(ModuleCompletion) == 1


def _enrolled(app):
    """A trainee enrolled in a fresh cohort: (org slug, enrolment id, the curriculum's modules'
    ids and first lessons' ids, coordinator, trainee)."""
    slug, cohort_id, _code, _session, coordinator, trainee = _cohort(app)
    with app.app_context():
        cohort = db.session.get(Cohort, cohort_id)
        enrolment = enrolments.enrol(cohort, db.session.get(Person, trainee.id))
        modules = [(m.id, m.lessons[0].id) for m in cohort.curriculum.current_modules]
        db.session.commit()
        return slug, enrolment.id, modules, coordinator, trainee


def test_a_lesson_marked_read_five_times_at_once_is_read_once(app):
    _slug, enrolment_id, modules, _coordinator, trainee = _enrolled(app)
    module_id, lesson_id = modules[0]
    url = f"/training/{enrolment_id}/modules/{module_id}/lessons/{lesson_id}/read"

    burst = fire(app, login_as(app, trainee.email), url)

    burst.assert_same_answer(302)
    with app.app_context():
        assert _count(LessonRead, LessonRead.enrolment_id == enrolment_id) == 1


def test_a_module_completed_five_times_at_once_is_completed_once(app):
    slug, enrolment_id, modules, coordinator, _trainee = _enrolled(app)
    url = f"/orgs/{slug}/trainees/{enrolment_id}/modules/{modules[0][0]}/complete"

    burst = fire(app, login_as(app, coordinator.email), url)

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert _count(ModuleCompletion, ModuleCompletion.enrolment_id == enrolment_id) == 1


def test_a_practice_try_sent_five_times_at_once_is_one_try(app):
    _slug, enrolment_id, modules, coordinator, trainee = _enrolled(app)
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        first = enrolment.cohort.curriculum.current_modules[0]
        progress.complete_module(enrolment, first, db.session.get(Person, coordinator.id))
        db.session.commit()
    url = f"/training/{enrolment_id}/modules/{modules[1][0]}/practice"

    burst = fire(app, login_as(app, trainee.email), url, {"text": "見出し案です"})

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert _count(PracticeSubmission, PracticeSubmission.enrolment_id == enrolment_id) == 1


def test_a_session_taken_off_five_times_at_once_is_taken_off_once_and_told_once(app):
    slug, _enrolment_id, _modules, coordinator, trainee = _enrolled(app)
    with app.app_context():
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.person_id == trainee.id))
        coming = cohorts.add_session(
            enrolment.cohort,
            cohorts.SessionInput(starts_at=from_jst(today_jst() + timedelta(days=7)), place="会館"),
        )
        session_id = coming.id
        db.session.commit()
    url = f"/orgs/{slug}/sessions/{session_id}/remove"

    burst = fire(app, login_as(app, coordinator.email), url)

    burst.assert_same_answer(302)
    with app.app_context():
        assert db.session.get(CohortSession, session_id) is None
        told = _count(
            Notification,
            Notification.person_id == trainee.id,
            Notification.kind == "session_cancelled",
        )
        assert told == 1


def test_a_recommendation_sent_five_times_at_once_recommends_once(app):
    slug, enrolment_id, _modules, coordinator, _trainee = _enrolled(app)
    with app.app_context():
        tf.graduate(db.session.get(Enrolment, enrolment_id), db.session.get(Person, coordinator.id))
        team = factories.make_team()
        db.session.commit()
        team_id = team.id
    url = f"/orgs/{slug}/trainees/{enrolment_id}/recommend"

    burst = fire(app, login_as(app, coordinator.email), url, {"team_id": team_id, "note": "丁寧"})

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert _count(Recommendation, Recommendation.enrolment_id == enrolment_id) == 1


def test_an_appointment_ended_five_times_at_once_ends_once(app):
    with app.app_context():
        made = tf.training_with_everything()
        operator = factories.make_person(is_operator=True)
        ending = db.session.scalar(
            sa.select(OrganisationMembership).where(
                OrganisationMembership.person_id == made.mentor.id
            )
        )
        url = f"/admin/organisations/{made.ids.organisation_id}/staff/{ending.id}/end"
        email = operator.email
        db.session.commit()

    burst = fire(app, login_as(app, email), url)

    burst.assert_same_answer(302)
    with app.app_context():
        ended = db.session.scalars(
            sa.select(OrganisationMembership.ended_at).where(
                OrganisationMembership.person_id == made.mentor.id
            )
        ).all()
        assert len(ended) == 1 and ended[0] is not None
