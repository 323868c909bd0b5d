"""A trainee's own work through the API, as on their module page: lessons marked read and
practice work handed in, with the pages' rules and words."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from tests import training_factories as tf
from tests.api.helpers import api_as


@pytest.fixture
def org(app):
    with app.app_context():
        made = tf.training_with_everything()
        db.session.commit()
    return made


def _module(progress: dict, module_id: int) -> dict:
    return next(m for m in progress["modules"] if m["module_id"] == module_id)


def test_a_trainee_reads_lessons_once_each(app, org):
    trainee = api_as(app, org.trainee.id)
    module = f"/training/{org.ids.enrolment_id}/modules/{org.ids.module_id}"
    read = trainee.post(f"{module}/lessons/{org.ids.lesson_id}/read")
    assert read.status_code == 200, read.json
    assert _module(read.json, org.ids.module_id)["lessons_read"] == 1
    again = trainee.post(f"{module}/lessons/{org.ids.lesson_id}/read")
    assert _module(again.json, org.ids.module_id)["lessons_read"] == 1
    progress = trainee.get(f"/training/{org.ids.enrolment_id}/progress").json
    assert progress == again.json


def test_a_trainee_hands_in_practice_work_one_try_at_a_time(app, org):
    trainee = api_as(app, org.trainee.id, language="en")
    mine = f"/training/{org.ids.enrolment_id}"
    waiting = trainee.post(f"{mine}/modules/{org.ids.module_id}/practice", json={"text": "二回目"})
    assert waiting.status_code == 409
    assert waiting.json["detail"].startswith("Your last try is waiting for review.")
    last = trainee.get(f"{mine}/progress").json["modules"][-1]["module_id"]
    empty = trainee.post(f"{mine}/modules/{last}/practice", json={"text": "  "})
    assert empty.status_code == 422
    assert empty.json["errors"] == [
        {"field": "text", "message": "Write your answer or paste a link to it."}
    ]
    sent = trainee.post(f"{mine}/modules/{last}/practice", json={"text": "提案文です"})
    assert sent.status_code == 201, sent.json
    assert sent.json["number"] == 1 and sent.json["decision"] is None
    coordinator = api_as(app, org.coordinator.id)
    reviews = coordinator.get(f"/orgs/{org.ids.org_slug}/reviews").json["items"]
    assert sent.json["id"] in [r["id"] for r in reviews]
