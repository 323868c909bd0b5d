"""The isolation matrix: nobody reaches another team's pages or records, whatever their role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from teamhub.assignments.models import Assignment, Submission
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts.models import LedgerEntry, PayoutClose
from teamhub.teams.models import Absence, Invitation, Membership, Team
from tests import factories
from tests.conftest import login_as
from tests.routes import build, methods, team_rules


@pytest.fixture
def two_teams(app):
    """Team A and team B, each with roles, an invitation, an absence, a job, work and a file."""
    with app.app_context():
        made = {name: factories.team_with_everything() for name in ("a", "b")}
        db.session.commit()
    return made


def snapshot(app) -> dict:
    """Everything that a refused request must leave untouched."""
    with app.app_context():
        return {
            "teams": db.session.execute(
                sa.select(Team.id, Team.name, Team.slug, Team.fee_rate_bp)
            ).all(),
            "memberships": db.session.execute(
                sa.select(
                    Membership.id, Membership.role, Membership.removed_at, Membership.weekly_units
                )
            ).all(),
            "invitations": db.session.execute(
                sa.select(Invitation.id, Invitation.revoked_at)
            ).all(),
            "absences": db.session.execute(sa.select(Absence.id)).all(),
            "jobs": db.session.execute(sa.select(Job.id, Job.status, Job.split_version)).all(),
            "assignments": db.session.execute(
                sa.select(Assignment.id, Assignment.state, Assignment.units)
            ).all(),
            "submissions": db.session.execute(sa.select(Submission.id, Submission.decision)).all(),
            "closes": db.session.execute(
                sa.select(PayoutClose.id, PayoutClose.status, PayoutClose.paid_on)
            ).all(),
            "ledger": db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))),
            "received": db.session.execute(sa.select(Job.id, Job.received_yen)).all(),
        }


def test_every_role_of_team_a_is_refused_on_every_route_of_team_b(app, two_teams):
    roles_a, _ids_a = two_teams["a"]
    _roles_b, ids_b = two_teams["b"]
    before = snapshot(app)
    rules = team_rules(app)
    assert len(rules) >= 10, "the matrix must see the team routes"
    tried = 0
    for who in ("director", "editor", "member"):
        client = login_as(app, getattr(roles_a, who).email)
        for rule in rules:
            url = build(app, rule, ids_b.args_for(rule))
            for method in methods(rule):
                with client.open(url, method=method, data={"role": "director"}) as response:
                    pass
                assert response.status_code in (403, 404), (
                    f"{who} of A: {method} {url} → {response.status_code}"
                )
                tried += 1
    assert snapshot(app) == before
    assert tried >= 3 * len(rules)


def test_team_a_ids_cannot_reach_team_b_records_through_team_a_urls(app, two_teams):
    roles_a, ids_a = two_teams["a"]
    _roles_b, ids_b = two_teams["b"]
    before = snapshot(app)
    client = login_as(app, roles_a.director.email)
    for rule in team_rules(app):
        if set(rule.arguments) == {"slug"}:
            continue
        mixed = {**ids_b.args_for(rule), "slug": ids_a.slug}
        url = build(app, rule, mixed)
        for method in methods(rule):
            response = client.open(url, method=method, data={"role": "member"})
            assert response.status_code == 404, f"{method} {url} → {response.status_code}"
    assert snapshot(app) == before


def test_strangers_and_visitors_are_refused(app, two_teams, make_person):
    _roles_b, ids_b = two_teams["b"]
    stranger = login_as(app, make_person().email)
    visitor = app.test_client()
    before = snapshot(app)
    for rule in team_rules(app):
        url = build(app, rule, ids_b.args_for(rule))
        for method in methods(rule):
            assert stranger.open(url, method=method).status_code == 404, url
            answer = visitor.open(url, method=method)
            assert answer.status_code in (302, 401), url
            if answer.status_code == 302:
                assert answer.location.startswith("/login")
    assert snapshot(app) == before


def test_role_ranks_inside_one_team(app, two_teams):
    roles_a, ids_a = two_teams["a"]
    director_only = {
        "teams.settings",
        "teams.invitations",
        "teams.change_role",
        "teams.remove_member",
        "teams.revoke_invitation",
        "payouts.index",
        "payouts.preview",
        "payouts.confirm",
        "payouts.close_detail",
        "payouts.mark_paid",
        "payouts.correct",
        "payouts.receipt",
    }
    for who, allowed_members_page in (("editor", True), ("member", False)):
        client = login_as(app, getattr(roles_a, who).email)
        for rule in team_rules(app):
            if rule.endpoint in director_only:
                url = build(app, rule, ids_a.args_for(rule))
                for method in methods(rule):
                    assert client.open(url, method=method).status_code == 403, (who, url)
        members = client.get(f"/teams/{ids_a.slug}/members").status_code
        assert (members == 200) is allowed_members_page
