"""A team's settings and public page, a member's own entry on it, and the files handed in with
work, through the API as on the pages."""

from __future__ import annotations

import pytest

from teamhub.extensions import db
from tests import factories
from tests.api.helpers import api_as
from tests.conftest import login_as

SETTINGS = {
    "name": "島の書き手",
    "slug": "shima-writers",
    "prefecture": "鹿児島県",
    "municipality": "奄美市",
    "fee_rate": "12.5",
    "description": "奄美の在宅ワーカーです。",
    "platform_accounts": [{"platform": "lancers", "handle": "shima"}],
}


@pytest.fixture
def team(app):
    with app.app_context():
        made = factories.team_with_everything()
        db.session.commit()
    return made


def test_a_director_changes_the_settings_and_the_public_page(app, team):
    roles, ids = team
    director = api_as(app, roles.director.id, language="en")
    before = director.get(f"/teams/{ids.slug}/settings").json
    assert before["slug"] == ids.slug and before["fee_rate_bp"] == 1000
    wrong = director.put(f"/teams/{ids.slug}/settings", json={**SETTINGS, "fee_rate": "60"})
    assert wrong.status_code == 422
    assert wrong.json["errors"] == [
        {"field": "fee_rate", "message": "Enter a percentage from 0 to 50, for example 10 or 12.5."}
    ]
    saved = director.put(f"/teams/{ids.slug}/settings", json=SETTINGS)
    assert saved.status_code == 200, saved.json
    assert saved.json["fee_rate_bp"] == 1250 and saved.json["slug"] == "shima-writers"
    assert saved.json["platform_accounts"] == SETTINGS["platform_accounts"]
    assert director.get("/teams/shima-writers").json["name"] == "島の書き手"
    public = app.test_client().get("/t/shima-writers")
    assert "奄美の在宅ワーカーです。" in public.get_data(as_text=True)
    member = api_as(app, roles.member.id)
    assert member.put("/teams/shima-writers/settings", json=SETTINGS).status_code == 403
    assert member.get("/teams/shima-writers/settings").status_code == 403


def test_a_member_chooses_how_the_public_page_shows_them(app, team):
    roles, ids = team
    member = api_as(app, roles.member.id, language="en")
    profile = f"/teams/{ids.slug}/me/profile"
    nameless = member.put(profile, json={"show_on_profile": True})
    assert nameless.status_code == 422
    assert nameless.json["errors"][0]["field"] == "public_handle"
    shown = member.put(
        profile, json={"show_on_profile": True, "public_handle": "kai", "skills": ["seo"]}
    )
    assert shown.status_code == 200, shown.json
    assert shown.json == {"show_on_profile": True, "public_handle": "kai", "skills": ["seo"]}
    assert "kai" in app.test_client().get(f"/t/{ids.slug}").get_data(as_text=True)


def test_a_file_handed_in_is_downloaded_by_those_who_see_the_work(app, team):
    roles, ids = team
    address = f"/teams/{ids.slug}/assignments/{ids.assignment_id}"
    director = api_as(app, roles.director.id)
    [handed_in] = director.get(address).json["submissions"]
    assert handed_in["id"] == ids.submission_id and handed_in["original_name"] == "draft.txt"
    url = f"{address}/submissions/{ids.submission_id}/file"
    with director.get(url) as file, login_as(app, roles.director.email).get(url) as page:
        assert file.status_code == 200 and "attachment" in file.headers["Content-Disposition"]
        assert file.data == page.data == "下書き".encode()
    with api_as(app, roles.editor.id).get(url) as editor:
        assert editor.status_code == 200
    with app.app_context():
        outsider = factories.make_person().id
        db.session.commit()
    assert api_as(app, outsider).get(url).status_code == 404


def test_anyone_founds_a_team_and_becomes_its_only_director(app, team):
    roles, ids = team
    with app.app_context():
        founder = factories.make_person()
        db.session.commit()
        founder_id = founder.id
    api = api_as(app, founder_id, language="en")
    taken = api.post("/teams", json={**SETTINGS, "slug": ids.slug})
    assert taken.status_code == 422 and taken.json["errors"][0]["field"] == "slug"
    made = api.post("/teams", json=SETTINGS)
    assert made.status_code == 201, made.json
    assert made.json["slug"] == "shima-writers" and made.json["fee_rate_bp"] == 1250
    mine = api.get("/me").json["memberships"]
    assert [(m["team"]["slug"], m["role"]) for m in mine] == [("shima-writers", "director")]
    members = api.get("/teams/shima-writers/members").json["items"]
    assert [m["role"] for m in members] == ["director"]
    assert api.get(f"/teams/{ids.slug}/settings").status_code == 404
    reader = api_as(app, roles.member.id, scope="read")
    assert reader.post("/teams", json={**SETTINGS, "slug": "read-only"}).status_code == 403
