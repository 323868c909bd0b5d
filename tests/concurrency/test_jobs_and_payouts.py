"""A director's steps on a job and a payout close, sent twice or five times at once: escrow, the
scam guard's acknowledgement, a split, a close, its payment and a correction each take effect
once (one notification, one set of ledger entries); the other requests get the first one's answer
or a 409, never a 500."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from teamhub.assignments.models import Assignment, AssignmentEvent
from teamhub.auth.models import Person
from teamhub.clock import JST, utcnow
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.payouts import queries as payout_queries
from teamhub.payouts import services as payout_services
from teamhub.payouts.models import LedgerEntry, PaidDay, PayoutClose
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.api.helpers import api_as
from tests.api.test_isolation import JOB
from tests.concurrency.burst import fire, fire_each, needs_postgresql
from tests.conftest import login_as
from tests.jobs.test_views import job_form
from tests.notification_helpers import work_in_progress

pytestmark = needs_postgresql

PERIOD_END = date(2026, 10, 31)


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_escrow_confirmed_five_times_at_once_tells_the_member_once(app):
    with app.app_context():
        work = work_in_progress(utcnow() + timedelta(days=3), source="crowdworks", state="accepted")
        db.session.commit()
    roles = work.roles
    yesterday = (utcnow().astimezone(JST) - timedelta(days=1)).date().isoformat()
    url = f"/teams/{roles.team.slug}/jobs/{work.job_id}/escrow"
    data = {"confirmed_date": yesterday, "confirmed_time": "09:30"}

    burst = fire(app, login_as(app, roles.director.email), url, data)

    burst.assert_same_answer(302)
    with app.app_context():
        job = db.session.get(Job, work.job_id)
        assert job.escrow_confirmed_at.astimezone(JST).strftime("%H:%M") == "09:30"
        assert _count(Notification, Notification.kind == "escrow_confirmed") == 1
        assert _count(EmailDelivery, EmailDelivery.notification_id.in_(
            sa.select(Notification.id).where(Notification.kind == "escrow_confirmed"))) == 1  # fmt: skip


def test_the_scam_guard_acknowledged_five_times_at_once_is_acknowledged_once(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        job = factories.make_job(team, scam_reasons=[{"code": "upfront_fee", "matched": "登録料"}])
        db.session.commit()
        job_id = job.id
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/acknowledge"

    burst = fire(app, login_as(app, roles.director.email), url)

    burst.assert_same_answer(302)
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.scam_cleared and job.scam_acknowledged_by_id == roles.director.id


def test_two_saves_of_the_same_split_make_one_offer(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        factories.give_capacity(db.session.get(Membership, roles.member_membership), 40)
        job = factories.make_job(team)
        db.session.commit()
        job_id, due = job.id, job.due_at.astimezone(JST).date().isoformat()
    row = {"membership_id": roles.member_membership, "units": 4, "due_date": due,
           "pay_basis": "units"}  # fmt: skip
    data = {"version": "0", "kept_units": "0"} | {f"rows-0-{k}": str(v) for k, v in row.items()}
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/split"

    burst = fire(app, login_as(app, roles.director.email), url, data, n=2)

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert _count(Assignment, Assignment.job_id == job_id) == 1
        assert _count(AssignmentEvent) == 1
        assert _count(Notification, Notification.kind == "assignment_offered") == 1
        assert db.session.get(Job, job_id).split_version == 1


def _approved_month(app):
    """A team whose member's October work is approved and its money received: ready to close."""
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        director = db.session.get(Person, roles.director.id)
        member = db.session.get(Membership, roles.member_membership)
        job = factories.make_job(team, director, source="direct", unit_count=3)
        delivered = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
        factories.approved_assignment(job, member.id, delivered, units=3)
        payout_services.record_receipt(job, 30_000, PERIOD_END - timedelta(days=3))
        db.session.commit()
        return roles


def test_two_confirmations_of_the_same_close_post_it_once(app):
    roles = _approved_month(app)
    url = f"/teams/{roles.team.slug}/payouts/confirm"

    burst = fire(app, login_as(app, roles.director.email), url, {"period_end": "2026-10-31"}, n=2)

    burst.assert_same_answer(302)
    with app.app_context():
        [close_id] = db.session.scalars(sa.select(PayoutClose.id)).all()
        assert burst.locations[0].endswith(f"/payouts/{close_id}")
        assert _count(LedgerEntry) == 3  # received, team fee, the member's share
        assert _count(Notification, Notification.kind == "statement_ready") == 1


def _confirmed_month(app):
    roles = _approved_month(app)
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        close = payout_services.confirm_close(
            team, PERIOD_END, db.session.get(Person, roles.director.id)
        )
        db.session.commit()
        return roles, close.id


def test_a_close_marked_paid_five_times_at_once_is_paid_once(app):
    roles, close_id = _confirmed_month(app)
    url = f"/teams/{roles.team.slug}/payouts/{close_id}/paid"

    burst = fire(app, login_as(app, roles.director.email), url, {"paid_on": "2026-11-10"})

    burst.assert_same_answer(302)
    with app.app_context():
        close = db.session.get(PayoutClose, close_id)
        assert (close.status, close.paid_on) == ("paid", date(2026, 11, 10))
        assert _count(PaidDay) == 1


def test_a_correction_sent_twice_at_once_reverses_the_line_once(app):
    roles, close_id = _confirmed_month(app)
    with app.app_context():
        close = db.session.get(PayoutClose, close_id)
        [line] = payout_queries.statements(close)[0].lines
        entries_before = _count(LedgerEntry)
    mid = roles.member_membership
    url = f"/teams/{roles.team.slug}/payouts/{close_id}/statements/{mid}/correct"
    data = {"entry_id": str(line.entry_id), "gross_yen": "20000", "reason": "1本は再納品"}

    burst = fire(app, login_as(app, roles.director.email), url, data, n=2)

    burst.assert_one_winner(won=302, lost=(409,))
    with app.app_context():
        assert _count(LedgerEntry, LedgerEntry.reverses_id == line.entry_id) == 1
        assert _count(LedgerEntry) == entries_before + 3  # reversal, new share, kept difference
        [statement] = payout_queries.statements(db.session.get(PayoutClose, close_id))
        assert statement.gross_yen == 20_000


def test_a_job_form_sent_five_times_at_once_records_one_job(app):
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
        slug, email = roles.team.slug, roles.director.email
    sent = job_form(submission_key="0123456789abcdef0123456789abcdef")

    burst = fire(app, login_as(app, email), f"/teams/{slug}/jobs/new", sent)

    burst.assert_same_answer(302)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Job.id))) == 1


def test_an_api_job_recorded_five_times_at_once_with_one_key_is_recorded_once(app):
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
    director = api_as(app, roles.director.id)
    address = f"/api/v1/teams/{roles.team.slug}/jobs"
    headers = {**director.headers, "Idempotency-Key": "retry-2026-12-06-0001"}

    burst = fire_each(
        app,
        [(app.test_client(), address, JOB) for _ in range(5)],
        post=lambda client, url, body: client.post(url, json=body, headers=headers),
    )

    assert burst.raced, "the calls did not all read before the first write"
    assert 500 not in burst.statuses and set(burst.statuses) == {201}, burst.statuses
    assert len(set(burst.bodies)) == 1 and _count_jobs(app) == 1


def _count_jobs(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Job.id)))
