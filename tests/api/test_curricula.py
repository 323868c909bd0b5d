"""Writing training through the API as a coordinator does on the pages: a curriculum of modules
and lessons, edited, reordered and removed, and a cohort's schedule of sessions."""

from __future__ import annotations

from datetime import UTC, datetime

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


def test_a_coordinator_writes_a_curriculum_of_modules_and_lessons(app, org):
    coordinator = api_as(app, org.coordinator.id, language="en")
    base = f"/orgs/{org.ids.org_slug}"
    made = coordinator.post(f"{base}/curricula", json={"title": "動画編集入門"})
    assert made.status_code == 201, made.json
    curriculum = f"{base}/curricula/{made.json['id']}"
    renamed = coordinator.put(curriculum, json={"title": "動画編集", "description": "二か月"})
    assert renamed.json["title"] == "動画編集" and renamed.json["modules"] == []
    first = coordinator.post(f"{curriculum}/modules", json={"title": "カット", "skills": ["seo"]})
    assert first.status_code == 201 and first.json["position"] == 1, first.json
    second = coordinator.post(f"{curriculum}/modules", json={"title": "テロップ"}).json
    moved = coordinator.post(f"{base}/modules/{second['id']}/move", json={"direction": "up"})
    assert moved.json["position"] == 1
    edited = coordinator.put(
        f"{base}/modules/{second['id']}", json={"title": "テロップ", "practice_task": "作って"}
    )
    assert edited.json["version"] == 2 and edited.json["practice_task"] == "作って"
    untitled = coordinator.post(f"{base}/modules/{second['id']}/lessons", json={"title": " "})
    assert untitled.status_code == 422 and untitled.json["errors"][0]["field"] == "title"
    lesson = coordinator.post(
        f"{base}/modules/{second['id']}/lessons", json={"title": "基本", "body": "# 基本"}
    )
    assert lesson.status_code == 201 and lesson.json["position"] == 1
    changed = coordinator.put(f"{base}/lessons/{lesson.json['id']}", json={"title": "応用"})
    assert changed.json["title"] == "応用" and changed.json["body"] == ""
    assert coordinator.delete(f"{base}/lessons/{lesson.json['id']}").status_code == 204
    removed = coordinator.delete(f"{base}/modules/{first.json['id']}")
    assert removed.json == {"outcome": "deleted"}
    left = coordinator.put(curriculum, json={"title": "動画編集"}).json["modules"]
    assert [(m["title"], m["position"], m["lessons"]) for m in left] == [("テロップ", 1, [])]


def test_staff_read_the_curricula_and_coordinators_one_with_its_modules_and_lessons(app, org):
    coordinator = api_as(app, org.coordinator.id)
    base = f"/orgs/{org.ids.org_slug}/curricula"
    newer = coordinator.post(base, json={"title": "新しい講座"}).json
    listed = api_as(app, org.mentor.id).get(f"{base}?limit=1")
    assert listed.status_code == 200, listed.json
    assert [c["title"] for c in listed.json["items"]] == ["新しい講座"]
    assert listed.json["items"][0]["modules"] == 0
    rest = api_as(app, org.mentor.id).get(listed.json["next"].split("/api/v1", 1)[1])
    assert [c["id"] for c in rest.json["items"]] == [org.ids.curriculum_id]
    assert rest.json["items"][0]["modules"] >= 1
    one = coordinator.get(f"{base}/{org.ids.curriculum_id}")
    assert one.status_code == 200 and one.json["id"] == org.ids.curriculum_id
    lessons = [each["id"] for m in one.json["modules"] for each in m["lessons"]]
    assert org.ids.module_id in [m["id"] for m in one.json["modules"]]
    assert org.ids.lesson_id in lessons
    assert coordinator.get(f"{base}/{newer['id']}").json["modules"] == []
    assert api_as(app, org.mentor.id).get(f"{base}/{newer['id']}").status_code == 403


def test_a_module_someone_worked_on_is_retired_not_deleted(app, org):
    coordinator = api_as(app, org.coordinator.id)
    module = f"/orgs/{org.ids.org_slug}/modules/{org.ids.module_id}"
    assert coordinator.delete(module).json == {"outcome": "retired"}
    assert coordinator.put(module, json={"title": "変更"}).status_code == 409
    mentor = api_as(app, org.mentor.id)
    assert mentor.post(f"{module}/lessons", json={"title": "追加"}).status_code == 403


def test_a_coordinator_schedules_sessions_and_keeps_those_attended(app, org):
    coordinator = api_as(app, org.coordinator.id, language="en")
    base = f"/orgs/{org.ids.org_slug}"
    schedule = f"{base}/cohorts/{org.ids.cohort_id}/sessions"
    session = {"starts_on": "2027-01-15", "starts_time": "10:00", "topic": "講評"}
    nowhere = coordinator.post(schedule, json=session)
    assert nowhere.status_code == 422
    assert nowhere.json["errors"] == [
        {"field": "place", "message": "Enter the place, the online link, or both."}
    ]
    added = coordinator.post(schedule, json={**session, "online_url": "https://meet.example/x"})
    assert added.status_code == 201, added.json
    starts = datetime.fromisoformat(added.json["starts_at"])
    assert starts == datetime(2027, 1, 15, 1, 0, tzinfo=UTC)  # 10:00 in Japan
    assert added.json["duration_minutes"] == 90
    assert coordinator.delete(f"{base}/sessions/{added.json['id']}").status_code == 204
    attended = coordinator.delete(f"{base}/sessions/{org.ids.session_id}")
    assert attended.status_code == 409
    sessions = coordinator.get(f"{base}/cohorts/{org.ids.cohort_id}").json["sessions"]
    assert [s["id"] for s in sessions].count(org.ids.session_id) == 1 and len(sessions) == 2
