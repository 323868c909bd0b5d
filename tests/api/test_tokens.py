"""Personal access tokens: made in account settings, shown once, hashed at rest, revocable,
expiring, and the only way into the API."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from teamhub.auth.tokens import ApiToken, hash_secret
from teamhub.clock import utcnow
from teamhub.extensions import db
from tests.api.helpers import Api, api_as, make_token
from tests.conftest import login_as


def _secret_in(html: str) -> str:
    match = re.search(r'id="new-token" type="text" readonly value="(thp_[^"]+)"', html)
    assert match, "no new token on the page"
    return match.group(1)


def test_a_token_made_in_account_settings_is_shown_once_and_only_its_hash_is_kept(app, make_person):
    someone = make_person()
    client = login_as(app, someone.email)
    made = client.post(
        "/account/tokens", data={"name": "家計簿シート", "scope": "read", "expires_in_days": "90"}
    )
    assert made.status_code == 200
    secret = _secret_in(made.get_data(as_text=True))
    again = client.get("/account/tokens").get_data(as_text=True)
    assert "家計簿シート" in again and secret not in again
    with app.app_context():
        stored = db.session.scalars(sa.select(ApiToken)).one()
        assert stored.token_hash == hash_secret(secret) and secret not in stored.token_hash
        assert stored.scope == "read"
        assert timedelta(days=89) < stored.expires_at - utcnow() <= timedelta(days=90)
    me = Api(app, secret).get("/me")
    assert me.status_code == 200 and me.json["email"] == someone.email
    with app.app_context():
        assert db.session.scalars(sa.select(ApiToken)).one().last_used_at is not None


def test_a_token_lives_at_most_a_year(app, make_person):
    client = login_as(app, make_person().email)
    refused = client.post(
        "/account/tokens", data={"name": "x", "scope": "read", "expires_in_days": "400"}
    )
    assert refused.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_a_revoked_token_is_refused_at_once(app, make_person):
    someone = make_person()
    secret = make_token(app, someone.id)
    api = Api(app, secret)
    assert api.get("/me").status_code == 200
    client = login_as(app, someone.email)
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    refused = api.get("/me")
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_nobody_else_can_revoke_a_token(app, make_person):
    owner, other = make_person(), make_person()
    secret = make_token(app, owner.id)
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id))
    assert login_as(app, other.email).post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert Api(app, secret).get("/me").status_code == 200


def test_an_expired_token_is_refused(app, make_person):
    secret = make_token(app, make_person().id, days=30)
    api = Api(app, secret)
    with time_machine.travel(utcnow() + timedelta(days=29, hours=23), tick=False):
        assert api.get("/me").status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=30, minutes=1), tick=False):
        assert api.get("/me").status_code == 401


def test_unknown_or_missing_tokens_and_login_cookies_do_not_authenticate(app, make_person):
    someone = make_person()
    assert Api(app, "thp_not-a-real-token").get("/me").status_code == 401
    browser = login_as(app, someone.email)
    answer = browser.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json["type"] == "urn:teamhub:problem:unauthorized"


def test_a_read_token_cannot_write_and_needs_no_csrf_to_read(app, make_person):
    someone = make_person()
    reader = api_as(app, someone.id, scope="read")
    assert reader.get("/me").status_code == 200
    refused = reader.post("/inbox/read-all")
    assert refused.status_code == 403
    assert refused.json["status"] == 403
    app.config["WTF_CSRF_ENABLED"] = True
    writer = api_as(app, someone.id, scope="write")
    assert writer.post("/inbox/read-all").status_code == 200


def test_each_token_has_its_own_rate_limit(app, make_person):
    someone = make_person()
    first, second = api_as(app, someone.id), api_as(app, someone.id)
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [first.get("/me").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = first.get("/me")
        assert limited.mimetype == "application/problem+json"
        assert int(limited.headers["Retry-After"]) > 0
        assert second.get("/me").status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute;3000 per hour"


def test_problems_speak_the_requests_language_japanese_by_default(app, make_person):
    someone = make_person()
    secret = make_token(app, someone.id, scope="read")
    japanese = Api(app, secret).post("/inbox/read-all")
    english = Api(app, secret, language="en").post("/inbox/read-all")
    assert japanese.headers["Content-Language"] == "ja"
    assert english.headers["Content-Language"] == "en"
    assert english.json["detail"].startswith("This token may only read")
    assert japanese.json["detail"] != english.json["detail"]
