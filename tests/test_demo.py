"""Demo data: a living Amami team, a second team and an operator, loaded once."""

from __future__ import annotations

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.demo import DEMO_PASSWORD
from teamhub.extensions import db
from teamhub.notifications.models import Notification
from teamhub.teams.models import Membership, Team
from tests.conftest import login_as


def test_demo_loads_the_amami_writers_and_their_logins_work(app, runner):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "director@amami.example" in result.output
    with app.app_context():
        amami = db.session.scalar(sa.select(Team).where(Team.slug == "amami-writers"))
        roles = db.session.scalars(
            sa.select(Membership.role).where(Membership.team_id == amami.id)
        ).all()
        assert roles.count("director") == 1 and roles.count("editor") == 1
        assert 20 <= roles.count("member") <= 30
        with_availability = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.team_id == amami.id, Membership.weekly_units.is_not(None)
            )
        )
        assert with_availability >= 24
        assert db.session.scalar(sa.select(sa.func.count(Team.id))) == 2
        assert db.session.scalar(sa.select(Person).where(Person.is_operator.is_(True))) is not None
        # Each person's header count is the number of their notifications not read: the demo's
        # history marks a past month's notices read, and the counts follow.
        unread = (
            sa.select(sa.func.count(Notification.id))
            .where(Notification.person_id == Person.id, Notification.read_at.is_(None))
            .scalar_subquery()
        )
        counts = db.session.execute(sa.select(Person.unread_notifications, unread)).all()
        assert all(kept == counted for kept, counted in counts)
        assert any(counted for _kept, counted in counts)
        assert sum(counted for _kept, counted in counts) < db.session.scalar(
            sa.select(sa.func.count(Notification.id))
        )
    director = login_as(app, "director@amami.example", DEMO_PASSWORD)
    roster = director.get("/teams/amami-writers/members").get_data(as_text=True)
    assert "前田 健太" in roster
    member = login_as(app, "writer02@amami.example", DEMO_PASSWORD)
    assert member.get("/teams/amami-writers/me").status_code == 200


def test_demo_if_empty_does_not_load_twice(app, runner):
    runner.invoke(args=["demo"])
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Team.id))) == 2


def test_create_operator_command(app, runner):
    result = runner.invoke(
        args=["create-operator", "--email", "ops@example.jp", "--name", "運営"],
        input="island-ops-2026\nisland-ops-2026\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(
            sa.select(Person.is_operator).where(Person.email == "ops@example.jp")
        )
    weak = runner.invoke(
        args=["create-operator", "--email", "weak@example.jp", "--name", "x"],
        input="password\npassword\n",
    )
    assert weak.exit_code != 0


def test_demo_team_has_jobs_in_every_state(app, runner):
    from teamhub.assignments.models import Assignment
    from teamhub.jobs.models import Job

    runner.invoke(args=["demo"])
    with app.app_context():
        states = set(db.session.scalars(sa.select(Assignment.state)))
        assert {
            "offered",
            "accepted",
            "declined",
            "in_progress",
            "submitted",
            "changes_requested",
            "approved",
        } <= states
        flagged = db.session.scalars(
            sa.select(Job).where(Job.title == "在宅で簡単データ入力")
        ).one()
        assert flagged.scam_flagged and not flagged.scam_cleared
    member = login_as(app, "writer02@amami.example", DEMO_PASSWORD)
    assert "奄美大島 観光スポット紹介記事" in member.get(
        "/teams/amami-writers/my-assignments"
    ).get_data(as_text=True)


def test_demo_has_paid_months_and_the_npo_report_shows_graduates_pay(app, runner):
    from teamhub.payouts.models import LedgerEntry, PayoutClose

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        statuses = db.session.scalars(sa.select(PayoutClose.status)).all()
        assert statuses.count("paid") == 6 and statuses.count("confirmed") == 0
        assert db.session.scalar(sa.select(sa.func.sum(LedgerEntry.amount_yen))) == 0
    director = login_as(app, "director@amami.example", DEMO_PASSWORD)
    payouts = director.get("/teams/amami-writers/payouts").get_data(as_text=True)
    assert "奄美大島 観光スポット紹介記事 40本" in payouts  # approved work, money not recorded yet
    member = login_as(app, "designer01@ashikaga.example", DEMO_PASSWORD)
    assert "¥" in member.get("/teams/ashikaga-design/earnings").get_data(as_text=True)
    coordinator = login_as(app, "coordinator@ashikaga.example", DEMO_PASSWORD)
    report = coordinator.get("/orgs/ashikaga-npo/outcomes").get_data(as_text=True)
    assert "明細はまだ記録されていない" not in report and "¥" in report


def test_demo_months_look_like_a_real_teams(app, runner):
    """Most work is approved as delivered (revisions are a minority for every experienced
    member) and past months' work was due within its month, not in the future."""
    from teamhub.assignments.models import Assignment
    from teamhub.assignments.reliability import reliability_for
    from teamhub.clock import JST, today_jst, utcnow
    from teamhub.jobs.models import Job

    assert runner.invoke(args=["demo"]).exit_code == 0
    this_month = today_jst().replace(day=1)
    with app.app_context():
        amami = db.session.scalar(sa.select(Team).where(Team.slug == "amami-writers"))
        ids = db.session.scalars(
            sa.select(Membership.id).where(Membership.team_id == amami.id)
        ).all()
        figures = [f for f in reliability_for(ids).values() if f.revision.total >= 2]
        assert len(figures) >= 5  # members with months of approved work
        assert all(f.revision.hits < f.revision.total for f in figures)
        revised = sum(f.revision.hits for f in figures)
        approved = sum(f.revision.total for f in figures)
        assert 0 < revised * 100 // approved <= 30
        assert any(f.on_time.hits < f.on_time.total for f in figures)  # a late delivery or two
        past = db.session.scalars(sa.select(Assignment).where(Assignment.state == "approved")).all()
        past = [a for a in past if a.approved_at.astimezone(JST).date() < this_month]
        assert len(past) >= 20
        now = utcnow()
        for assignment in past:
            job = db.session.get(Job, assignment.job_id)
            delivered = assignment.first_submitted_at.astimezone(JST)
            for due in (assignment.due_at, job.due_at):
                assert due < now
                assert due.astimezone(JST).strftime("%Y%m") == delivered.strftime("%Y%m")
            assert assignment.offered_at < assignment.answered_at < assignment.approved_at < now


def test_demo_leaves_an_ended_period_ready_for_a_newcomer_to_close(app, runner):
    """The Amami writers' last ended month has its money received and its work approved but no
    close: the director previews it and confirms it, as a newcomer on `make run` would."""
    from teamhub.clock import today_jst
    from teamhub.payouts import periods
    from teamhub.payouts.models import PayoutClose

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        amami = db.session.scalar(sa.select(Team).where(Team.slug == "amami-writers"))
        start, end = periods.previous_period(amami.close_schedule, today_jst())
        amami_closes = sa.select(PayoutClose).where(PayoutClose.team_id == amami.id)
        assert db.session.scalar(amami_closes.where(PayoutClose.period_end == end)) is None
    director = login_as(app, "director@amami.example", DEMO_PASSWORD)
    payouts = director.get("/teams/amami-writers/payouts").get_data(as_text=True)
    assert f'<option value="{end.isoformat()}">' in payouts  # the first choice
    preview = director.get(f"/teams/amami-writers/payouts/preview?period_end={end.isoformat()}")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and f"{start.month}月 観光・暮らし記事" in text
    confirmed = director.post("/teams/amami-writers/payouts/confirm", data={"period_end": end})
    assert confirmed.status_code == 302
    with app.app_context():
        close = db.session.scalar(amami_closes.where(PayoutClose.period_end == end))
        assert close.status == "confirmed"


def test_demo_training_notices_follow_its_history(app, runner):
    """The finished cohort's notices are months old and read; the director of the Ashikaga team
    has unread news of the graduates recommended to it."""
    from teamhub.notifications.models import Notification
    from teamhub.training.models import Enrolment

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        graduates = db.session.scalars(
            sa.select(Enrolment).where(Enrolment.status == "completed")
        ).all()
        finished = max(e.completed_at for e in graduates)
        certificates = db.session.scalars(
            sa.select(Notification).where(Notification.kind == "training_completed")
        ).all()
        assert len(certificates) == len(graduates)
        assert all(n.read_at is not None and n.created_at <= finished for n in certificates)
        recommended = db.session.scalars(
            sa.select(Notification).where(Notification.kind == "graduate_recommended")
        ).all()
        assert recommended and all(n.read_at is None for n in recommended)
    director = login_as(app, "director@ashikaga.example", DEMO_PASSWORD)
    inbox = director.get("/notifications").get_data(as_text=True)
    assert "修了者の推薦" in inbox


def test_demo_work_notices_follow_its_history_and_name_their_assignment(app, runner):
    """The Ashikaga director's notices of past months' deliveries were sent when each was
    delivered and read since; members' statements of paid months are old news too; and no two
    notices read the same (a second delivery, two members on one job)."""
    from flask_babel import force_locale

    from teamhub.assignments.models import Submission
    from teamhub.notifications.kinds import body_of, subject_of
    from teamhub.notifications.models import Notification
    from teamhub.payouts.models import PayoutClose

    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.test_request_context(), force_locale("ja"):
        director = db.session.scalar(sa.select(Person).where(Person.email.like("director@ash%")))
        waiting = db.session.scalars(
            sa.select(Notification).where(
                Notification.person_id == director.id, Notification.kind == "submission_waiting"
            )
        ).all()
        assert len(waiting) >= 9 and all(n.read_at is not None for n in waiting)
        for notice in waiting:
            submission = db.session.get(Submission, int(notice.key.split(":")[-1]))
            assert notice.created_at == submission.submitted_at
        texts = [(subject_of(n.kind, n.params), body_of(n.kind, n.params)) for n in waiting]
        assert len(set(texts)) == len(texts)
        assert all("担当作業：点 × " in body for _subject, body in texts)
        assert any("2回目の納品" in body for _subject, body in texts)
        paid = sa.select(PayoutClose.id).where(PayoutClose.status == "paid")
        statements = db.session.scalars(
            sa.select(Notification).where(
                Notification.kind == "statement_ready",
                Notification.key.in_(
                    [f"statement_ready:close:{i}" for i in db.session.scalars(paid)]
                ),
            )
        ).all()
        assert statements and all(n.read_at is not None for n in statements)
        assert all(n.created_at < n.read_at for n in statements)
