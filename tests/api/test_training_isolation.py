"""The API's training isolation matrix: an organisation's coordinators and mentors reach none
of another organisation's records (through its address or their own), trainees only their own
enrolments, directors and trainees no organisation's operations, and nobody but the instance
operator the operator's; nothing changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.training.models import Enrolment
from tests import training_factories as tf
from tests.api.helpers import api_as
from tests.api.test_isolation import AREAS, api_operations
from tests.routes import TrainingIds
from tests.training.test_isolation import snapshot as every_row

ORG_AREA, TRAINEE_AREA, OPERATOR_AREA = AREAS[1], AREAS[2], AREAS[3]
COHORT = {
    "name": "第9期",
    "capacity": 20,
    "enrol_opens_on": "2026-12-01",
    "enrol_closes_on": "2026-12-20",
}


def _bodies(ids: TrainingIds, email: str) -> dict:
    """A body each operation's schema accepts, enough to change something if it were allowed."""
    return {
        "enrol_trainee": {"email": email},
        "record_attendance": {"marks": [{"enrolment_id": ids.enrolment_id, "status": "absent"}]},
        "decide_practice_review": {"decision": "pass"},
        "submit_my_practice": {"text": "答えです"},
        "open_cohort": {**COHORT, "curriculum_id": ids.curriculum_id},
        "edit_cohort": COHORT,
        "set_application_link": {"open": True, "new_link": True},
        "recommend_graduate": {"team_id": 1},
        "create_curriculum": {"title": "講座"},
        "edit_curriculum": {"title": "講座"},
        "add_module": {"title": "単元"},
        "edit_module": {"title": "単元"},
        "move_module": {"direction": "up"},
        "add_lesson": {"title": "課"},
        "edit_lesson": {"title": "課"},
        "set_target_income": {"target_monthly_yen": 250_000},
        "edit_organisation": {
            "name": "奪った団体",
            "slug": "taken-org",
            "kind": "npo",
            "prefecture": "鹿児島県",
            "municipality": "奄美市",
        },
        "create_organisation": {
            "name": "新しい団体",
            "slug": "new-org",
            "kind": "npo",
            "prefecture": "鹿児島県",
            "municipality": "奄美市",
        },
        "appoint_staff": {"email": email, "role": "coordinator"},
        "add_session": {"starts_on": "2027-01-15", "starts_time": "10:00", "place": "公民館"},
    }


def snapshot(app) -> dict:
    """Every row but the tokens' (a request records when its token was last used)."""
    rows = every_row(app)
    rows.pop("api_token")
    return rows


@pytest.fixture
def two_orgs(app):
    with app.app_context():
        made = {name: tf.training_with_everything() for name in ("a", "b")}
        db.session.commit()
    return made


def _address(rule, ids: TrainingIds, **overrides) -> str:
    values = {**ids.__dict__, **overrides}
    path = rule.rule.removeprefix("/api/v1")
    for name in rule.arguments:
        path = path.replace(f"<{name}>", str(values[name]))
        path = path.replace(f"<int(max=2147483647):{name}>", str(values[name]))
    return path


def _try_all(api, operations, addresses, bodies) -> int:
    tried = 0
    for endpoint, method, path in addresses(operations):
        answer = api.open(method, path, json=bodies.get(endpoint) if method != "GET" else None)
        assert answer.status_code in (403, 404), f"{method} {path} → {answer.status_code}"
        assert answer.mimetype == "application/problem+json"
        tried += 1
    return tried


@pytest.fixture
def unlimited(app):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    yield
    app.config["API_RATE_LIMIT"] = "120 per minute;3000 per hour"


def test_staff_of_one_organisation_reach_nothing_of_another(app, two_orgs, unlimited):
    a, b = two_orgs["a"], two_orgs["b"]
    operations = list(api_operations(app, ORG_AREA))
    assert len(operations) >= 11, "the matrix must see the API's organisation operations"
    bodies = _bodies(b.ids, a.trainee.email)

    def addresses(ops):
        for rule, endpoint, method in ops:
            yield endpoint, method, _address(rule, b.ids)
            if set(rule.arguments) - {"org_slug"}:  # B's records through A's address
                yield endpoint, method, _address(rule, b.ids, org_slug=a.ids.org_slug)

    apis = {who: api_as(app, getattr(a, who).id) for who in ("coordinator", "mentor")}
    before = snapshot(app)
    tried = sum(_try_all(api, operations, addresses, bodies) for api in apis.values())
    assert snapshot(app) == before
    assert tried >= 2 * len(operations)


def test_trainees_and_directors_have_no_way_into_an_organisations_operations(
    app, two_orgs, unlimited
):
    a = two_orgs["a"]
    operations = list(api_operations(app, ORG_AREA))
    bodies = _bodies(a.ids, a.graduate.email)

    def addresses(ops):
        for rule, endpoint, method in ops:
            yield endpoint, method, _address(rule, a.ids)

    before = snapshot(app)
    for who in ("trainee", "graduate", "director"):
        assert _try_all(api_as(app, getattr(a, who).id), operations, addresses, bodies)
    assert snapshot(app) == before


def test_trainees_reach_only_their_own_enrolments(app, two_orgs, unlimited):
    a, b = two_orgs["a"], two_orgs["b"]
    with app.app_context():
        classmate = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == a.graduate.id)
        )
    operations = list(api_operations(app, TRAINEE_AREA))
    assert operations, "the matrix must see the trainees' operations"

    def addresses(ops):
        for rule, endpoint, method in ops:
            for enrolment_id in (b.ids.enrolment_id, classmate):
                yield endpoint, method, _address(rule, a.ids, enrolment_id=enrolment_id)

    before = snapshot(app)
    for who in ("trainee", "coordinator"):
        api = api_as(app, getattr(a, who).id)
        assert _try_all(api, operations, addresses, _bodies(a.ids, a.trainee.email))
    assert snapshot(app) == before
    own = api_as(app, a.trainee.id).get(f"/training/{a.ids.enrolment_id}/progress")
    assert own.status_code == 200


def test_nobody_but_the_operator_reaches_the_operators_operations(app, two_orgs, unlimited):
    a, b = two_orgs["a"], two_orgs["b"]
    operations = list(api_operations(app, OPERATOR_AREA))
    assert len(operations) >= 2, "the matrix must see the operator's operations"

    def addresses(ops):
        for rule, endpoint, method in ops:
            for ids in (a.ids, b.ids):  # their own organisation and another
                yield endpoint, method, _address(rule, ids)

    before = snapshot(app)
    for who in ("coordinator", "mentor", "trainee", "director"):
        api = api_as(app, getattr(a, who).id)
        assert _try_all(api, operations, addresses, _bodies(a.ids, getattr(a, who).email))
    assert snapshot(app) == before
