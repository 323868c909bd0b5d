"""An account's steps sent five times at once (a double click, two tabs): one account is made for
an email address, the others told the address is taken; a profile's skills are held once each.
Never a 500."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.extensions import db
from teamhub.skills import PersonSkill, set_declared_skills
from tests import factories
from tests.concurrency.burst import fire, needs_postgresql
from tests.conftest import TEST_PASSWORD, login_as

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


def test_a_profile_saved_five_times_at_once_keeps_each_skill_once(app):
    """Adding skills and taking one off, five times at once: each skill held once, none lost."""
    with app.app_context():
        roles = factories.team_with_roles()
        member = db.session.get(Person, roles.member.id)
        set_declared_skills(member, ["proofreading"])
        db.session.commit()
        slug, email, person_id = roles.team.slug, roles.member.email, member.id
    sent = {"public_handle": "hana", "skills": ["web-writing", "translation"]}

    burst = fire(app, login_as(app, email), f"/teams/{slug}/me/profile", sent)

    burst.assert_same_answer(302)
    with app.app_context():
        held = db.session.scalars(
            sa.select(PersonSkill.skill).where(
                PersonSkill.person_id == person_id, PersonSkill.source == "declared"
            )
        ).all()
    assert sorted(held) == ["translation", "web-writing"]
