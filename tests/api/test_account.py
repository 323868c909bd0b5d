"""The person's own settings through the API, as on their account and email settings pages:
the language teamhub speaks to them in, and which notices also come by email."""

from __future__ import annotations

import pytest

from teamhub.auth.models import Person
from teamhub.extensions import db
from teamhub.notifications.queries import email_choices
from tests import factories
from tests.api.helpers import api_as


@pytest.fixture
def crew(app):
    with app.app_context():
        roles, _ids = factories.team_with_everything()
        loner = factories.make_person()
        db.session.commit()
        return roles, loner.id


def _choices(app, person_id: int) -> dict[str, bool]:
    with app.app_context():
        return email_choices(db.session.get(Person, person_id))


def test_a_person_chooses_the_language_teamhub_speaks_to_them_in(app, crew):
    roles, _loner = crew
    member = api_as(app, roles.member.id, language="en")
    chosen = member.put("/me/language", json={"locale": "en"})
    assert chosen.status_code == 200, chosen.json
    assert chosen.json["locale"] == "en" and chosen.json["id"] == roles.member.id
    with app.app_context():
        assert db.session.get(Person, roles.member.id).locale == "en"
    refused = member.put("/me/language", json={"locale": "fr"})
    assert refused.status_code == 422 and refused.json["errors"][0]["field"] == "locale"
    reader = api_as(app, roles.member.id, scope="read")
    assert reader.put("/me/language", json={"locale": "ja"}).status_code == 403
    with app.app_context():
        assert db.session.get(Person, roles.member.id).locale == "en"


def test_a_person_chooses_which_notices_also_come_by_email(app, crew):
    roles, _loner = crew
    member = api_as(app, roles.member.id, language="en")
    listed = member.get("/me/email-choices")
    assert listed.status_code == 200
    kinds = [item["kind"] for item in listed.json["items"]]
    assert "assignment_offered" in kinds and all(item["email"] for item in listed.json["items"])
    assert all(item["label"] for item in listed.json["items"])
    kept = [kind for kind in kinds if kind != "assignment_offered"]
    saved = member.put("/me/email-choices", json={"email": kept})
    assert saved.status_code == 200, saved.json
    assert {i["kind"]: i["email"] for i in saved.json["items"]} == {
        kind: kind != "assignment_offered" for kind in kinds
    }
    assert _choices(app, roles.member.id) == {kind: kind != "assignment_offered" for kind in kinds}
    assert member.get("/me/email-choices").json == saved.json


def test_a_kind_of_notice_the_persons_roles_do_not_bring_is_refused_and_nothing_changes(app, crew):
    roles, loner = crew
    member = api_as(app, roles.member.id, language="en")
    before = _choices(app, roles.member.id)
    refused = member.put("/me/email-choices", json={"email": ["no_such_kind"]})
    assert refused.status_code == 422
    assert refused.json["errors"][0]["field"] == "email"
    assert "no_such_kind" in refused.json["errors"][0]["message"]
    assert _choices(app, roles.member.id) == before
    nobody = api_as(app, loner)
    assert nobody.get("/me/email-choices").json == {"items": []}
    assert nobody.put("/me/email-choices", json={"email": []}).status_code == 200
