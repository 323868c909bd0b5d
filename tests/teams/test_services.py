"""Team rules without HTTP: settings, invitations, roles, availability."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from teamhub import money
from teamhub.clock import utcnow
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.teams import queries, rules, services
from teamhub.teams.models import Invitation, Membership
from tests.factories import add_member, make_person, make_team


def settings(**overrides) -> services.TeamSettings:
    fields = {
        "name": "奄美ライターズ",
        "slug": "amami-writers",
        "prefecture": "鹿児島県",
        "municipality": "奄美市",
    }
    fields.update(overrides)
    return services.TeamSettings(**fields)


def test_founder_becomes_the_first_director(ctx):
    founder = make_person()
    team = services.create_team(founder, settings(platform_accounts=(("lancers", "amami"),)))
    access = queries.team_access("amami-writers", founder, need="director")
    assert access.team.id == team.id
    assert access.is_director
    assert [(a.platform, a.handle) for a in team.platform_accounts] == [("lancers", "amami")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "A"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"slug": "-amami"}, "slug"),
        ({"prefecture": "奄美県"}, "prefecture"),
        ({"payer_type": "company"}, "payer_type"),
        ({"fee_rate_bp": 5001}, "fee_rate"),
        ({"fee_rate_bp": -1}, "fee_rate"),
        ({"invoice_number": "T123"}, "invoice_number"),
        ({"invoice_number": "1234567890123"}, "invoice_number"),
        ({"platform_accounts": (("lancers", " "),)}, "platform_accounts"),
        ({"platform_accounts": (("mixi", "x"),)}, "platform_accounts"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(ctx, overrides, field):
    with pytest.raises(Invalid) as refused:
        services.create_team(make_person(), settings(**overrides))
    assert field in refused.value.reasons


def test_slug_is_unique(ctx):
    services.create_team(make_person(), settings())
    with pytest.raises(Invalid) as refused:
        services.create_team(make_person(), settings(name="別チーム"))
    assert "slug" in refused.value.reasons


def test_invoice_number_rules():
    assert rules.normalise_invoice_number("Ｔ１２３４５６７８９０１２３") == "T1234567890123"
    assert rules.normalise_invoice_number("t-1234 5678 90123") == "T1234567890123"
    assert rules.is_valid_invoice_number("T1234567890123")
    assert not rules.is_valid_invoice_number("T123456789012")
    assert not rules.is_valid_invoice_number("T12345678901234")
    assert not rules.is_valid_invoice_number("X1234567890123")


def test_fee_rate_percent_to_basis_points():
    assert money.percent_to_bp("10") == 1000
    assert money.percent_to_bp("１２.５") == 1250
    assert money.percent_to_bp("12.5%") == 1250
    assert money.percent_to_bp("0") == 0
    assert money.percent_to_bp("50") == 5000
    for bad in ["50.01", "-1", "abc", "", "10.001", "NaN", "sNaN", "Infinity", "1e999999999"]:
        assert money.percent_to_bp(bad) is None, bad
    assert money.bp_to_percent(1250) == "12.5"
    assert money.bp_to_percent(1000) == "10"


def test_invitation_is_one_time(ctx):
    team = make_team()
    first, second = make_person(), make_person()
    _invitation, token = services.invite(team, make_person(), "editor")
    membership = services.accept_invitation(token, first)
    assert membership.role == "editor"
    with pytest.raises(Conflict):
        services.accept_invitation(token, second)


def test_invitation_expires_after_seven_days(ctx):
    team = make_team()
    invitation, token = services.invite(team, make_person())
    lifetime = invitation.expires_at - invitation.created_at
    assert timedelta(days=7) - timedelta(seconds=5) < lifetime <= timedelta(days=7)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(Conflict) as refused:
        services.accept_invitation(token, make_person())
    assert "期限" in refused.value.message or "expired" in refused.value.message


def test_revoked_and_unknown_invitations_are_refused(ctx):
    team = make_team()
    invitation, token = services.invite(team, make_person())
    services.revoke_invitation(invitation)
    with pytest.raises(Conflict):
        services.accept_invitation(token, make_person())
    with pytest.raises(NotFound):
        services.accept_invitation("no-such-token", make_person())
    assert invitation.token_hash != token


def test_a_current_member_cannot_join_twice_and_a_removed_one_can_return(ctx):
    team = make_team()
    membership = add_member(team)
    _inv, token = services.invite(team, make_person())
    with pytest.raises(Conflict):
        services.accept_invitation(token, membership.person)
    services.remove_member(membership)
    rejoined = services.accept_invitation(token, membership.person)
    assert rejoined.id == membership.id
    assert rejoined.active


def test_pending_invitations_leave_out_used_revoked_and_expired(ctx):
    team = make_team()
    director = make_person()
    _pending, _ = services.invite(team, director, note="pending")
    _used, used_token = services.invite(team, director, note="used")
    services.accept_invitation(used_token, make_person())
    revoked, _ = services.invite(team, director, note="revoked")
    services.revoke_invitation(revoked)
    expired, _ = services.invite(team, director, note="expired")
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert [i.note for i in queries.pending_invitations(team)] == ["pending"]


def test_the_last_director_cannot_step_down_or_leave(ctx):
    director = make_person()
    team = make_team(director)
    only = db.session.scalar(sa.select(Membership).where(Membership.person_id == director.id))
    with pytest.raises(Conflict):
        services.change_role(only, "member")
    with pytest.raises(Conflict):
        services.remove_member(only)
    second = add_member(team, role="member")
    services.change_role(second, "director")
    services.change_role(only, "editor")
    assert only.role == "editor"
    with pytest.raises(Conflict):
        services.remove_member(second)


def test_removing_a_member_keeps_the_row(ctx):
    team = make_team()
    membership = add_member(team)
    services.remove_member(membership)
    db.session.flush()
    kept = db.session.get(Membership, membership.id)
    assert kept is not None and kept.removed_at is not None
    assert membership not in queries.roster(team)
    assert membership in queries.removed_members(team)
    with pytest.raises(NotFound):
        queries.team_access(team.slug, membership.person)


def test_unknown_role_is_refused(ctx):
    membership = add_member(make_team())
    with pytest.raises(Invalid):
        services.change_role(membership, "owner")
    with pytest.raises(Invalid):
        services.invite(membership.team, make_person(), "owner")


def test_availability_and_absences(ctx):
    membership = add_member(make_team())
    services.set_availability(membership, 5, 12, "午前のみ")
    assert (membership.weekly_units, membership.weekly_hours) == (5, 12)
    with pytest.raises(Invalid) as refused:
        services.set_availability(membership, -1, 200)
    assert set(refused.value.reasons) == {"weekly_units", "weekly_hours"}
    assert (membership.weekly_units, membership.weekly_hours) == (5, 12)

    absence = services.add_absence(membership, date(2026, 12, 1), date(2026, 12, 3), "通院")
    assert absence.covers(date(2026, 12, 3)) and not absence.covers(date(2026, 12, 4))
    with pytest.raises(Invalid):
        services.add_absence(membership, date(2026, 12, 3), date(2026, 12, 1))
    other = add_member(membership.team)
    with pytest.raises(NotFound):
        services.remove_absence(other, absence.id)
    services.remove_absence(membership, absence.id)
    assert membership.absences == []


def test_public_profile_shows_only_opted_in_handles(ctx):
    team = make_team()
    shy = add_member(team, make_person(display_name="内気 太郎"))
    services.set_public_profile(shy, False, "shy_one")
    proud = add_member(team, make_person(display_name="実名 花子"))
    services.set_public_profile(proud, True, "hanako_writes")
    with pytest.raises(Invalid):
        services.set_public_profile(proud, True, " ")
    profile = queries.public_profile(team.slug)
    assert profile.handles == ["hanako_writes"]
    assert profile.size == 3


def test_invitation_token_is_stored_only_as_a_hash(ctx):
    team = make_team()
    _invitation, token = services.invite(team, make_person())
    stored = db.session.scalars(sa.select(Invitation.token_hash)).all()
    assert token not in stored
