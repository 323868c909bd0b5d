"""The inbox's steps sent five times at once: a notification read, or every one read, lowers the
person's unread count once, never below what is left unread."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from teamhub.auth.models import Person
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.notifications import services
from teamhub.notifications.models import Notification, NotificationPreference
from teamhub.notifications.queries import email_choices
from tests.concurrency.burst import fire, needs_postgresql
from tests.conftest import login_as
from tests.notification_helpers import work_in_progress

pytestmark = needs_postgresql

PARAMS = {"job": "記事", "comment": ""}


def _member_with_three_unread(app) -> tuple[Person, list[int]]:
    with app.app_context():
        work = work_in_progress(utcnow() + timedelta(days=10), state="in_progress")
        member = work.roles.member
        for n in range(3):
            services.notify(member.id, "approved", f"event:{n}", PARAMS)
        ids = db.session.scalars(
            sa.select(Notification.id)
            .where(Notification.person_id == member.id, Notification.read_at.is_(None))
            .order_by(Notification.id)
        ).all()
        db.session.commit()
        return member, list(ids)


def _kept_and_counted(app, person_id: int) -> tuple[int, int]:
    with app.app_context():
        kept = db.session.get(Person, person_id).unread_notifications
        counted = db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.person_id == person_id, Notification.read_at.is_(None)
            )
        )
        return kept, counted


def test_a_notification_read_five_times_at_once_lowers_the_count_once(app):
    member, ids = _member_with_three_unread(app)
    unread_before = len(ids)

    burst = fire(app, login_as(app, member.email), f"/notifications/{ids[0]}/read")

    burst.assert_same_answer(302)
    assert _kept_and_counted(app, member.id) == (unread_before - 1, unread_before - 1)


def test_every_notification_read_five_times_at_once_leaves_the_count_at_zero(app):
    member, _ids = _member_with_three_unread(app)

    burst = fire(app, login_as(app, member.email), "/notifications/read-all")

    burst.assert_same_answer(302)
    assert _kept_and_counted(app, member.id) == (0, 0)


def test_email_choices_saved_five_times_at_once_keep_one_choice_per_kind(app):
    """The first save of a person's choices adds a row per kind: five at once add each once."""
    member, _ids = _member_with_three_unread(app)
    with app.app_context():
        kinds = email_choices(db.session.get(Person, member.id))
    wanted = [kind for kind in kinds if kind != "approved"]

    burst = fire(app, login_as(app, member.email), "/notifications/settings", {"email": wanted})

    burst.assert_same_answer(302)
    with app.app_context():
        rows = db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.person_id == member.id
            )
        ).all()
    assert sorted(rows) == sorted((kind, kind != "approved") for kind in kinds)
