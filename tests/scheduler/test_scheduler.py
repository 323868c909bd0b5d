"""Scheduled jobs at their time edges, run twice with one effect; the lease; the directors' page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from teamhub import scheduling
from teamhub.clock import from_jst, utcnow
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.notifications import reminders
from teamhub.scheduler import process, registry, runs
from teamhub.scheduler.models import JobRun
from teamhub.scheduling import Done
from teamhub.submissions import FormSubmission
from tests import factories
from tests.conftest import login_as
from tests.notification_helpers import notifications, work_in_progress

DUE = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 18:00 in Japan


@pytest.fixture
def frozen():
    """Freeze the clock a month before ``DUE`` so work can be planned for it."""
    with time_machine.travel(DUE - timedelta(days=30), tick=False) as traveller:
        yield traveller


def test_due_reminder_is_sent_47_hours_before_but_not_49(ctx, frozen):
    work = work_in_progress(DUE)
    assert reminders.due_soon(DUE - timedelta(hours=49)).total == 0
    assert reminders.due_soon(DUE - timedelta(hours=48, seconds=1)).total == 0
    done = reminders.due_soon(DUE - timedelta(hours=47))
    assert done.total == 1 and done.teams == {work.roles.team.id: 1}
    assert reminders.due_soon(DUE - timedelta(hours=46)).total == 0  # once per due date
    [reminder] = notifications("due_soon")
    assert reminder.person_id == work.roles.member.id
    assert reminders.due_soon(DUE + timedelta(minutes=1)).total == 0  # past due: overdue's turn


def test_a_new_due_date_gets_its_own_reminder(ctx, frozen):
    work = work_in_progress(DUE)
    reminders.due_soon(DUE - timedelta(hours=47))
    from tests.notification_helpers import assignment

    assignment(work.assignment_id).due_at = DUE + timedelta(days=3)
    db.session.flush()
    assert reminders.due_soon(DUE + timedelta(days=3) - timedelta(hours=47)).total == 1


def test_delivered_work_gets_no_reminder(ctx, frozen):
    work = work_in_progress(DUE, state="offered")
    assert reminders.due_soon(DUE - timedelta(hours=47)).total == 0
    assert work.assignment_id


def test_overdue_work_is_reported_to_member_and_directors_once(ctx, frozen):
    work = work_in_progress(DUE)
    assert reminders.overdue(DUE).total == 0  # due at this very minute: not late yet
    done = reminders.overdue(DUE + timedelta(minutes=1))
    assert done.total == 2
    assert reminders.overdue(DUE + timedelta(hours=5)).total == 0
    assert [n.person_id for n in notifications("overdue")] == [work.roles.member.id]
    assert [n.person_id for n in notifications("overdue_team")] == [work.roles.director.id]


def test_escrow_warning_goes_to_directors_once_a_day_until_confirmed(ctx, frozen):
    work = work_in_progress(DUE, source="crowdworks", state="accepted")
    work_in_progress(DUE, source="direct", state="accepted")  # no escrow to wait for
    morning = from_jst(datetime(2026, 11, 20).date(), time(9, 0))
    assert reminders.escrow_missing(morning).total == 1
    assert reminders.escrow_missing(morning + timedelta(hours=3)).total == 0
    assert reminders.escrow_missing(morning + timedelta(days=1)).total == 1
    assert {n.person_id for n in notifications("escrow_missing")} == {work.roles.director.id}
    db.session.get(Job, work.job_id).escrow_confirmed_at = utcnow()
    db.session.flush()
    assert reminders.escrow_missing(morning + timedelta(days=2)).total == 0


def _cohort_with_session(starts_at: datetime):
    from teamhub.training import cohorts, enrolments
    from tests import factories
    from tests import training_factories as tf

    org = tf.make_organisation()
    coordinator = tf.appoint(org)
    tf.appoint(org, role="mentor")
    cohort = tf.make_cohort(org, tf.make_curriculum(org))
    trainee = factories.make_person()
    enrolments.enrol(cohort, trainee, coordinator)
    session = cohorts.add_session(
        cohort, cohorts.SessionInput(starts_at=starts_at, place="足利市民活動センター")
    )
    return session, coordinator, trainee


def test_session_reminder_uses_the_japan_date(ctx, frozen):
    # 08:00 on 3 December in Japan is still 2 December in UTC.
    starts = from_jst(datetime(2026, 12, 3).date(), time(8, 0))
    session, coordinator, trainee = _cohort_with_session(starts)
    two_days_before = from_jst(datetime(2026, 12, 1).date(), time(23, 59))
    assert reminders.session_tomorrow(two_days_before).total == 0
    just_after_midnight = from_jst(datetime(2026, 12, 2).date(), time(0, 30))
    assert reminders.session_tomorrow(just_after_midnight).total == 2
    assert reminders.session_tomorrow(just_after_midnight + timedelta(hours=9)).total == 0
    assert {n.person_id for n in notifications("session_tomorrow")} == {coordinator.id, trainee.id}
    assert session.id


@pytest.mark.parametrize("name", sorted(registry.REGISTRY))
def test_every_job_run_twice_in_a_period_acts_once(ctx, frozen, name):
    work_in_progress(DUE, source="crowdworks", state="accepted")
    job = registry.REGISTRY[name]
    first = runs.run_job(job, "test", DUE - timedelta(hours=47))
    assert first is not None and first.outcome == "ok"
    assert runs.run_job(job, "other", DUE - timedelta(hours=47)) is None
    assert db.session.query(JobRun).filter_by(job=name).count() == 1


def test_each_job_body_run_twice_has_one_effect(ctx, frozen):
    work_in_progress(DUE, source="crowdworks", state="accepted")
    work_in_progress(DUE - timedelta(hours=2))
    moments = [DUE - timedelta(hours=47), DUE + timedelta(hours=1)]
    for job in registry.REGISTRY.values():
        for now in moments:
            before = len(notifications())
            job.run(now)
            middle = len(notifications())
            job.run(now)
            assert len(notifications()) == middle >= before, job.name


def test_a_failing_job_is_recorded_and_the_next_period_runs_again(ctx, frozen):
    def broken(now):
        raise RuntimeError("the database went away")

    job = scheduling.ScheduledJob("broken", "Broken", broken, every=60)
    run = runs.run_job(job, "test", DUE)
    assert run.outcome == "failed" and "database went away" in run.counts["error"]
    assert run.finished_at is not None
    assert runs.run_job(job, "test", DUE + timedelta(seconds=59)) is None
    ok = scheduling.ScheduledJob("broken", "Broken", lambda now: Done(total=3), every=60)
    assert runs.run_job(ok, "test", DUE + timedelta(seconds=60)).counts["total"] == 3


def test_periods_follow_the_japan_day_and_the_interval():
    daily = registry.REGISTRY["escrow_missing"]
    assert daily.period(datetime(2026, 12, 1, 14, 59, tzinfo=UTC)) == "2026-12-01"
    assert daily.period(datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) == "2026-12-02"
    quarter = registry.REGISTRY["due_soon"]
    assert quarter.period(datetime(2026, 12, 1, 10, 14, tzinfo=UTC)) == "2026-12-01T10:00:00Z"
    assert quarter.period(datetime(2026, 12, 1, 10, 15, tzinfo=UTC)) == "2026-12-01T10:15:00Z"
    nine = daily.next_run_at(datetime(2026, 12, 1, 1, 0, tzinfo=UTC))
    assert nine == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 09:00 in Japan


def test_one_lease_holder_at_a_time_and_handover_when_it_lapses(ctx):
    ttl = timedelta(seconds=30)
    first, second = runs.Lease("host:1", ttl), runs.Lease("host:2", ttl)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert first.claim(now) and not second.claim(now)
    assert first.claim(now + timedelta(seconds=20))  # renewed
    assert not second.claim(now + timedelta(seconds=49))
    assert second.claim(now + timedelta(seconds=51))  # the first stopped renewing
    assert not first.claim(now + timedelta(seconds=52))
    assert second.holds(now + timedelta(seconds=52)) and not first.holds(
        now + timedelta(seconds=52)
    )


def test_each_renewal_of_the_lease_is_stamped(ctx):
    lease = runs.Lease("host:1", timedelta(seconds=30))
    start = datetime(2026, 12, 1, tzinfo=UTC)
    assert lease.claim(start)
    assert runs.current_lease().renewed_at == start
    assert lease.claim(start + timedelta(seconds=10))
    held = runs.current_lease()
    assert held.acquired_at == start and held.renewed_at == start + timedelta(seconds=10)


def test_a_stopping_leader_hands_over_at_once(ctx):
    ttl = timedelta(seconds=30)
    first, second = runs.Lease("host:1", ttl), runs.Lease("host:2", ttl)
    assert first.claim(utcnow())
    first.release()
    assert second.claim(utcnow())


def _card(page: str, job: str) -> str:
    return page.split(f'data-job="{job}"')[1].split("</li>")[0]


def test_directors_see_what_the_scheduler_did_and_will_do(app, frozen):
    with app.app_context():
        work = work_in_progress(DUE)
        runs.run_job(registry.REGISTRY["due_soon"], "test", DUE - timedelta(hours=47))
        db.session.commit()
    frozen.move_to(DUE - timedelta(hours=46) + timedelta(minutes=1))
    director = login_as(app, work.roles.director.email)
    page = director.get(f"/teams/{work.roles.team.slug}/scheduled").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    assert "<h1>自動処理</h1>" in main and "<table" not in main  # cards, no columns to squeeze
    assert "スケジューラー" not in main and "未実行" not in main
    card = _card(main, "due_soon")
    assert "納期48時間前のお知らせ" in card and "15分ごと" in card
    assert "2026/12/08 19:00" in card  # the last run, in Japan time
    assert 'data-count="1"' in card and "このチームへのお知らせ 1件" in card
    assert "2026/12/08 20:15" in card  # the next quarter hour
    assert 'data-upcoming="due_soon" data-count="1"' in main
    assert "2026/12/31" in main and "2027/01/01" in main  # December's close, and its day
    # Never run yet: said in words, not an empty column.
    assert "まだ実行されていません" in _card(main, "overdue")
    member = login_as(app, work.roles.member.email)
    assert member.get(f"/teams/{work.roles.team.slug}/scheduled").status_code == 403


def test_the_team_page_lists_only_what_can_concern_the_team(app, frozen):
    """No training reminders (a team has no cohorts), no housekeeping or email queue; the 60-day
    and withholding warnings only for payer types they apply to."""
    with app.app_context():
        individual = factories.team_with_roles(payer_type="individual")
        corporation = factories.team_with_roles(payer_type="corporation")
        db.session.commit()
    jobs = {}
    for roles in (individual, corporation):
        page = login_as(app, roles.director.email).get(f"/teams/{roles.team.slug}/scheduled")
        jobs[roles.team.slug] = set(re.findall(r'<li class="card" data-job="(\w+)"', page.text))
    common = {"due_soon", "overdue", "escrow_missing", "close_due"}
    assert jobs[individual.team.slug] == common
    assert jobs[corporation.team.slug] == common | {"payment_due", "withholding_due"}


def test_a_stopped_scheduler_says_what_to_do_and_whom_to_ask(app, frozen):
    with app.app_context():
        roles = factories.team_with_roles()
        operator = factories.make_person(display_name="運営 太郎", email="ops@example.jp")
        operator.is_operator = True
        runs.Lease("host:1", timedelta(seconds=30)).claim(utcnow() - timedelta(hours=2))
        db.session.commit()
    director = login_as(app, roles.director.email)
    page = director.get(f"/teams/{roles.team.slug}/scheduled").text
    stopped = page.split('id="scheduler-stopped"')[1].split("</section>")[0]
    assert "自動処理が止まっています" in stopped
    assert 'href="mailto:ops@example.jp"' in stopped and "運営 太郎" in stopped
    assert "再開" in stopped
    with app.app_context():
        runs.Lease("host:1", timedelta(seconds=30)).claim(utcnow())
    running = director.get(f"/teams/{roles.team.slug}/scheduled").text
    assert 'id="scheduler-stopped"' not in running


def test_what_needs_the_director_is_listed_first_with_where_to_act(app, frozen):
    with app.app_context():
        work = work_in_progress(DUE, source="lancers", state="offered")
        run = runs.run_job(registry.REGISTRY["overdue"], "test", utcnow())
        run.outcome, run.counts = "failed", {"error": "RuntimeError: smtp down"}
        db.session.commit()
    director = login_as(app, work.roles.director.email)
    url = f"/teams/{work.roles.team.slug}/scheduled"
    calm = director.get(url).text.split('id="attention"')[1].split("</section>")[0]
    assert 'data-attention="escrow_missing" data-count="1"' in calm
    assert 'data-attention="failed" data-job="overdue"' in calm and "smtp" not in calm
    assert 'data-attention="overdue"' not in calm
    frozen.move_to(DUE + timedelta(hours=1))
    director = login_as(app, work.roles.director.email)  # a month on: a new session
    late = director.get(url).text.split('id="attention"')[1].split("</section>")[0]
    assert 'data-attention="overdue" data-count="1"' in late
    assert f'href="/teams/{work.roles.team.slug}/jobs"' in late


def test_a_team_with_nothing_waiting_is_told_so(app, frozen):
    with app.app_context():
        roles = factories.team_with_roles()
        db.session.commit()
    page = login_as(app, roles.director.email).get(f"/teams/{roles.team.slug}/scheduled").text
    assert 'id="nothing-to-do"' in page and "data-attention" not in page
    assert "48時間以内に納期を迎える担当作業はありません" in page


def test_the_scheduler_command_lists_its_jobs(runner):
    result = runner.invoke(args=["scheduler", "--list"])
    assert result.exit_code == 0, result.output
    assert "due_soon" in result.output and "deliver_email" in result.output
    result = runner.invoke(args=["scheduler", "--only", "nonsense"])
    assert result.exit_code != 0 and "unknown jobs" in result.output


def test_web_workers_never_start_a_scheduler(app, client):
    import apscheduler.schedulers.base as base

    started = []
    original = base.BaseScheduler.start
    base.BaseScheduler.start = lambda self, *a, **k: started.append(self)
    try:
        client.get("/")
        client.get("/login")
    finally:
        base.BaseScheduler.start = original
    assert started == []


def test_housekeeping_forgets_runs_older_than_a_month(ctx):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    for age in (40, 32, 1):
        db.session.add(
            JobRun(
                job="due_soon",
                period=f"p{age}",
                runner="t",
                started_at=now - timedelta(days=age),
                outcome="ok",
            )
        )
    db.session.flush()
    run = runs.run_job(registry.REGISTRY["housekeeping"], "test", now)
    assert run.counts["runs_deleted"] == 2
    assert sorted(r.period for r in db.session.query(JobRun).filter_by(job="due_soon")) == ["p1"]


def test_a_daily_job_whose_time_passed_runs_when_a_scheduler_starts_late():
    nine = registry.REGISTRY["escrow_missing"]
    assert not nine.time_passed_today(from_jst(datetime(2026, 12, 1).date(), time(8, 59)))
    assert nine.time_passed_today(from_jst(datetime(2026, 12, 1).date(), time(9, 0)))
    assert not registry.REGISTRY["due_soon"].time_passed_today(DUE)


@pytest.mark.commits
def test_the_scheduler_loop_leads_runs_and_hands_back_the_lease(app):
    import threading

    job = scheduling.ScheduledJob(
        "housekeeping", "Housekeeping", registry.REGISTRY["housekeeping"].run, daily_at=(0, 0)
    )
    stop = threading.Event()
    thread = threading.Thread(
        target=process.run_scheduler,
        args=(app, [job]),
        kwargs={"lease_seconds": 1.5, "stop": stop},
    )
    thread.start()
    try:
        for _ in range(100):
            with app.app_context():
                done = db.session.query(JobRun).filter_by(job="housekeeping", outcome="ok").count()
                db.session.remove()
            if done:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        thread.join(timeout=20)
    assert done == 1  # caught up at once: midnight in Japan has passed today
    with app.app_context():
        assert not runs.scheduler_is_running(utcnow())


def test_housekeeping_forgets_the_keys_of_forms_sent_more_than_a_month_ago(ctx):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    person = factories.make_person()
    for age in (40, 32, 1):
        db.session.add(
            FormSubmission(
                key=f"{age:032x}",
                person_id=person.id,
                answer="/",
                created_at=now - timedelta(days=age),
            )
        )
    db.session.flush()
    run = runs.run_job(registry.REGISTRY["housekeeping"], "test", now)
    assert run.counts["form_keys_deleted"] == 2
    assert db.session.scalars(sa.select(FormSubmission.key)).all() == [f"{1:032x}"]
