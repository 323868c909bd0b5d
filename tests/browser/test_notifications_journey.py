"""The unread count in the header appears with new notifications and clears once they are read."""

from __future__ import annotations

from datetime import timedelta

from teamhub.clock import utcnow
from teamhub.extensions import db
from tests.browser.test_job_journey import log_in
from tests.notification_helpers import work_in_progress


def test_unread_count_appears_and_clears(app, live_app, new_context):
    base = live_app
    with app.app_context():
        work = work_in_progress(utcnow() + timedelta(days=5), state="offered")
        db.session.commit()
    page = new_context().new_page()
    log_in(page, base, work.roles.member.email)
    count = page.locator("header .unread-count")
    assert count.inner_text() == "1"

    page.click("header a.inbox-link")
    page.wait_for_url(f"{base}/notifications")
    assert page.locator("li.notification.unread").count() == 1
    page.click("li.notification form button")  # opens the offer and marks it read
    page.wait_for_url(f"{base}/teams/{work.roles.team.slug}/assignments/{work.assignment_id}")
    assert page.locator("header .unread-count").count() == 0

    with app.app_context():
        from teamhub.notifications.services import notify

        notify(work.roles.member.id, "approved", "event:1", {"job": "観光記事", "comment": ""})
        notify(work.roles.member.id, "approved", "event:2", {"job": "観光記事", "comment": ""})
        db.session.commit()
    page.goto(f"{base}/notifications")
    assert count.inner_text() == "2"
    assert "承認されました：「観光記事」" in page.content()  # the job's name in 「」
    page.click("form[action$='/notifications/read-all'] button")
    page.wait_for_url(f"{base}/notifications")
    assert page.locator("header .unread-count").count() == 0
    assert page.locator("li.notification.unread").count() == 0
