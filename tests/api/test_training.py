"""Training through the API as a coordinator, a mentor and a trainee use it in the browser:
cohorts, enrolments, attendance, practice reviews, progress and outcome figures, with the pages'
rules and words."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from tests import factories
from tests import training_factories as tf
from tests.api.helpers import api_as
from tests.conftest import login_as


@pytest.fixture
def org(app):
    with app.app_context():
        made = tf.training_with_everything()
        db.session.commit()
    return made


def test_a_coordinator_reads_cohorts_enrols_and_withdraws(app, org):
    coordinator = api_as(app, org.coordinator.id)
    base = f"/orgs/{org.ids.org_slug}"
    [listed] = coordinator.get(f"{base}/cohorts").json["items"]
    assert listed["id"] == org.ids.cohort_id and listed["seats_taken"] == 2
    cohort = coordinator.get(f"{base}/cohorts/{org.ids.cohort_id}").json
    assert cohort["modules"] == 3 and len(cohort["sessions"]) == 2
    with app.app_context():
        newcomer = factories.make_person()
        db.session.commit()
        email, name = newcomer.email, newcomer.display_name
    roster = f"{base}/cohorts/{org.ids.cohort_id}/enrolments"
    enrolled = coordinator.post(roster, json={"email": email})
    assert enrolled.status_code == 201, enrolled.json
    assert enrolled.json["name"] == name and enrolled.json["status"] == "active"
    again = coordinator.post(roster, json={"email": email})
    assert again.status_code == 409 and name in again.json["detail"]
    unknown = coordinator.post(roster, json={"email": "nobody@example.jp"})
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "email"
    first = coordinator.get(f"{roster}?limit=2").json
    rest = coordinator.get(first["next"].split("/api/v1", 1)[1]).json
    assert [e["name"] for e in first["items"] + rest["items"]][-1] == name
    assert rest["next"] is None
    withdrawn = coordinator.post(f"{base}/enrolments/{enrolled.json['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"
    assert coordinator.get(f"{base}/cohorts").json["items"][0]["seats_taken"] == 2


def test_a_mentor_takes_attendance_but_enrols_no_one(app, org):
    mentor = api_as(app, org.mentor.id)
    base = f"/orgs/{org.ids.org_slug}"
    address = f"{base}/sessions/{org.ids.session_id}/attendance"
    before = mentor.get(address).json["marks"]
    assert {m["enrolment_id"]: m["status"] for m in before}[org.ids.enrolment_id] == "present"
    marked = mentor.put(
        address, json={"marks": [{"enrolment_id": org.ids.enrolment_id, "status": "excused"}]}
    )
    assert marked.status_code == 200, marked.json
    assert {m["enrolment_id"]: m["status"] for m in marked.json["marks"]}[
        org.ids.enrolment_id
    ] == "excused"
    nobody = mentor.put(address, json={"marks": []})
    assert nobody.status_code == 422
    refused = mentor.post(
        f"{base}/cohorts/{org.ids.cohort_id}/enrolments", json={"email": "x@x.jp"}
    )
    assert refused.status_code == 403
    assert mentor.get(f"{base}/outcomes").status_code == 403


def test_practice_is_reviewed_and_the_trainee_sees_the_progress_staff_see(app, org):
    mentor = api_as(app, org.mentor.id, language="en")
    base = f"/orgs/{org.ids.org_slug}"
    [waiting] = mentor.get(f"{base}/reviews").json["items"]
    assert waiting["id"] == org.ids.submission_id and waiting["decision"] is None
    address = f"{base}/reviews/{org.ids.submission_id}"
    no_comment = mentor.post(address, json={"decision": "retry"})
    assert no_comment.status_code == 422
    assert no_comment.json["errors"] == [
        {"field": "comment", "message": "Tell the trainee what to change before the next try."}
    ]
    passed = mentor.post(address, json={"decision": "pass", "comment": "よくできました"})
    assert passed.status_code == 200 and passed.json["decision"] == "passed"
    assert mentor.post(address, json={"decision": "pass"}).status_code == 409
    assert mentor.get(f"{base}/reviews").json["items"] == []
    staff = mentor.get(f"{base}/enrolments/{org.ids.enrolment_id}/progress").json
    done = [m for m in staff["modules"] if m["module_id"] == org.ids.module_id]
    assert done[0]["completed_how"] == "practice" and staff["done"] == 1
    trainee = api_as(app, org.trainee.id)
    [mine] = trainee.get("/training").json["items"]
    assert mine["id"] == org.ids.enrolment_id and mine["certificate_code"] is None
    assert trainee.get(f"/training/{org.ids.enrolment_id}/progress").json == staff


def test_outcome_figures_are_the_reports(app, org):
    coordinator = api_as(app, org.coordinator.id)
    base = f"/orgs/{org.ids.org_slug}"
    report = coordinator.get(f"{base}/outcomes").json
    total = report["total"]
    assert (total["enrolled"]["value"], total["completed"]["value"]) == (2, 1)
    assert total["attendance_rate"] == {"value": 50, "people": 2, "small": True}
    assert report["minimum_people"] == 5
    [row] = report["cohorts"]
    assert row["cohort_id"] == org.ids.cohort_id and row["figures"] == total
    one = coordinator.get(f"{base}/cohorts/{org.ids.cohort_id}/outcomes").json
    assert one["cohorts"] == report["cohorts"]
    page = login_as(app, org.coordinator.email).get(f"{base}/outcomes").get_data(as_text=True)
    assert "50%" in page
