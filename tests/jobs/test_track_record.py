"""The team's track record on its public page: jobs delivered and the on-time rate."""

from __future__ import annotations

from datetime import timedelta

from teamhub.assignments.models import Assignment
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.jobs import queries
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.conftest import statements_run


def _work(job, membership_id: int, state: str, approved_at=None) -> None:
    db.session.add(
        Assignment(
            team_id=job.team_id,
            job_id=job.id,
            membership_id=membership_id,
            units=4,
            due_at=job.due_at,
            state=state,
            approved_at=approved_at,
        )
    )
    db.session.flush()


def _team_with_history():
    """Four jobs: one delivered on time, one delivered a day late (both with a declined offer
    beside the approved work), one still in progress, one cancelled after approved work."""
    roles = factories.team_with_roles()
    team = db.session.get(Team, roles.team.id)
    member = roles.member_membership
    other = factories.add_member(team).id
    now = utcnow()
    on_time = factories.make_job(team, due_at=now - timedelta(days=10))
    _work(on_time, member, "approved", now - timedelta(days=11))
    _work(on_time, other, "declined")
    late = factories.make_job(team, due_at=now - timedelta(days=5))
    _work(late, member, "approved", now - timedelta(days=6))
    _work(late, other, "approved", now - timedelta(days=4))
    going = factories.make_job(team, due_at=now + timedelta(days=5))
    _work(going, member, "approved", now - timedelta(days=1))
    _work(going, other, "in_progress")
    cancelled = factories.make_job(team, due_at=now - timedelta(days=3), status="cancelled")
    _work(cancelled, member, "approved", now - timedelta(days=4))
    factories.make_job(team)  # nothing assigned yet
    return roles, team


def test_a_job_is_delivered_once_all_its_live_work_is_approved(ctx):
    _roles, team = _team_with_history()
    record = queries.track_record(team)
    assert (record.jobs_delivered, record.on_time, record.on_time_rate) == (2, 1, 50)
    stranger = factories.make_team()
    assert (
        queries.track_record(stranger) == (0, 0)
        and queries.track_record(stranger).on_time_rate is None
    )


def test_the_public_page_shows_the_track_record_in_a_fixed_number_of_queries(app, client):
    with app.app_context():
        roles, _team = _team_with_history()
        db.session.commit()
    with statements_run(app) as statements:
        page = client.get(f"/t/{roles.team.slug}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<dd id="jobs-delivered">2</dd>' in html and '<dd id="on-time-rate">50%</dd>' in html
    few = len(statements)
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        director = db.session.get(Membership, roles.director_membership)
        for _ in range(5):
            job = factories.make_job(team, director.person, due_at=utcnow() - timedelta(days=2))
            _work(job, roles.member_membership, "approved", utcnow() - timedelta(days=3))
        db.session.commit()
    with statements_run(app) as statements:
        html = client.get(f"/t/{roles.team.slug}").get_data(as_text=True)
    assert '<dd id="jobs-delivered">7</dd>' in html and '<dd id="on-time-rate">85%</dd>' in html
    assert len(statements) == few
