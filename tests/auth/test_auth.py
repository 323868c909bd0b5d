"""Sign-up, login, logout, passwords, language: what a person relies on."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub.auth.models import LoginSession, Person
from teamhub.auth.passwords import password_problem
from teamhub.extensions import db
from tests.conftest import TEST_PASSWORD, login_as

SIGNUP = {
    "email": "Hanako@Example.jp",
    "display_name": "奄美 花子",
    "password": "shima-uta-2026",
    "confirm": "shima-uta-2026",
}


def count_people(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Person.id)))


def test_signup_creates_the_account_and_logs_in(app, client):
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(sa.select(Person))
        assert person.email == "hanako@example.jp"
        assert person.display_name == "奄美 花子"
        assert person.password_hash != SIGNUP["password"]
    page = client.get("/").get_data(as_text=True)
    assert "奄美 花子" in page


def test_signup_goes_on_where_the_person_was_going_and_only_on_this_site(app):
    for n, (target, lands) in enumerate(
        [("/apply/abc", "/apply/abc"), ("https://evil.example/", "/"), ("//evil.example/", "/")]
    ):
        client = app.test_client()
        form = client.get("/signup", query_string={"next": target}).get_data(as_text=True)
        data = {**SIGNUP, "email": f"next{n}@example.jp"}
        response = client.post("/signup", query_string={"next": target}, data=data)
        assert response.status_code == 302 and response.location == lands, target
        if lands != "/":
            assert 'action="/signup?next=/apply/abc"' in form
            assert "/login?next=/apply/abc" in form  # "already have an account" keeps it too


def test_the_login_page_keeps_next_on_its_sign_up_link(client):
    page = client.get("/login", query_string={"next": "/apply/abc"}).get_data(as_text=True)
    assert 'href="/signup?next=/apply/abc"' in page
    assert 'href="/signup"' in client.get("/login").get_data(as_text=True)


def test_signup_refuses_taken_email_beside_the_field(app, client, make_person):
    make_person(email="hanako@example.jp")
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 422
    assert "既に" in response.get_data(as_text=True) or "already" in response.get_data(as_text=True)
    assert count_people(app) == 1


def test_signup_refuses_short_common_and_mismatched_passwords(app, client):
    for password, confirm in [
        ("short1", "short1"),
        ("password123", "password123"),
        ("abcdefgh1", "x"),
    ]:
        response = client.post("/signup", data={**SIGNUP, "password": password, "confirm": confirm})
        assert response.status_code == 422, password
        assert 'class="error"' in response.get_data(as_text=True)
    assert count_people(app) == 0


def test_password_policy(ctx):
    assert password_problem("1234567") is not None
    assert password_problem("12345678") is not None
    assert password_problem("iloveyou") is not None
    assert password_problem("aaaaaaaaaa") is not None
    assert password_problem("hanako.yamada", email="hanako.yamada@example.jp") is not None
    assert password_problem("kokuto-shochu-42") is None


def test_passwords_are_stored_with_a_slow_hash(app):
    from teamhub.auth.passwords import hash_password

    with app.test_request_context():
        app.config["PASSWORD_HASH_METHOD"] = "scrypt"
        try:
            assert hash_password("kokuto-shochu-42").startswith("scrypt:")
        finally:
            app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"


def test_login_with_wrong_password_says_so(client, make_person):
    person = make_person()
    response = client.post("/login", data={"email": person.email, "password": "wrong-password"})
    assert response.status_code == 422
    assert 'class="form-errors"' in response.get_data(as_text=True)


def test_login_accepts_email_in_any_case_and_redirects_to_next(client, make_person):
    make_person(email="taro@example.jp")
    response = client.post(
        "/login?next=/account", data={"email": "TARO@example.jp", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.location == "/account"


def test_login_never_redirects_off_site(client, make_person):
    person = make_person()
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": person.email, "password": TEST_PASSWORD},
        )
        assert response.location == "/", target
        client.post("/logout")


def test_login_attempts_are_rate_limited(client, make_person):
    person = make_person()
    statuses = [
        client.post("/login", data={"email": person.email, "password": "nope-nope"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    other = make_person()
    blocked = client.post("/login", data={"email": other.email, "password": TEST_PASSWORD})
    assert blocked.status_code == 429, "the limit is per address too, not only per email"


def test_logout_needs_post(client, make_person):
    person = make_person()
    client.post("/login", data={"email": person.email, "password": TEST_PASSWORD})
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_a_cookie_captured_before_logout_is_refused_after_it(app, make_person):
    person = make_person()
    client = login_as(app, person.email)
    stolen = client.get_cookie("session").value
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/account")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_login_starts_a_new_session(app, make_person):
    person = make_person()
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"email": person.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id")


def test_change_password_checks_the_current_one_and_ends_other_sessions(app, make_person):
    person = make_person()
    phone = login_as(app, person.email)
    laptop = login_as(app, person.email)
    wrong = laptop.post(
        "/account/password",
        data={
            "current_password": "not-it-at-all",
            "new_password": "new-pass-2026",
            "confirm": "new-pass-2026",
        },
    )
    assert wrong.status_code == 422
    ok = laptop.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "new-pass-2026",
            "confirm": "new-pass-2026",
        },
    )
    assert ok.status_code == 302
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302
    with app.app_context():
        open_sessions = db.session.scalar(
            sa.select(sa.func.count(LoginSession.id)).where(LoginSession.ended_at.is_(None))
        )
    assert open_sessions == 1
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"email": person.email, "password": "new-pass-2026"}).status_code
        == 302
    )


def test_logout_everywhere_ends_every_session(app, make_person):
    person = make_person()
    phone = login_as(app, person.email)
    laptop = login_as(app, person.email)
    laptop.post("/account/logout-everywhere")
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302


def test_language_switch_is_remembered_for_the_person(app, make_person):
    person = make_person()
    client = login_as(app, person.email)
    assert "ログアウト" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Log out" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person.id).locale == "en"
    other_device = login_as(app, person.email)
    assert "Log out" in other_device.get("/").get_data(as_text=True)


def test_anonymous_visitors_can_switch_language(client):
    assert "ログイン" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Log in" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "xx"})
    assert "ログイン" in client.get("/").get_data(as_text=True)


def test_signed_in_pages_need_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=/account")


def test_signup_reports_every_problem_of_the_form_at_once(app, client, make_person):
    """A short password, a mismatch and a taken address are all marked in one answer."""
    make_person(email="hanako@example.jp")
    data = {**SIGNUP, "password": "short1", "confirm": "short2"}
    response = client.post("/signup", data=data, headers={"Accept-Language": "ja"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-error"' in page and "8文字以上" in page
    assert 'id="confirm-error"' in page and "パスワードが一致しません" in page
    assert 'id="email-error"' in page and "既に" in page
    assert count_people(app) == 1


def test_changing_the_password_reports_a_short_one_and_a_mismatch_together(app, make_person):
    person = make_person()
    client = login_as(app, person.email)
    data = {"current_password": TEST_PASSWORD, "new_password": "short1", "confirm": "short2"}
    page = client.post("/account/password", data=data).get_data(as_text=True)
    assert 'id="new_password-error"' in page and 'id="confirm-error"' in page
