"""Security baseline: headers, cookies, CSRF on every form, no state change on GET, bad input."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub import create_app
from teamhub.extensions import db
from tests import factories
from tests.conftest import TEST_PASSWORD, csrf_token_from, login_as
from tests.routes import TeamIds, TrainingIds, build, personal_args


@pytest.fixture
def team_ids(app):
    with app.app_context():
        made = factories.team_with_everything()
        db.session.commit()
        return made


def _of_training(rule) -> bool:
    """An API operation naming an organisation's or a trainee's records (or, the operator's, an
    organisation by id)."""
    return rule.rule.startswith(("/api/v1/orgs/", "/api/v1/training/", "/api/v1/admin/"))


def all_rules(app, ids: TeamIds, token: str = "some-token"):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        args = {"token": token} if "token" in rule.arguments else {}
        if "slug" in rule.arguments:
            args = ids.args_for(rule)
        elif rule.endpoint == "admin.fee_schedule":
            args = {"code": "lancers"}
        elif rule.endpoint.startswith(("training.", "admin.")) or _of_training(rule):
            args = TrainingIds().args_for(rule)  # unknown ids; tests/test_training_* use real ones
        elif rule.arguments and "token" not in rule.arguments:
            args = personal_args(rule, ids)
        yield rule, build(app, rule, args)


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # over HTTPS only
    secure = client.get("/", base_url="https://localhost")
    max_age = secure.headers["Strict-Transport-Security"].split(";")[0].removeprefix("max-age=")
    assert int(max_age) >= 31536000


def test_pages_of_one_session_share_a_csrf_token_that_a_new_login_replaces(app, make_person):
    person = make_person()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    login = {"email": person.email, "password": TEST_PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    first = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert csrf_token_from(client.get("/").get_data(as_text=True)) == first
    changed = client.post("/language", data={"locale": "en", "csrf_token": first})
    assert changed.status_code == 302
    assert client.post("/logout", data={"csrf_token": first}).status_code == 302

    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={**login, "csrf_token": token}).status_code == 302
    second = csrf_token_from(client.get("/account").get_data(as_text=True))
    assert second != first
    refused = client.post("/language", data={"locale": "ja", "csrf_token": first})
    assert refused.status_code == 400
    assert client.post("/language", data={"locale": "ja", "csrf_token": second}).status_code == 302


def test_signed_in_pages_are_not_cached(app, make_person):
    assert "no-store" not in (app.test_client().get("/").headers.get("Cache-Control") or "")
    client = login_as(app, make_person().email)
    assert client.get("/account").headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(app, make_person):
    person = make_person()
    response = app.test_client().post(
        "/login", data={"email": person.email, "password": TEST_PASSWORD}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_config_sets_secure_cookies_and_refuses_plain_http(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TEAMHUB_PRODUCTION", "1")
    monkeypatch.setenv("TEAMHUB_SECRET_KEY", "x" * 32)
    prod = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"})
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["REMEMBER_COOKIE_SECURE"]
    assert prod.test_client().get("/").status_code == 302  # redirected to https


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMHUB_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("TEAMHUB_PRODUCTION", "1")
    monkeypatch.delenv("TEAMHUB_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"})


def test_every_post_route_refuses_a_missing_csrf_token(app, team_ids):
    roles, ids = team_ids
    client = login_as(app, roles.director.email)
    app.config["WTF_CSRF_ENABLED"] = True
    posts = 0
    for rule, url in all_rules(app, ids):
        # The API is authenticated by a token only, never a cookie: no CSRF (tests/api).
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            response = client.post(url, data={"role": "member", "locale": "en"})
            assert response.status_code == 400, url
            posts += 1
    assert posts >= 12


def test_forms_work_with_the_token_from_the_page(app, make_person):
    person = make_person()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login")
    assert page.status_code == 200, page.status_code
    token = csrf_token_from(page.get_data(as_text=True))
    response = client.post(
        "/login", data={"email": person.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def table_contents(app) -> dict:
    with app.app_context():
        return {t.name: db.session.execute(sa.select(t)).all() for t in db.metadata.sorted_tables}


def test_no_get_request_changes_anything(app, team_ids):
    roles, ids = team_ids
    before = table_contents(app)
    for email in (roles.director.email, roles.member.email):
        client = login_as(app, email)
        before = table_contents(app)
        for rule, url in all_rules(app, ids):
            if "GET" in rule.methods:
                with client.get(url) as response:
                    assert response.status_code < 500, url
        assert table_contents(app) == before


NASTY = [
    {},
    {"role": "owner", "locale": "xx"},
    {"email": "x" * 5000, "password": "\x00", "name": "<script>alert(1)</script>"},
    {"slug": "../../etc", "prefecture": "奄美県", "fee_rate": "NaN", "weekly_units": "1e9"},
    {"starts_on": "2026-02-30", "ends_on": "9999-99-99", "weekly_hours": "-0"},
    {
        "platform_accounts-0-platform": "lancers",
        "platform_accounts-99-handle": "x",
        "skills": "hacking",
    },
    {"fee_rate": "１０", "invoice_number": "Ｔ" * 300, "municipality": "\u202e"},
]


def test_bad_input_anywhere_never_causes_a_server_error(app, team_ids):
    roles, ids = team_ids
    for email in (roles.director.email, roles.member.email, None):
        client = login_as(app, email) if email else app.test_client()
        for rule, url in all_rules(app, ids):
            if "POST" not in rule.methods or rule.endpoint == "auth.logout":
                continue
            for data in NASTY:
                response = client.post(url, data=data)
                assert response.status_code < 500, (url, data, response.status_code)
            for query in ("?next=//evil", "?invite=%00", "?rows=-5", "?suggest=1&rows=x"):
                if "GET" in rule.methods:
                    with client.get(url + query) as response:
                        assert response.status_code < 500, url + query
