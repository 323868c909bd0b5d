"""An organisation's settings through the API: its coordinators set the earnings target, as on
its settings page; the instance operator changes its name and address and appoints its
coordinators and mentors, as on the operator's pages."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from tests import factories
from tests import training_factories as tf
from tests.api.helpers import api_as

SETTINGS = {
    "name": "奄美しごとネット",
    "slug": "amami-shigoto",
    "kind": "city_hall",
    "prefecture": "鹿児島県",
    "municipality": "奄美市",
}


@pytest.fixture
def org(app):
    with app.app_context():
        made = tf.training_with_everything()
        db.session.commit()
    return made


@pytest.fixture
def operator(app):
    with app.app_context():
        made = factories.make_person(is_operator=True)
        db.session.commit()
        operator_id = made.id
    return api_as(app, operator_id, language="en")


def test_a_coordinator_sets_the_earnings_target(app, org):
    coordinator = api_as(app, org.coordinator.id, language="en")
    target = f"/orgs/{org.ids.org_slug}/target"
    saved = coordinator.put(target, json={"target_monthly_yen": 250_000})
    assert saved.status_code == 200, saved.json
    assert saved.json["target_monthly_yen"] == 250_000 and saved.json["slug"] == org.ids.org_slug
    refused = coordinator.put(target, json={"target_monthly_yen": 0})
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "target_monthly_yen"
    mentor = api_as(app, org.mentor.id)
    assert mentor.put(target, json={"target_monthly_yen": 1}).status_code == 403


def test_the_operator_edits_an_organisation_and_appoints_its_staff(app, org, operator):
    address = f"/admin/organisations/{org.ids.organisation_id}"
    edited = operator.put(address, json=SETTINGS)
    assert edited.status_code == 200, edited.json
    assert {k: edited.json[k] for k in SETTINGS} == SETTINGS
    bad = operator.put(address, json={**SETTINGS, "slug": "No Spaces"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "slug"
    appointed = operator.post(
        f"{address}/appointments", json={"email": org.graduate.email, "role": "mentor"}
    )
    assert appointed.status_code == 201, appointed.json
    assert appointed.json["person_id"] == org.graduate.id and appointed.json["role"] == "mentor"
    assert api_as(app, org.graduate.id).get("/orgs/amami-shigoto/cohorts").status_code == 200
    again = operator.post(
        f"{address}/appointments", json={"email": org.graduate.email, "role": "mentor"}
    )
    assert again.status_code == 409
    nobody = operator.post(f"{address}/appointments", json={"email": "nobody@example.jp"})
    assert nobody.status_code == 422 and nobody.json["errors"][0]["field"] == "email"
    coordinator = api_as(app, org.coordinator.id)
    assert coordinator.put(address, json=SETTINGS).status_code == 403
