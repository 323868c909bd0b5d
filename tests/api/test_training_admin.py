"""A coordinator's changes to cohorts and trainees through the API, as on their pages: a cohort
opened and edited, a module marked completed by hand, a graduate recommended to a team."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.training.models import Enrolment
from tests import factories
from tests import training_factories as tf
from tests.api.helpers import api_as


@pytest.fixture
def org(app):
    with app.app_context():
        made = tf.training_with_everything()
        db.session.commit()
    return made


COHORT = {
    "name": "第9期",
    "capacity": 2,
    "enrol_opens_on": "2026-12-01",
    "enrol_closes_on": "2026-12-20",
}


def test_a_coordinator_opens_and_edits_a_cohort(app, org):
    coordinator = api_as(app, org.coordinator.id, language="en")
    base = f"/orgs/{org.ids.org_slug}/cohorts"
    opened = coordinator.post(base, json={**COHORT, "curriculum_id": org.ids.curriculum_id})
    assert opened.status_code == 201, opened.json
    assert opened.json["name"] == "第9期" and opened.json["seats_left"] == 2
    assert opened.json["curriculum_id"] == org.ids.curriculum_id
    backwards = {**COHORT, "enrol_closes_on": "2026-11-30"}
    refused = coordinator.put(f"{base}/{opened.json['id']}", json=backwards)
    assert refused.status_code == 422
    assert refused.json["errors"] == [
        {"field": "enrol_closes_on", "message": "The last day must be on or after the first day."}
    ]
    edited = coordinator.put(f"{base}/{opened.json['id']}", json={**COHORT, "capacity": 30})
    assert edited.status_code == 200 and edited.json["capacity"] == 30
    too_few = coordinator.put(f"{base}/{org.ids.cohort_id}", json={**COHORT, "capacity": 1})
    assert too_few.status_code == 422 and too_few.json["errors"][0]["field"] == "capacity"
    mentor = api_as(app, org.mentor.id)
    assert mentor.put(f"{base}/{opened.json['id']}", json=COHORT).status_code == 403


def test_a_coordinator_completes_a_module_without_practice_by_hand(app, org):
    coordinator = api_as(app, org.coordinator.id)
    trainee = f"/orgs/{org.ids.org_slug}/enrolments/{org.ids.enrolment_id}"
    modules = coordinator.get(f"{trainee}/progress").json["modules"]
    first = modules[0]["module_id"]
    done = coordinator.post(f"{trainee}/modules/{first}/complete")
    assert done.status_code == 200, done.json
    assert done.json["modules"][0]["completed_how"] == "manual" and done.json["done"] == 1
    assert coordinator.post(f"{trainee}/modules/{first}/complete").status_code == 409
    with_practice = coordinator.post(f"{trainee}/modules/{org.ids.module_id}/complete")
    assert with_practice.status_code == 409


def test_a_coordinator_recommends_a_graduate_to_a_team_once(app, org):
    with app.app_context():
        graduate = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == org.graduate.id)
        )
        other = factories.team_with_roles().team
        db.session.commit()
    coordinator = api_as(app, org.coordinator.id)
    base = f"/orgs/{org.ids.org_slug}/enrolments"
    made = coordinator.post(
        f"{base}/{graduate}/recommendations", json={"team_id": other.id, "note": "丁寧です"}
    )
    assert made.status_code == 201, made.json
    assert made.json["team_id"] == other.id and made.json["note"] == "丁寧です"
    again = coordinator.post(f"{base}/{graduate}/recommendations", json={"team_id": other.id})
    assert again.status_code == 409
    not_done = coordinator.post(
        f"{base}/{org.ids.enrolment_id}/recommendations", json={"team_id": other.id}
    )
    assert not_done.status_code == 409


def test_a_coordinator_opens_closes_and_renews_a_cohorts_application_link(app, org):
    coordinator = api_as(app, org.coordinator.id)
    link = f"/orgs/{org.ids.org_slug}/cohorts/{org.ids.cohort_id}/application-link"
    opened = coordinator.put(link, json={"open": True})
    assert opened.status_code == 200, opened.json
    assert opened.json["open"] is True and "/apply/" in opened.json["url"]
    cohort = coordinator.get(f"/orgs/{org.ids.org_slug}/cohorts/{org.ids.cohort_id}")
    assert cohort.json["applications_open"] is True
    renewed = coordinator.put(link, json={"open": True, "new_link": True})
    assert renewed.json["url"] != opened.json["url"]
    old = app.test_client().get(opened.json["url"].removeprefix("http://localhost"))
    assert old.status_code == 404  # the old link no longer leads to the cohort
    closed = coordinator.put(link, json={"open": False})
    assert closed.json == {"open": False, "url": renewed.json["url"]}
    assert api_as(app, org.mentor.id).put(link, json={"open": True}).status_code == 403
