"""The home page: what the signed-in person does comes first."""

from __future__ import annotations

import re

from teamhub.extensions import db
from teamhub.jobs.splitting import SplitLine, save_split
from teamhub.teams.models import Membership
from teamhub.training import enrolments
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as

NO_TEAM = "まだどのチームにも参加していません"


def _sections(page: str) -> list[str]:
    """The ids of the home page's sections, in the order a reader meets them."""
    main = page.split('<main class="page">', 1)[1]
    return re.findall(r'<section[^>]* id="([\w-]+)"', main)


def test_a_coordinator_home_opens_with_their_organisation_and_its_cohorts(app):
    with app.app_context():
        org = tf.make_organisation(name="足利しごと応援ネット")
        coordinator = tf.appoint(org)
        tf.make_cohort(org, tf.make_curriculum(org), name="2026年春 第2期")
        db.session.commit()
        email = coordinator.email
    page = login_as(app, email).get("/").get_data(as_text=True)
    assert _sections(page) == ["my-organisations"]
    organisations = page.split('id="my-organisations"', 1)[1]
    assert "足利しごと応援ネット" in organisations and "2026年春 第2期" in organisations
    assert "成果" in organisations
    assert NO_TEAM not in page  # a coordinator is not told they belong to no team


def test_a_trainee_home_opens_with_their_training_before_any_team(app):
    with app.app_context():
        org = tf.make_organisation()
        coordinator = tf.appoint(org)
        cohort = tf.make_cohort(org, tf.make_curriculum(org), name="第3期")
        trainee = factories.make_person()
        enrolments.enrol(cohort, trainee, by=coordinator)
        factories.add_member(factories.make_team(), trainee)
        db.session.commit()
        email = trainee.email
    page = login_as(app, email).get("/").get_data(as_text=True)
    assert _sections(page) == ["my-training", "my-teams"]
    assert "第3期" in page.split('id="my-training"', 1)[1] and NO_TEAM not in page


def test_a_member_home_opens_with_their_work_and_what_needs_them(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(factories.Team, roles.team.id)
        job = factories.make_job(team, source="direct")
        director = db.session.get(Membership, roles.director_membership)
        factories.give_capacity(db.session.get(Membership, roles.member_membership))
        line = SplitLine(membership_id=roles.member_membership, units=4, due_at=job.due_at)
        save_split(job, director, [line], 0, 0)
        db.session.commit()
    page = login_as(app, roles.member.email).get("/").get_data(as_text=True)
    assert _sections(page) == ["my-teams"]
    teams = page.split('id="my-teams"', 1)[1]
    assert f'href="/teams/{roles.team.slug}/my-assignments"' in teams
    assert "1件" in teams and NO_TEAM not in page


def test_a_person_with_nothing_yet_is_told_how_to_start(app):
    with app.app_context():
        email = factories.make_person().email
        db.session.commit()
    page = login_as(app, email).get("/").get_data(as_text=True)
    assert _sections(page) == [] and NO_TEAM in page
