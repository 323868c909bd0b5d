"""Running a team through the API: invitations, roles, removal and dates away, with the pages'
rules and words."""

from __future__ import annotations

from tests.api.helpers import api_as
from tests.conftest import login_as


def test_a_director_invites_and_withdraws_an_invitation(app, team_with_roles, make_person):
    roles = team_with_roles
    base = f"/teams/{roles.team.slug}/invitations"
    director = api_as(app, roles.director.id)
    assert api_as(app, roles.editor.id).post(base, json={"role": "member"}).status_code == 403
    made = director.post(base, json={"role": "editor", "note": "山田さん"})
    assert made.status_code == 201, made.json
    link = made.json["url"]
    assert [i["id"] for i in director.get(base).json["items"]] == [made.json["id"]]
    assert "url" not in director.get(base).json["items"][0]  # the link is shown once
    kept = director.post(base, json={"role": "member"}).json
    revoked = director.post(f"{base}/{kept['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert [i["id"] for i in director.get(base).json["items"]] == [made.json["id"]]
    newcomer = make_person()
    joined = login_as(app, newcomer.email).post(link.split("localhost", 1)[1])
    assert joined.status_code == 302
    me = api_as(app, newcomer.id).get("/me").json
    assert [(m["team"]["slug"], m["role"]) for m in me["memberships"]] == [
        (roles.team.slug, "editor")
    ]
    assert director.get(base).json["items"] == []


def test_roles_change_but_a_team_keeps_a_director(app, team_with_roles):
    roles = team_with_roles
    members = f"/teams/{roles.team.slug}/members"
    director = api_as(app, roles.director.id, language="en")
    promoted = director.put(f"{members}/{roles.member_membership}/role", json={"role": "editor"})
    assert promoted.status_code == 200 and promoted.json["role"] == "editor"
    alone = director.put(f"{members}/{roles.director_membership}/role", json={"role": "member"})
    assert alone.status_code == 409
    assert alone.json["detail"] == (
        "A team always needs at least one director. Make someone else director first."
    )
    unknown = director.put(f"{members}/{roles.member_membership}/role", json={"role": "owner"})
    assert unknown.status_code == 422 and unknown.json["errors"][0]["field"] == "role"
    editor = api_as(app, roles.editor.id)
    refused = editor.put(f"{members}/{roles.member_membership}/role", json={"role": "member"})
    assert refused.status_code == 403


def test_a_removed_member_reaches_the_team_no_more(app, team_with_roles):
    roles = team_with_roles
    members = f"/teams/{roles.team.slug}/members"
    director = api_as(app, roles.director.id)
    member = api_as(app, roles.member.id)
    assert member.get(f"/teams/{roles.team.slug}").status_code == 200
    assert director.post(f"{members}/{roles.director_membership}/remove").status_code == 409
    assert director.post(f"{members}/{roles.member_membership}/remove").status_code == 204
    assert member.get(f"/teams/{roles.team.slug}").status_code == 404
    listed = director.get(members).json["items"]
    assert roles.member_membership not in [m["id"] for m in listed]


def test_a_member_keeps_their_own_dates_away(app, team_with_roles):
    roles = team_with_roles
    address = f"/teams/{roles.team.slug}/me/absences"
    member = api_as(app, roles.member.id, language="en")
    backwards = member.post(address, json={"starts_on": "2026-12-05", "ends_on": "2026-12-01"})
    assert backwards.status_code == 422
    assert backwards.json["errors"] == [
        {"field": "ends_on", "message": "The last day must be on or after the first day."}
    ]
    added = member.post(
        address, json={"starts_on": "2026-12-01", "ends_on": "2026-12-03", "note": "帰省"}
    )
    assert added.status_code == 201, added.json
    assert member.get(address).json["items"] == [added.json]
    page = login_as(app, roles.member.email).get(f"/teams/{roles.team.slug}/me")
    assert "帰省" in page.get_data(as_text=True)
    director = api_as(app, roles.director.id)
    assert director.delete(f"{address}/{added.json['id']}").status_code == 404
    assert member.delete(f"{address}/{added.json['id']}").status_code == 204
    assert member.get(address).json["items"] == []
