"""An account's steps sent five times at once (a double click on 登録する, two tabs): one account
is made for an email address; the other requests are told the address is taken, never a 500."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.extensions import db
from tests.concurrency.burst import fire, needs_postgresql
from tests.conftest import TEST_PASSWORD

pytestmark = needs_postgresql

SIGN_UP = {
    "email": "hanako@example.jp",
    "display_name": "山田 花子",
    "password": TEST_PASSWORD,
    "confirm": TEST_PASSWORD,
}


def test_a_sign_up_sent_five_times_at_once_makes_one_account(app):
    burst = fire(app, app.test_client(), "/signup", SIGN_UP)

    burst.assert_one_winner(won=302, lost=(422,))
    refused = [
        body for status, body in zip(burst.statuses, burst.bodies, strict=True) if status == 422
    ]
    assert refused and all("既に登録されています" in body for body in refused)
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count(Person.id)).where(Person.email == SIGN_UP["email"])
        )
    assert count == 1
