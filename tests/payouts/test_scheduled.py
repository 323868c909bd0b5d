"""Scheduled payout work: the close after a period ends, 60-day payments, withholding by the 10th."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from teamhub.assignments.models import Assignment
from teamhub.auth.models import Person
from teamhub.clock import from_jst
from teamhub.extensions import db
from teamhub.notifications import payout_reminders
from teamhub.payouts import services as payouts
from teamhub.payouts import tasks as payout_tasks
from teamhub.payouts.models import PayoutClose
from teamhub.payouts.services.settlement import settle
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.notification_helpers import notifications


def jst(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return from_jst(day, time(hour, minute))


@pytest.fixture
def clock():
    with time_machine.travel(jst(date(2026, 11, 20)), tick=False) as traveller:
        yield traveller


def _team(payer_type: str = "corporation"):
    roles = factories.team_with_roles(payer_type=payer_type)
    team = db.session.get(Team, roles.team.id)
    member = db.session.get(Membership, roles.member_membership)
    director = db.session.get(Person, roles.director.id)
    return roles, team, member, director


def _approved_in_november(team, member, director, fixed_yen=None):
    job = factories.make_job(team, director, source="direct", title="11月の記事", unit_count=3)
    delivered = datetime(2026, 11, 5, 1, 0, tzinfo=UTC)
    assignment = Assignment(
        team_id=team.id, job_id=job.id, membership_id=member.id, units=3, state="approved",
        pay_basis="fixed" if fixed_yen else "units", fixed_yen=fixed_yen, due_at=job.due_at,
        answered_at=delivered, first_submitted_at=delivered, approved_at=delivered,
    )  # fmt: skip
    db.session.add(assignment)
    db.session.flush()
    payouts.record_receipt(job, 30_000, date(2026, 11, 18))
    return job


def test_a_confirmed_close_tells_each_member_their_statement_is_ready(ctx, clock):
    roles, team, member, director = _team()
    close = factories.closed_month(team, director, member)
    [ready] = notifications("statement_ready")
    assert ready.person_id == roles.member.id
    assert ready.params["net_yen"] == 27_000 - 2_756  # 30,000 less the 10% fee, less withholding
    assert ready.link == f"/teams/{team.slug}/payouts/{close.id}/statements/{member.id}"
    assert payouts.confirm_close(team, date(2026, 10, 31), director) == close
    assert len(notifications("statement_ready")) == 1


def test_the_period_is_closed_on_the_day_after_it_ends_and_only_once(ctx, clock):
    roles, team, member, director = _team()
    _approved_in_november(team, member, director)
    clock.move_to(jst(date(2026, 11, 30), 23, 59))
    assert payout_tasks.close_due(jst(date(2026, 11, 30), 23, 59)).total == 0
    first_day = jst(date(2026, 12, 1), 0, 1)
    clock.move_to(first_day)
    done = payout_tasks.close_due(first_day)
    assert done.total == 1 and done.teams == {team.id: 1}
    close = payouts.find_close(team, date(2026, 11, 30))
    assert close.confirmed_by_id is None and close.period_start == date(2026, 11, 1)
    [ready] = notifications("close_ready")
    assert ready.person_id == roles.director.id and ready.link.endswith(f"/payouts/{close.id}")
    assert len(notifications("statement_ready")) == 1
    assert payout_tasks.close_due(first_day + timedelta(hours=5)).total == 0
    assert db.session.query(PayoutClose).count() == 1


def test_a_scheduled_close_settles_each_job_once(ctx, clock, monkeypatch):
    """Whether there is anything to close is answered by the close itself: each job's money is
    split once, not once to look and again to post."""
    from teamhub.payouts.services import closes

    _roles, team, member, director = _team()
    jobs = [_approved_in_november(team, member, director) for _ in range(2)]
    settled = []
    monkeypatch.setattr(closes, "settle", lambda *args: settled.append(args[1].id) or settle(*args))
    clock.move_to(jst(date(2026, 12, 1)))
    assert payout_tasks.close_due(jst(date(2026, 12, 1))).total == 1
    assert sorted(settled) == sorted(job.id for job in jobs)


def test_a_period_without_finished_received_work_is_left_alone(ctx, clock):
    _team()
    clock.move_to(jst(date(2026, 12, 1)))
    assert payout_tasks.close_due(jst(date(2026, 12, 1))).total == 0
    assert db.session.query(PayoutClose).count() == 0


def test_a_refused_close_tells_the_directors_why_once(ctx, clock):
    roles, team, member, director = _team()
    _approved_in_november(team, member, director, fixed_yen=29_000)
    clock.move_to(jst(date(2026, 12, 1)))
    assert payout_tasks.close_due(jst(date(2026, 12, 1))).total == 1
    assert payout_tasks.close_due(jst(date(2026, 12, 2))).total == 0
    [refused] = notifications("close_refused")
    assert refused.person_id == roles.director.id and "29,000" in refused.params["reason"]
    assert db.session.query(PayoutClose).count() == 0


def _october_close(payer_type="corporation"):
    roles, team, member, director = _team(payer_type)
    close = factories.closed_month(team, director, member)  # delivered 5 October (Japan)
    return roles, close


def test_payment_warning_starts_a_week_before_the_60th_day(ctx, clock):
    roles, close = _october_close()
    last_day = date(2026, 10, 5) + timedelta(days=59)  # receipt is day 1
    assert last_day == date(2026, 12, 3)
    assert payout_reminders.payment_due(jst(last_day - timedelta(days=8))).total == 0
    assert payout_reminders.payment_due(jst(last_day - timedelta(days=7))).total == 1
    assert payout_reminders.payment_due(jst(last_day - timedelta(days=6))).total == 0
    [soon] = notifications("payment_due_soon")
    assert soon.person_id == roles.director.id
    assert soon.params == {
        "team": close.team.name, "period_end": "2026-10-31", "due_on": "2026-12-03",
        "amount_yen": 27_000 - 2_756,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("day", "kind"),
    [(date(2026, 12, 3), "payment_due_soon"), (date(2026, 12, 4), "payment_overdue")],
)
def test_the_60th_day_is_still_in_time_the_61st_is_overdue(ctx, clock, day, kind):
    _october_close()
    assert payout_reminders.payment_due(jst(day, 23, 59)).total == 1
    assert [n.kind for n in notifications()].count(kind) == 1


def test_paid_closes_and_teams_outside_the_60_day_rule_get_no_warning(ctx, clock):
    _roles, close = _october_close()
    payouts.mark_paid(close, date(2026, 11, 20))
    _october_close("individual")
    assert payout_reminders.payment_due(jst(date(2026, 12, 10))).total == 0


def test_withholding_reminder_runs_until_the_10th_in_japan_time(ctx, clock):
    roles, close = _october_close()
    _october_close("individual")  # withholds nothing
    # 00:30 on 11 November in Japan is still 10 November in UTC: too late.
    assert payout_reminders.withholding_due(jst(date(2026, 11, 11), 0, 30)).total == 0
    assert payout_reminders.withholding_due(jst(date(2026, 11, 10), 23, 30)).total == 1
    assert payout_reminders.withholding_due(jst(date(2026, 11, 10), 23, 45)).total == 0
    [due] = notifications("withholding_due")
    assert due.person_id == roles.director.id
    assert due.params["amount_yen"] == 2_756 and due.params["due_on"] == "2026-11-10"
    assert payout_reminders.withholding_due(jst(date(2026, 12, 1))).total == 0  # nothing in Nov.
    assert close.id


def test_withholding_reminder_comes_once_a_month_from_the_1st(ctx, clock):
    _october_close()
    assert payout_reminders.withholding_due(jst(date(2026, 10, 31), 23, 59)).total == 0
    assert payout_reminders.withholding_due(jst(date(2026, 11, 1), 0, 0)).total == 1
    assert payout_reminders.withholding_due(jst(date(2026, 11, 5))).total == 0
