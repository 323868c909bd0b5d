"""The training isolation matrix: coordinators see only their organisation, trainees only their
own records, directors only graduates recommended to them. Plus CSRF, safe GETs and bad input
on every training route, with real ids.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.training.models import Enrolment
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as
from tests.routes import TrainingIds, build, methods, training_rules


@pytest.fixture
def two_orgs(app):
    """Organisations A and B, each with staff, a curriculum, a cohort, trainees and a graduate."""
    with app.app_context():
        made = {name: tf.training_with_everything() for name in ("a", "b")}
        db.session.commit()
    return made


def org_rules(app):
    return [r for r in training_rules(app) if r.rule.startswith("/orgs/<org_slug>")]


def trainee_rules(app):
    return [r for r in training_rules(app) if r.rule.startswith("/training/<id:enrolment_id>")]


def admin_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin/")]


def snapshot(app) -> dict:
    """Every row of every table: a refused request must leave all of it untouched."""
    with app.app_context():
        return {
            t.name: db.session.execute(sa.select(t)).all()
            for t in db.metadata.sorted_tables
            if t.name != "login_session"
        }


def hopeful_data(ids: TrainingIds) -> dict:
    """What a request would send if it were allowed: enough to change something."""
    return {
        "direction": "up",
        "title": "乗っ取り",
        "name": "乗っ取り",
        "email": "x@example.jp",
        "decision": "pass",
        "comment": "ok",
        "text": "答え",
        "open": "y",
        "new_link": "y",
        "team_id": "1",
        "target_monthly_yen": "1",
        f"mark-{ids.enrolment_id}": "absent",
        "capacity": "99",
        "enrol_opens_on": "2026-01-01",
        "enrol_closes_on": "2026-12-31",
        "starts_on": "2026-01-01",
        "starts_time": "10:00",
        "duration_minutes": "60",
        "place": "x",
    }


def test_the_matrix_sees_every_training_route(app):
    assert len(org_rules(app)) >= 30
    assert len(trainee_rules(app)) >= 5
    assert len(admin_rules(app)) >= 4
    assert "admin.health" in {r.endpoint for r in admin_rules(app)}  # the operator's health page


def test_coordinators_and_mentors_of_a_are_refused_on_every_route_of_b(app, two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    clients = {who: login_as(app, getattr(a, who).email) for who in ("coordinator", "mentor")}
    before = snapshot(app)
    tried = 0
    for who, client in clients.items():
        for rule in org_rules(app):
            url = build(app, rule, b.ids.args_for(rule))
            for method in methods(rule):
                response = client.open(url, method=method, data=hopeful_data(b.ids))
                assert response.status_code in (403, 404), (who, method, url, response.status_code)
                tried += 1
    assert snapshot(app) == before
    assert tried >= 2 * len(org_rules(app))


def test_b_records_are_404_through_a_organisation_urls(app, two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    client = login_as(app, a.coordinator.email)
    before = snapshot(app)
    for rule in org_rules(app):
        if set(rule.arguments) == {"org_slug"}:
            continue
        url = build(app, rule, {**b.ids.args_for(rule), "org_slug": a.ids.org_slug})
        for method in methods(rule):
            response = client.open(url, method=method, data=hopeful_data(b.ids))
            assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(app) == before


def test_trainees_reach_only_their_own_records(app, two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    with app.app_context():
        graduate_a = db.session.scalar(
            sa.select(Enrolment.id).where(Enrolment.person_id == a.graduate.id)
        )
    classmate = TrainingIds(**{**a.ids.__dict__, "enrolment_id": graduate_a})
    client = login_as(app, a.trainee.email)
    before = snapshot(app)
    for rule in trainee_rules(app):
        for ids in (b.ids, classmate):
            url = build(app, rule, ids.args_for(rule))
            for method in methods(rule):
                response = client.open(url, method=method, data=hopeful_data(ids))
                assert response.status_code == 404, (method, url, response.status_code)
        if set(rule.arguments) > {"enrolment_id"}:
            mixed = {**b.ids.args_for(rule), "enrolment_id": a.ids.enrolment_id}
            url = build(app, rule, mixed)
            for method in methods(rule):
                assert client.open(url, method=method).status_code == 404, (method, url)
    assert snapshot(app) == before


def test_trainees_and_directors_have_no_way_into_organisation_pages(app, two_orgs):
    a = two_orgs["a"]
    clients = {
        who: login_as(app, getattr(a, who).email) for who in ("trainee", "graduate", "director")
    }
    before = snapshot(app)
    for who, client in clients.items():
        for rule in org_rules(app):
            url = build(app, rule, a.ids.args_for(rule))
            for method in methods(rule):
                response = client.open(url, method=method, data=hopeful_data(a.ids))
                assert response.status_code == 404, (who, method, url, response.status_code)
    assert snapshot(app) == before


def test_only_the_operator_reaches_the_operator_area(app, two_orgs):
    a = two_orgs["a"]
    clients = {
        who: login_as(app, getattr(a, who).email)
        for who in ("coordinator", "mentor", "trainee", "director")
    }
    before = snapshot(app)
    for who, client in clients.items():
        for rule in admin_rules(app):
            url = build(app, rule, a.ids.args_for(rule))
            for method in methods(rule):
                data = {"name": "x", "slug": "taken-over", "email": a.trainee.email}
                assert client.open(url, method=method, data=data).status_code == 403, (who, url)
    assert snapshot(app) == before


def test_directors_see_only_graduates_recommended_to_their_team(app, two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    with app.app_context():
        names = {
            key: db.session.get(factories.Person, two_orgs[key].graduate.id).display_name
            for key in ("a", "b")
        }
        roles = factories.team_with_roles()
        db.session.commit()
    page = login_as(app, a.director.email).get(f"/teams/{a.team.slug}/graduates")
    html = page.get_data(as_text=True)
    assert names["a"] in html and names["b"] not in html
    assert login_as(app, b.director.email).get(f"/teams/{a.team.slug}/graduates").status_code == 404
    for who in ("editor", "member"):
        client = login_as(app, getattr(roles, who).email)
        assert client.get(f"/teams/{roles.team.slug}/graduates").status_code == 403


def test_strangers_and_visitors_are_refused_but_certificates_stay_public(
    app, two_orgs, make_person
):
    b = two_orgs["b"]
    stranger = login_as(app, make_person().email)
    visitor = app.test_client()
    before = snapshot(app)
    public = {"training.certificate", "training.apply"}
    for rule in training_rules(app):
        url = build(app, rule, b.ids.args_for(rule))
        for method in methods(rule):
            if rule.endpoint in public:
                continue
            assert stranger.open(url, method=method).status_code in (403, 404), url
            answer = visitor.open(url, method=method)
            assert answer.status_code in (302, 401), url
            if answer.status_code == 302:
                assert answer.location.startswith("/login")
    assert visitor.get(f"/certificates/{b.ids.certificate_code}").status_code == 200
    assert visitor.get(f"/apply/{b.ids.application_code}").status_code == 200
    assert snapshot(app) == before


# Security baseline, with real training ids ---------------------------------------------------


def every_training_url(app, ids: TrainingIds):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("training.") and "slug" not in rule.arguments:
            yield rule, build(app, rule, ids.args_for(rule))


def test_every_training_post_refuses_a_missing_csrf_token(app, two_orgs):
    a = two_orgs["a"]
    operator = login_as(app, factories_operator(app))
    clients = [login_as(app, a.coordinator.email), login_as(app, a.trainee.email), operator]
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot(app)
    posts = 0
    for rule, url in every_training_url(app, a.ids):
        if "POST" in rule.methods:
            for client in clients:
                response = client.post(url, data=hopeful_data(a.ids))
                assert response.status_code == 400, url
            posts += 1
    assert posts >= 20
    assert snapshot(app) == before


def factories_operator(app) -> str:
    with app.app_context():
        person = factories.make_person(is_operator=True)
        db.session.commit()
        return person.email


def test_no_training_get_changes_anything(app, two_orgs):
    a = two_orgs["a"]
    clients = [
        login_as(app, getattr(a, who).email)
        for who in ("coordinator", "mentor", "trainee", "graduate", "director")
    ]
    clients.append(app.test_client())
    before = snapshot(app)
    for client in clients:
        for rule, url in every_training_url(app, a.ids):
            if "GET" in rule.methods:
                with client.get(url) as response:
                    assert response.status_code < 500, url
    assert snapshot(app) == before


NASTY = [
    {},
    {"direction": "sideways", "decision": "maybe", "team_id": "-1", "mark-1": "late"},
    {"title": "x" * 5000, "body": "<script>alert(1)</script>" * 3000, "name": "\x00"},
    {"capacity": "1e9", "enrol_opens_on": "2026-02-30", "enrol_closes_on": "9999-99-99"},
    {
        "starts_on": "yesterday",
        "starts_time": "25:61",
        "duration_minutes": "-5",
        "online_url": "javascript:alert(1)",
    },
    {"email": "x" * 300, "target_monthly_yen": "NaN", "skills": "hacking", "open": "maybe"},
    {"mark-99999999999999999999": "present", "mark-": "absent", "text": "\u202e" * 10},
    {"link_url": "data:text/html,x", "text": "", "comment": "y" * 6000, "team_id": "9" * 40},
    {"target_monthly_yen": "１" * 30, "capacity": "５０１", "slug": "../../etc", "kind": "x"},
]


def test_bad_input_on_every_training_route_never_causes_a_server_error(app, two_orgs):
    a = two_orgs["a"]
    people = [a.coordinator.email, a.mentor.email, a.trainee.email, factories_operator(app)]
    for email in people:
        client = login_as(app, email)
        for rule, url in every_training_url(app, a.ids):
            if "POST" in rule.methods:
                for data in NASTY:
                    response = client.post(url, data=data)
                    assert response.status_code < 500, (email, url, data, response.status_code)
            if "GET" in rule.methods:
                for query in ("?curriculum=abc", "?curriculum=99999999999", "?next=//evil"):
                    with client.get(url + query) as response:
                        assert response.status_code < 500, url + query
