"""On a 390 px phone: a director reads what teamhub does for the team on its own (cards, not a
table of one-character columns) and what to do when it has stopped; the operator reads the
instance's health and follows its menu to the fee schedules."""

from __future__ import annotations

from datetime import timedelta

from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.scheduler import registry, runs
from tests import factories
from tests.browser.test_training_journey import log_in, watch_console
from tests.browser.test_training_phone_journey import TOO_WIDE

# Text squeezed into a narrow column: wrapping onto several lines of one or two characters.
SQUEEZED = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.children.length === 0 && e.textContent.trim().length > 1)
  .filter(e => { const range = document.createRange(); range.selectNodeContents(e);
                 const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
                 return lines > 1 && e.textContent.trim().length / lines < 2.5; })
  .map(e => e.textContent.trim())"""


def _seed(app) -> tuple[str, str, str]:
    with app.app_context():
        roles = factories.team_with_roles(payer_type="corporation")
        operator = factories.make_person(display_name="運営 太郎")
        operator.is_operator = True
        lease = runs.Lease("web-1:4242", timedelta(seconds=30))
        lease.claim(utcnow() - timedelta(hours=3))  # it stopped three hours ago
        runs.run_job(registry.REGISTRY["close_due"], "web-1:4242", utcnow() - timedelta(hours=4))
        db.session.commit()
        return roles.director.email, roles.team.slug, operator.email


def test_director_and_operator_read_scheduled_work_and_health_on_a_phone(
    live_app, new_context, app
):
    base = live_app
    director, slug, operator = _seed(app)
    page = new_context().new_page()
    console = watch_console(page)
    log_in(page, base, director)
    page.goto(f"{base}/teams/{slug}/scheduled")
    assert page.evaluate(TOO_WIDE) == []
    assert page.evaluate(SQUEEZED) == []
    assert page.locator("main table").count() == 0
    stopped = page.inner_text("#scheduler-stopped")
    assert "自動処理が止まっています" in stopped and "運営 太郎" in stopped
    cards = page.locator("#tasks li.card")
    assert cards.count() == 6  # with the 60-day and withholding warnings of a corporation
    assert "前回" in page.inner_text("#tasks li[data-job=close_due]")

    operator_page = new_context().new_page()
    log_in(operator_page, base, operator)
    operator_page.click("#operator-links a[href='/admin/health']")
    operator_page.wait_for_url(f"{base}/admin/health")
    assert operator_page.evaluate(TOO_WIDE) == []
    assert operator_page.evaluate(SQUEEZED) == []
    assert "flask --app teamhub scheduler" in operator_page.inner_text("#scheduler")
    assert "web-1:4242" in operator_page.inner_text("#scheduler")
    operator_page.click("nav.team-nav a[href='/admin/fees']")
    operator_page.wait_for_url(f"{base}/admin/fees")
    assert operator_page.evaluate(TOO_WIDE) == []
    assert "上限なし 5%" in operator_page.inner_text("main")
    assert not [line for line in console if "Content Security Policy" in line], console
