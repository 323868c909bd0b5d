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


def test_a_coordinator_reads_the_organisations_settings_and_others_cannot(app, org):
    address = f"/orgs/{org.ids.org_slug}/settings"
    read = api_as(app, org.coordinator.id).get(address)
    assert read.status_code == 200, read.json
    assert read.json["slug"] == org.ids.org_slug and read.json["target_monthly_yen"] > 0
    assert api_as(app, org.mentor.id).get(address).status_code == 403
    assert api_as(app, org.trainee.id).get(address).status_code == 404


def test_the_operator_lists_and_creates_organisations_a_page_at_a_time(app, org, operator):
    made = operator.post("/admin/organisations", json=SETTINGS)
    assert made.status_code == 201, made.json
    assert {k: made.json[k] for k in SETTINGS} == SETTINGS
    taken = operator.post("/admin/organisations", json={**SETTINGS, "name": "別の団体"})
    assert taken.status_code == 422 and taken.json["errors"][0]["field"] == "slug"
    first = operator.get("/admin/organisations?limit=1")
    assert first.status_code == 200 and len(first.json["items"]) == 1
    second = operator.get(first.json["next"].split("/api/v1", 1)[1])
    slugs = [o["slug"] for o in first.json["items"] + second.json["items"]]
    assert slugs == [org.ids.org_slug, "amami-shigoto"] and second.json["next"] is None
    coordinator = api_as(app, org.coordinator.id)
    assert coordinator.get("/admin/organisations").status_code == 403
    assert (
        coordinator.post("/admin/organisations", json={**SETTINGS, "slug": "x-org"}).status_code
        == 403
    )


def test_the_operator_reads_an_organisations_staff_and_ends_an_appointment(app, org, operator):
    address = f"/admin/organisations/{org.ids.organisation_id}"
    read = operator.get(address)
    assert read.status_code == 200, read.json
    staff = {s["person_id"]: s for s in read.json["staff"]}
    assert staff[org.coordinator.id]["role"] == "coordinator"
    assert staff[org.mentor.id]["role"] == "mentor"
    mentor = api_as(app, org.mentor.id)
    assert mentor.get(f"/orgs/{org.ids.org_slug}/cohorts").status_code == 200
    ending = f"{address}/staff/{staff[org.mentor.id]['id']}/end"
    assert operator.post(ending).status_code == 204
    assert org.mentor.id not in {s["person_id"] for s in operator.get(address).json["staff"]}
    assert mentor.get(f"/orgs/{org.ids.org_slug}/cohorts").status_code == 404
    assert operator.post(ending).status_code == 204  # already ended: nothing more changes
    coordinator = api_as(app, org.coordinator.id)
    assert coordinator.get(address).status_code == 403
    assert (
        coordinator.post(f"{address}/staff/{staff[org.coordinator.id]['id']}/end").status_code
        == 403
    )
    assert operator.get("/admin/organisations/2147483647").status_code == 404
