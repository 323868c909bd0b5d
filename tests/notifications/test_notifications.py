"""Notifications: events from the services, the inbox, preferences, and email in each language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import force_locale
from flask_babel import gettext as _

from teamhub.assignments import lifecycle
from teamhub.assignments import services as assignment_services
from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.jobs import services as job_services
from teamhub.jobs.models import Job
from teamhub.notifications import services
from teamhub.notifications.email import deliver_outbox, retry_after, smtp_settings
from teamhub.notifications.models import EmailDelivery, NotificationPreference
from teamhub.teams.models import Membership
from tests import factories
from tests.conftest import login_as
from tests.notification_helpers import (
    assignment,
    deliveries,
    notifications,
    work_in_progress,
)

SOON = timedelta(days=10)


def _member(work) -> Membership:
    return db.session.get(Membership, work.roles.member_membership)


def _director(work) -> Membership:
    return db.session.get(Membership, work.roles.director_membership)


def test_an_offer_reaches_the_member_once_with_a_link(ctx):
    work = work_in_progress(utcnow() + SOON, state="offered")
    [offer] = notifications("assignment_offered")
    assert offer.person_id == work.roles.member.id
    assert offer.link == f"/teams/{work.roles.team.slug}/assignments/{work.assignment_id}"
    assert (
        services.notify(
            offer.person_id, "assignment_offered", f"assignment:{work.assignment_id}", {}
        )
        is None
    )
    assert len(notifications("assignment_offered")) == 1
    assert len(deliveries()) == 1


def test_escrow_confirmation_tells_members_waiting_to_start(ctx):
    work = work_in_progress(utcnow() + SOON, source="crowdworks", state="accepted")
    job = db.session.get(Job, work.job_id)
    director = db.session.get(Person, work.roles.director.id)
    job_services.confirm_escrow(job, director, utcnow())
    job_services.confirm_escrow(job, director, utcnow())  # corrected time: no second message
    [notice] = notifications("escrow_confirmed")
    assert notice.person_id == work.roles.member.id


def test_a_submission_asks_editors_and_directors_to_review(ctx):
    work = work_in_progress(utcnow() + SOON)
    assignment_services.submit_work(assignment(work.assignment_id), _member(work), text="本文")
    waiting = notifications("submission_waiting")
    assert {n.person_id for n in waiting} == {work.roles.director.id, work.roles.editor.id}


def test_review_decisions_reach_the_member(ctx):
    work = work_in_progress(utcnow() + SOON)
    a = assignment(work.assignment_id)
    assignment_services.submit_work(a, _member(work), text="初稿")
    lifecycle.review(a, _director(work), approve=False, comment="見出しを直してください")
    assignment_services.submit_work(a, _member(work), text="第二稿")
    lifecycle.review(a, _director(work), approve=True)
    [changes] = notifications("changes_requested")
    [approved] = notifications("approved")
    assert changes.params["comment"] == "見出しを直してください"
    assert {changes.person_id, approved.person_id} == {work.roles.member.id}
    assert len(notifications("submission_waiting")) == 4  # two deliveries × editor and director


def test_review_notices_name_the_assignment_and_tell_a_second_delivery_apart(app, ctx):
    """Each notice about a delivery or a review names the member, their part of the job and
    which delivery it is, so a resubmission does not read like the first one."""
    from flask_babel import force_locale

    from teamhub.notifications.kinds import body_of, subject_of

    work = work_in_progress(utcnow() + SOON)
    a = assignment(work.assignment_id)
    assignment_services.submit_work(a, _member(work), text="初稿")
    lifecycle.review(a, _director(work), approve=False, comment="見出しを直してください")
    assignment_services.submit_work(a, _member(work), text="第二稿")
    lifecycle.review(a, _director(work), approve=True)
    first, second = [
        n for n in notifications("submission_waiting") if n.person_id == work.roles.director.id
    ]
    part = f"{a.job.unit_name} × {a.units}"
    with app.test_request_context(), force_locale("ja"):
        texts = [(subject_of(n.kind, n.params), body_of(n.kind, n.params)) for n in (first, second)]
        decisions = [
            body_of(n.kind, n.params)
            for n in notifications()
            if n.kind in ("approved", "changes_requested")
        ]
    assert texts[0] != texts[1]
    member = _member(work).person.display_name
    assert all(member in subject and f"担当作業：{part}。" in body for subject, body in texts)
    assert "2回目の納品" in texts[1][1] and "回目" not in texts[0][1]
    assert len(decisions) == 2 and all(f"担当作業：{part}。" in body for body in decisions)


def test_switched_off_email_still_reaches_the_inbox(ctx):
    person = factories.make_person()
    services.set_email_preferences(person, ["approved"])
    services.notify(
        person.id, "due_soon", "assignment:1", {"job": "x", "due_at": utcnow().isoformat()}
    )
    services.notify(person.id, "approved", "event:1", {"job": "x", "comment": ""})
    assert [n.kind for n in notifications(person_id=person.id)] == ["due_soon", "approved"]
    assert [d.notification.kind for d in deliveries()] == ["approved"]


def test_many_members_are_told_at_once_each_once_and_by_email_only_if_they_want_it(ctx):
    had_it, new, no_email = (factories.make_person() for _ in range(3))
    services.set_email_preferences(no_email, [])
    params = {"team": "t", "period_start": "2026-10-01", "period_end": "2026-10-31", "net_yen": 1}
    services.notify(had_it.id, "statement_ready", "close:7", params, link="/old")
    notices = [(p.id, {**params, "net_yen": p.id}, f"/s/{p.id}") for p in (had_it, new, no_email)]

    assert services.notify_each(notices, "statement_ready", "close:7") == 2
    assert services.notify_each(notices, "statement_ready", "close:7") == 0
    told = {n.person_id: n for n in notifications(kind="statement_ready")}
    assert set(told) == {had_it.id, new.id, no_email.id}
    assert told[had_it.id].link == "/old"
    assert (told[new.id].link, told[new.id].params["net_yen"]) == (f"/s/{new.id}", new.id)
    emailed = {d.notification.person_id for d in deliveries()}
    assert emailed == {had_it.id, new.id}


def test_smtp_settings_from_a_url_or_separate_settings():
    url = smtp_settings({"SMTP_URL": "smtp://mail%40team:p%40ss@mail.example.jp:587?tls=starttls"})
    assert (url.host, url.port, url.user, url.password, url.tls) == (
        "mail.example.jp", 587, "mail@team", "p@ss", "starttls",
    )  # fmt: skip
    assert smtp_settings({"SMTP_URL": "smtps://mail.example.jp"}).port == 465
    parts = smtp_settings({"SMTP_HOST": "localhost", "SMTP_PORT": "2525", "SMTP_TLS": "none"})
    assert (parts.host, parts.port, parts.tls) == ("localhost", 2525, "none")
    assert smtp_settings({}) is None


def _queue_due_soon(locale: str, name: str, due_at: datetime):
    person = factories.make_person(locale=locale, display_name=name)
    params = {"job": "観光記事 40本", "due_at": due_at.isoformat()}
    return person, services.notify(person.id, "due_soon", "assignment:7", params, link="/teams/x/a")


def test_emails_go_out_in_each_persons_language(ctx, smtp_server):
    due = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 12:00 in Japan
    ja, _n = _queue_due_soon("ja", "栄 美代子", due)
    en, _n = _queue_due_soon("en", "Ken Mori", due)
    tally = deliver_outbox(utcnow())
    assert tally == {"sent": 2}
    by_address = {m["To"]: m for m in smtp_server.messages}
    japanese, english = by_address[ja.email], by_address[en.email]

    body = japanese.get_content()
    assert "栄 美代子" in body and "観光記事 40本" in body
    assert "2026/12/01（火）12:00" in body  # Japan time, Japanese weekday
    with force_locale("ja"):
        assert _("Hello %(name)s,", name="栄 美代子") in body
        assert japanese["Subject"].startswith("[teamhub] ")
        assert _("Due within 48 hours: %(job)s", job="観光記事 40本") in japanese["Subject"]
    assert "http://127.0.0.1:5000/teams/x/a" in body
    assert "http://127.0.0.1:5000/notifications/settings" in body

    assert english["Subject"] == "[teamhub] Due within 48 hours: 観光記事 40本"
    text = english.get_content()
    assert text.startswith("Hello Ken Mori,")
    assert "Your work on 観光記事 40本 is due 2026/12/01 (Tue) 12:00 (Japan time)." in text
    assert all(d.status == "sent" and d.attempts == 1 for d in deliveries())


def test_a_failed_send_is_retried_later_and_never_raises(ctx, app, smtp_server):
    _queue_due_soon("en", "Ken", utcnow())
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens here
    with time_machine.travel(utcnow(), tick=False):
        now = utcnow()
        assert deliver_outbox(now) == {"retry": 1}
        [delivery] = deliveries()
        assert delivery.status == "pending" and delivery.attempts == 1
        assert delivery.next_attempt_at == now + retry_after(1)
        assert "ConnectionRefusedError" in delivery.last_error
        assert deliver_outbox(now + timedelta(minutes=4)) == {}  # not due yet
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp_server.port}"
    assert deliver_outbox(now + timedelta(minutes=5)) == {"sent": 1}
    assert len(smtp_server.messages) == 1
    assert deliver_outbox(now + timedelta(minutes=10)) == {}  # sent once, never twice


def test_sending_gives_up_after_several_attempts_and_skips_stale_mail(ctx, app):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"
    _queue_due_soon("ja", "花子", utcnow())
    now = utcnow()
    for _attempt in range(6):
        deliver_outbox(now)
        now = db.session.get(EmailDelivery, deliveries()[0].id).next_attempt_at
    assert deliveries()[0].status == "failed"
    _queue_due_soon("ja", "太郎", utcnow())
    assert deliver_outbox(utcnow() + timedelta(days=4)) == {"expired": 1}
    app.config["SMTP_URL"] = None


# Pages ----------------------------------------------------------------------------------------


@pytest.fixture
def member_with_news(app):
    with app.app_context():
        work = work_in_progress(utcnow() + SOON, state="offered")
        person = work.roles.member
        services.notify(person.id, "approved", "event:99", {"job": "記事", "comment": ""})
        db.session.commit()
        return work


def test_inbox_shows_the_unread_count_and_marking_read_clears_it(app, member_with_news):
    client = login_as(app, member_with_news.roles.member.email)
    page = client.get("/").get_data(as_text=True)
    assert 'class="badge warn unread-count"' in page and ">2</span>" in page
    inbox = client.get("/notifications").get_data(as_text=True)
    assert inbox.count('class="notification unread"') == 2
    with app.app_context():
        offer = notifications("assignment_offered")[0]
    response = client.post(f"/notifications/{offer.id}/read")
    assert response.status_code == 302 and response.location == offer.link
    assert ">1</span>" in client.get("/notifications").get_data(as_text=True)
    client.post("/notifications/read-all")
    assert "unread-count" not in client.get("/").get_data(as_text=True)


def test_nobody_reads_another_persons_notification(app, member_with_news):
    with app.app_context():
        offer = notifications("assignment_offered")[0]
    client = login_as(app, member_with_news.roles.director.email)
    assert client.post(f"/notifications/{offer.id}/read").status_code == 404
    assert client.post("/notifications/read-all").status_code == 302
    with app.app_context():
        assert db.session.get(type(offer), offer.id).read_at is None


def test_inbox_needs_a_login(client):
    assert client.get("/notifications").status_code == 302


def test_email_preferences_are_saved_from_the_page(app, team_with_roles):
    person = team_with_roles.member
    client = login_as(app, person.email)
    page = client.get("/notifications/settings").get_data(as_text=True)
    a_members_kinds = [c for c, k in services.KINDS.items() if "member" in k.roles]
    assert page.count('type="checkbox"') == len(a_members_kinds)
    assert (
        client.post("/notifications/settings", data={"email": ["approved", "bogus"]}).status_code
        == 302
    )
    with app.app_context():
        from teamhub.notifications.queries import email_choices

        choices = email_choices(db.session.get(Person, person.id))
    assert choices["approved"] and not choices["due_soon"]


def test_a_choice_another_save_added_meanwhile_is_written_over_for_that_kind_only(app, monkeypatch):
    with app.app_context():
        person, other = factories.make_person(), factories.make_person()
        services.set_email_preferences(other, ["approved"], among=["approved"])

        def added_meanwhile(row) -> bool:
            db.session.execute(
                sa.insert(NotificationPreference).values(
                    person_id=row.person_id, kind=row.kind, email=True
                )
            )
            return False

        monkeypatch.setattr(services, "insert_once", added_meanwhile)
        services.set_email_preferences(person, [], among=["approved"])
        chosen = db.session.execute(
            sa.select(NotificationPreference.person_id, NotificationPreference.email)
        ).all()
        assert sorted(chosen) == sorted([(person.id, False), (other.id, True)])
