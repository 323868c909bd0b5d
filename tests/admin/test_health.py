"""The operator's health page and home: what the instance is doing, seen by the operator only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications.models import EmailDelivery, Notification
from teamhub.scheduler import registry, runs
from tests import factories
from tests import training_factories as tf
from tests.conftest import login_as


@pytest.fixture
def operator(app):
    with app.app_context():
        person = factories.make_person(email="ops@example.jp")
        person.is_operator = True
        db.session.commit()
        return person.email


def _section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def _outbox(person_id: int) -> None:
    """Three emails waiting (one after a failed try) and one given up on."""
    for n, (status, attempts, error) in enumerate(
        [("pending", 0, ""), ("pending", 0, ""), ("pending", 1, "SMTP 451: try later"),
         ("failed", 5, "SMTP 550: no such mailbox"), ("sent", 1, "")]
    ):  # fmt: skip
        notice = Notification(person_id=person_id, kind="approved", key=f"k{n}", params={})
        db.session.add(notice)
        db.session.flush()
        db.session.add(
            EmailDelivery(
                notification_id=notice.id, status=status, attempts=attempts, last_error=error
            )
        )


def test_the_operator_sees_the_database_scheduler_outbox_runs_and_counts(app, operator):
    with app.app_context():
        training = tf.training_with_everything()
        roles = factories.team_with_roles(name="奄美ライターズ")
        _outbox(roles.member.id)
        lease = runs.Lease("web-1:4242", timedelta(seconds=30))
        with time_machine.travel(utcnow() - timedelta(minutes=10), tick=False):
            lease.claim(utcnow())  # leading for ten minutes…
        lease.claim(utcnow() - timedelta(seconds=5))  # …renewed five seconds ago
        runs.run_job(registry.REGISTRY["due_soon"], "web-1:4242")
        failed = runs.run_job(registry.REGISTRY["overdue"], "web-1:4242")
        failed.outcome, failed.counts = "failed", {"error": "OperationalError: lost connection"}
        db.session.commit()
        org_slug, team_slug = training.ids.org_slug, roles.team.slug
        waiting = db.session.scalar(  # the training's own notices wait too
            sa.select(sa.func.count(EmailDelivery.id)).where(EmailDelivery.status == "pending")
        )
    page = login_as(app, operator).get("/admin/health").get_data(as_text=True)
    database = _section(page, "database")
    assert "接続できます" in database and re.search(r"SQLite \d|PostgreSQL \d", database)
    scheduler = _section(page, "scheduler")
    assert "実行中" in scheduler and "web-1:4242" in scheduler and "data-renewed" in scheduler
    assert "flask --app teamhub scheduler" not in scheduler  # running: nothing to start
    outbox = _section(page, "outbox")
    assert (
        waiting >= 3 and f'data-waiting="{waiting}"' in outbox and "うち1件は送信に失敗" in outbox
    )
    assert 'data-failed="1"' in outbox and "SMTP 550" in outbox
    jobs = _section(page, "jobs")
    assert len(re.findall(r'data-job="\w+"', jobs)) == len(registry.REGISTRY)
    overdue = jobs.split('data-job="overdue"')[1].split("</li>")[0]
    assert "失敗" in overdue and "lost connection" in overdue
    assert "まだ実行されていません" in jobs.split('data-job="housekeeping"')[1].split("</li>")[0]
    org = _section(page, "organisation-counts").split(f'data-organisation="{org_slug}"')[1]
    assert re.search(r"受講中の受講者</dt><dd>1<", org) and re.search(r"修了者</dt><dd>1<", org)
    team = _section(page, "team-counts").split(f'data-team="{team_slug}"')[1]
    assert re.search(r"メンバー</dt><dd>3<", team)


def test_a_stopped_scheduler_tells_the_operator_how_to_start_it(app, operator):
    with app.app_context():
        runs.Lease("web-1:4242", timedelta(seconds=30)).claim(utcnow() - timedelta(hours=1))
    page = login_as(app, operator).get("/admin/health").get_data(as_text=True)
    scheduler = _section(page, "scheduler")
    assert "止まっています" in scheduler and "flask --app teamhub scheduler" in scheduler
    assert "リースは" in scheduler


def test_nobody_but_the_operator_sees_the_health_page(app, operator, team_with_roles):
    for who in ("director", "editor", "member"):
        client = login_as(app, getattr(team_with_roles, who).email)
        assert client.get("/admin/health").status_code == 403
    visitor = app.test_client().get("/admin/health")
    assert visitor.status_code == 302 and visitor.location.startswith("/login")


def test_the_operator_home_leads_to_the_operator_pages_first(app, operator):
    """An operator in no team is not told to join one, and their links are their own section,
    not filed under training."""
    page = login_as(app, operator).get("/").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    first = re.search(r"<section[^>]*>\s*<h2>([^<]*)</h2>", main)
    assert first[1] == "運営者"
    links = _section(main, "operator-links")
    for href in ("/admin/health", "/admin/organisations", "/admin/fees"):
        assert f'href="{href}"' in links
    assert "チームに参加していません" not in main and "研修" not in links


def test_healthz_tells_a_monitor_the_database_the_leader_and_the_outbox_backlog(app, client):
    """Anyone may ask (a load balancer has no login); no names, only states and counts."""
    answer = client.get("/healthz")
    assert answer.status_code == 200
    with app.app_context():
        dialect = db.engine.dialect.name
    assert answer.json == {
        "status": "degraded",  # no scheduler leads yet
        "database": {"reachable": True, "dialect": dialect},
        "scheduler": {"leading": False, "lease_expires_at": None},
        "outbox": {"waiting": 0, "retrying": 0, "failed": 0},
    }
    with app.app_context():
        roles = factories.team_with_roles()
        _outbox(roles.member.id)
        runs.Lease("web-1:4242", timedelta(seconds=30)).claim(utcnow())
        db.session.commit()
    answer = client.get("/healthz").json
    assert answer["scheduler"]["leading"] is True and answer["scheduler"]["lease_expires_at"]
    assert answer["outbox"] == {"waiting": 3, "retrying": 1, "failed": 1}
    assert answer["status"] == "degraded"  # an email was given up on
    assert "web-1" not in str(answer) and "SMTP" not in str(answer)
    with app.app_context():
        db.session.execute(sa.delete(EmailDelivery).where(EmailDelivery.status == "failed"))
        db.session.commit()
    assert client.get("/healthz").json["status"] == "ok"
