"""Team pages through the test client, as directors, editors, members and strangers use them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from teamhub.extensions import db
from teamhub.teams.models import Absence, Invitation, Membership, Team
from tests.conftest import login_as

TEAM_FORM = {
    "name": "奄美ライターズ",
    "slug": "amami-writers",
    "prefecture": "鹿児島県",
    "municipality": "奄美市",
    "payer_type": "corporation",
    "fee_rate": "10",
    "invoice_number": "Ｔ１２３４５６７８９０１２３",
    "description": "",
    "platform_accounts-0-platform": "lancers",
    "platform_accounts-0-handle": "amami-writers",
    "platform_accounts-1-platform": "",
    "platform_accounts-1-handle": "",
}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_signed_in_person_creates_a_team_and_directs_it(app, make_person):
    person = make_person()
    client = login_as(app, person.email)
    response = client.post("/teams/new", data=TEAM_FORM)
    assert response.status_code == 302
    assert response.location == "/teams/amami-writers"
    with app.app_context():
        team = db.session.scalar(sa.select(Team))
        assert team.invoice_number == "T1234567890123"
        assert team.fee_rate_bp == 1000
        assert [a.handle for a in team.platform_accounts] == ["amami-writers"]
        membership = db.session.scalar(sa.select(Membership))
        assert (membership.person_id, membership.role) == (person.id, "director")
    assert client.get("/teams/amami-writers/settings").status_code == 200


def test_bad_team_form_shows_errors_beside_fields_and_writes_nothing(app, make_person):
    client = login_as(app, make_person().email)
    bad = {**TEAM_FORM, "slug": "Amami Writers!", "invoice_number": "T12", "fee_rate": "60"}
    response = client.post("/teams/new", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('class="error"') >= 3
    assert 'id="slug-error"' in page and 'id="invoice_number-error"' in page
    assert count(app, Team) == 0 and count(app, Membership) == 0


def test_platform_account_without_handle_is_refused(app, make_person):
    client = login_as(app, make_person().email)
    response = client.post("/teams/new", data={**TEAM_FORM, "platform_accounts-0-handle": ""})
    assert response.status_code == 422
    assert count(app, Team) == 0


def test_director_edits_settings(app, team_with_roles):
    t = team_with_roles
    client = login_as(app, t.director.email)
    page = client.get(f"/teams/{t.team.slug}/settings").get_data(as_text=True)
    assert 'value="10"' in page
    form = {**TEAM_FORM, "slug": t.team.slug, "name": "新しい名前", "fee_rate": "12.5"}
    response = client.post(f"/teams/{t.team.slug}/settings", data=form)
    assert response.status_code == 302
    with app.app_context():
        team = db.session.get(Team, t.team.id)
        assert (team.name, team.fee_rate_bp) == ("新しい名前", 1250)


def test_members_and_editors_cannot_change_settings(app, team_with_roles):
    t = team_with_roles
    for email in (t.member.email, t.editor.email):
        client = login_as(app, email)
        assert client.get(f"/teams/{t.team.slug}/settings").status_code == 403
        response = client.post(
            f"/teams/{t.team.slug}/settings", data={**TEAM_FORM, "slug": t.team.slug}
        )
        assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Team, t.team.id).name != TEAM_FORM["name"]


def test_invitation_link_is_shown_once_and_lets_a_newcomer_join(app, team_with_roles):
    t = team_with_roles
    director = login_as(app, t.director.email)
    response = director.post(
        f"/teams/{t.team.slug}/invitations", data={"role": "member", "note": "美咲さん"}
    )
    assert response.status_code == 302
    page = director.get(f"/teams/{t.team.slug}/invitations").get_data(as_text=True)
    link = re.search(r'value="http://localhost(/invite/[^"]+)"', page).group(1)
    assert "美咲さん" in page
    again = director.get(f"/teams/{t.team.slug}/invitations").get_data(as_text=True)
    assert link not in again

    newcomer = app.test_client()
    landing = newcomer.get(link)
    assert landing.status_code == 200
    assert newcomer.get(f"{link}/signup").status_code == 200
    signup = newcomer.post(
        f"{link}/signup",
        data={
            "email": "misaki@example.jp",
            "display_name": "元 美咲",
            "password": "kokuto-2026",
            "confirm": "kokuto-2026",
        },
    )
    assert signup.status_code == 302
    assert signup.location == f"/teams/{t.team.slug}"
    roster = director.get(f"/teams/{t.team.slug}/members").get_data(as_text=True)
    assert "元 美咲" in roster
    assert app.test_client().get(link).status_code == 409


def test_an_existing_person_accepts_an_invitation_with_a_post(app, team_with_roles, make_person):
    t = team_with_roles
    with app.app_context():
        from teamhub.auth.models import Person
        from teamhub.teams.services import invite

        _inv, token = invite(db.session.get(Team, t.team.id), db.session.get(Person, t.director.id))
        db.session.commit()
    person = make_person()
    client = login_as(app, person.email)
    assert client.get(f"/invite/{token}").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(Invitation.accepted_at)) is None
    assert client.post(f"/invite/{token}").status_code == 302
    assert client.get(f"/teams/{t.team.slug}").status_code == 200


def test_expired_or_unknown_invitation_links_explain_what_to_do(client):
    response = client.get("/invite/not-a-real-token")
    assert response.status_code == 404
    assert "ディレクター" in response.get_data(as_text=True) or "director" in response.get_data(
        as_text=True
    )
    assert client.get("/invite/not-a-real-token/signup").status_code == 404


def _invite(app, roles, **change) -> str:
    with app.app_context():
        from teamhub.auth.models import Person
        from teamhub.teams.services import invite

        invitation, token = invite(
            db.session.get(Team, roles.team.id), db.session.get(Person, roles.director.id)
        )
        for name, value in change.items():
            setattr(invitation, name, value)
        db.session.commit()
    return token


def _card(page: str) -> str:
    return re.search(r'<section class="card[^"]*".*?</section>', page, re.S).group(0)


@pytest.mark.parametrize(
    ("change", "heading", "advice"),
    [
        ({"revoked_at": datetime(2026, 1, 1, tzinfo=UTC)}, "was withdrawn", "ask them"),
        ({"expires_at": datetime(2026, 1, 1, tzinfo=UTC)}, "has expired", "expired 2026/01/01"),
        ({"accepted_at": datetime(2026, 1, 1, tzinfo=UTC)}, "has been used", "log in"),
    ],
)
def test_an_unusable_invitation_says_what_happened_and_what_to_do(
    app, team_with_roles, make_person, change, heading, advice
):
    token = _invite(app, team_with_roles, **change)
    for client in (app.test_client(), login_as(app, make_person(locale="en").email)):
        client.post("/language", data={"locale": "en", "next": "/"})
        response = client.get(f"/invite/{token}")
        card = _card(response.get_data(as_text=True))
        assert response.status_code == 409
        assert heading in card and advice in card, card
        assert '"status"' not in card and "409" not in card and "Already changed" not in card
    assert client.post(f"/invite/{token}").status_code == 409  # nobody joins through it


def test_reopening_your_own_used_invitation_takes_you_to_the_team(app, team_with_roles):
    token = _invite(app, team_with_roles)
    newcomer = app.test_client()
    data = {"email": "misaki@example.jp", "display_name": "元 美咲"} | {
        "password": "kokuto-2026",
        "confirm": "kokuto-2026",
    }
    assert newcomer.post(f"/invite/{token}/signup", data=data).status_code == 302
    for url in (f"/invite/{token}", f"/invite/{token}/signup"):
        again = newcomer.get(url)
        assert again.status_code == 302 and again.location == f"/teams/{team_with_roles.team.slug}"
    page = newcomer.get(f"/teams/{team_with_roles.team.slug}").get_data(as_text=True)
    with app.test_request_context(), force_locale("ja"):
        team_name = db.session.get(Team, team_with_roles.team.id).name
        told = _("You are already a member of %(team)s.", team=team_name)
    assert told in page and told != f"You are already a member of {team_name}."
    # Logged out, the used link offers to log in and then goes to the team.
    newcomer.post("/logout")
    login = re.search(
        r'href="(/login\?next=[^"]+)"', newcomer.get(f"/invite/{token}").get_data(as_text=True)
    )
    back = newcomer.post(
        login.group(1), data={"email": "misaki@example.jp", "password": "kokuto-2026"}
    )
    assert newcomer.get(back.location).location == f"/teams/{team_with_roles.team.slug}"


def test_director_revokes_a_pending_invitation(app, team_with_roles):
    t = team_with_roles
    director = login_as(app, t.director.email)
    director.post(f"/teams/{t.team.slug}/invitations", data={"role": "member"})
    with app.app_context():
        invitation_id = db.session.scalar(sa.select(Invitation.id))
    response = director.post(f"/teams/{t.team.slug}/invitations/{invitation_id}/revoke")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).revoked_at is not None


def test_director_changes_roles_and_removes_members(app, team_with_roles):
    t = team_with_roles
    director = login_as(app, t.director.email)
    url = f"/teams/{t.team.slug}/members/{t.member_membership}"
    assert director.post(f"{url}/role", data={"role": "editor"}).status_code == 302
    assert director.post(f"{url}/remove").status_code == 302
    with app.app_context():
        membership = db.session.get(Membership, t.member_membership)
        assert membership.role == "editor" and membership.removed_at is not None
    member_client = login_as(app, t.member.email)
    assert member_client.get(f"/teams/{t.team.slug}").status_code == 404


def test_the_last_director_is_kept_with_a_clear_message(app, team_with_roles):
    t = team_with_roles
    director = login_as(app, t.director.email)
    url = f"/teams/{t.team.slug}/members/{t.director_membership}"
    response = director.post(f"{url}/role", data={"role": "member"})
    assert response.status_code == 409
    assert 'role="alert"' in response.get_data(as_text=True)
    assert director.post(f"{url}/remove").status_code == 409
    with app.app_context():
        membership = db.session.get(Membership, t.director_membership)
        assert membership.role == "director" and membership.removed_at is None


def test_editors_see_the_roster_but_cannot_change_roles(app, team_with_roles):
    t = team_with_roles
    editor = login_as(app, t.editor.email)
    assert editor.get(f"/teams/{t.team.slug}/members").status_code == 200
    response = editor.post(
        f"/teams/{t.team.slug}/members/{t.member_membership}/role", data={"role": "director"}
    )
    assert response.status_code == 403
    assert login_as(app, t.member.email).get(f"/teams/{t.team.slug}/members").status_code == 403


def test_member_declares_availability_and_the_director_sees_it(app, team_with_roles):
    t = team_with_roles
    member = login_as(app, t.member.email)
    response = member.post(
        f"/teams/{t.team.slug}/me",
        data={"weekly_units": "６", "weekly_hours": "12", "availability_note": "午前のみ"},
    )
    assert response.status_code == 302
    response = member.post(
        f"/teams/{t.team.slug}/me/absences",
        data={"starts_on": "2026-12-01", "ends_on": "2026-12-04", "note": "子どもの通院"},
    )
    assert response.status_code == 302
    roster = (
        login_as(app, t.director.email).get(f"/teams/{t.team.slug}/members").get_data(as_text=True)
    )
    row = roster.split(f'id="member-{t.member_membership}"')[1].split("</tr>")[0]
    assert ">6<" in row and ">12<" in row and "午前のみ" in row and "2026/12/01" in row


def test_bad_availability_and_absence_input_is_refused(app, team_with_roles):
    t = team_with_roles
    member = login_as(app, t.member.email)
    bad = member.post(
        f"/teams/{t.team.slug}/me", data={"weekly_units": "many", "weekly_hours": "500"}
    )
    assert bad.status_code == 422
    backwards = member.post(
        f"/teams/{t.team.slug}/me/absences",
        data={"starts_on": "2026-12-04", "ends_on": "2026-12-01"},
    )
    assert backwards.status_code == 422
    assert 'id="ends_on-error"' in backwards.get_data(as_text=True)
    garbage = member.post(
        f"/teams/{t.team.slug}/me/absences", data={"starts_on": "昨日", "ends_on": ""}
    )
    assert garbage.status_code == 422
    assert count(app, Absence) == 0


def test_public_profile_never_shows_real_names(app, team_with_roles):
    t = team_with_roles
    member = login_as(app, t.member.email)
    member.post(
        f"/teams/{t.team.slug}/me/profile",
        data={
            "show_on_profile": "y",
            "public_handle": "amami_pen",
            "skills": ["seo", "web-writing"],
        },
    )
    page = app.test_client().get(f"/t/{t.team.slug}").get_data(as_text=True)
    assert "amami_pen" in page
    assert "SEO" in page
    with app.app_context():
        from teamhub.auth.models import Person

        names = db.session.scalars(sa.select(Person.display_name)).all()
    for name in names:
        assert name not in page
    assert app.test_client().get("/t/no-such-team").status_code == 404


def test_a_member_signed_in_before_removal_is_refused_on_the_next_page(app, team_with_roles):
    t = team_with_roles
    member = login_as(app, t.member.email)
    assert member.get(f"/teams/{t.team.slug}/my-assignments").status_code == 200
    director = login_as(app, t.director.email)
    assert (
        director.post(f"/teams/{t.team.slug}/members/{t.member_membership}/remove").status_code
        == 302
    )
    assert member.get(f"/teams/{t.team.slug}/my-assignments").status_code == 404
    assert member.get("/teams/no-such-team/my-assignments").status_code == 404


def _team_nav(page: str) -> str:
    return re.search(r'<nav class="team-nav".*?</nav>', page, re.S).group(0)


def test_the_team_navigation_follows_the_role_the_name_and_the_language(app, team_with_roles):
    """The navigation follows the person's role, the team's current name and the language
    they chose."""
    roles = team_with_roles
    url = f"/teams/{roles.team.slug}/my-assignments"
    member, director = login_as(app, roles.member.email), login_as(app, roles.director.email)
    member_nav = _team_nav(member.get(url).get_data(as_text=True))
    director_nav = _team_nav(director.get(url).get_data(as_text=True))
    assert f"/teams/{roles.team.slug}/settings" not in member_nav
    assert f"/teams/{roles.team.slug}/settings" in director_nav
    assert "自分の担当" in member_nav and "My assignments" not in member_nav
    with app.app_context():
        db.session.get(Team, roles.team.id).name = "奄美ライターズ2"
        db.session.commit()
    assert "奄美ライターズ2" in _team_nav(member.get(url).get_data(as_text=True))
    member.post("/language", data={"locale": "en", "next": "/"})
    english = _team_nav(member.get(url).get_data(as_text=True))
    assert "My assignments" in english and "奄美ライターズ2" in english
    assert f"/teams/{roles.team.slug}/settings" not in english


def test_the_directors_menu_leads_to_recommended_graduates(app, team_with_roles):
    roles = team_with_roles
    url = f"/teams/{roles.team.slug}/my-assignments"
    graduates = f"/teams/{roles.team.slug}/graduates"
    director = login_as(app, roles.director.email)
    assert graduates in _team_nav(director.get(url).get_data(as_text=True))
    assert director.get(graduates).status_code == 200
    editor_nav = _team_nav(login_as(app, roles.editor.email).get(url).get_data(as_text=True))
    assert graduates not in editor_nav


def test_directors_are_asked_for_their_own_weekly_availability_as_members_are(app, team_with_roles):
    """The split counts the director too, so they are asked what they can take on, in words
    meant for them (not "tell the director")."""
    t = team_with_roles
    director = login_as(app, t.director.email).get(f"/teams/{t.team.slug}").get_data(as_text=True)
    member = login_as(app, t.member.email).get(f"/teams/{t.team.slug}").get_data(as_text=True)
    availability = f'href="/teams/{t.team.slug}/me"'
    steps = re.search(r"<h2>次にすること</h2>.*?</ul>", director, re.S)[0]
    assert availability in steps and "分担案" in steps and "ディレクターに伝える" not in steps
    assert 'class="badge warn">未登録<' in steps  # not told yet
    assert availability in member and "ディレクターに伝える" in member
