"""On a 390 px phone, with CSRF on: a newcomer applies through a cohort's link and signs up on the
way without losing it; a coordinator reads the outcome report, its figures and charts legible."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from teamhub.clock import today_jst
from teamhub.extensions import db
from teamhub.payouts.models import FirstPaidDay, PaidDay
from teamhub.training import cohorts, enrolments, progress
from tests import factories
from tests import training_factories as tf
from tests.browser.test_training_journey import log_in, watch_console

# Every element that reaches past the right edge of the screen (a sideways page).
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 1)
  .map(e => e.tagName + '.' + e.className)"""
# The size an axis label of a chart is read at: its font size in the SVG, scaled as drawn.
AXIS_FONT_PX = re.compile(r"\.axis text\{[^}]*font-size:(\d+)px")
VIEWBOX_WIDTH = re.compile(r'viewBox="0 0 (\d+) \d+"')


def _seed_open_cohort(app) -> str:
    with app.app_context():
        org = tf.make_organisation(name="足利しごと応援NPO")
        cohort = tf.make_cohort(org, tf.make_curriculum(org), name="2026年秋 第2期")
        cohorts.set_applications(cohort, True)
        db.session.commit()
        return cohort.application_code


def test_a_newcomer_applies_through_the_link_signing_up_on_the_way(live_app, new_context, app):
    base = live_app
    code = _seed_open_cohort(app)
    page = new_context().new_page()
    console = watch_console(page)
    page.goto(f"{base}/apply/{code}")
    assert page.evaluate(TOO_WIDE) == []
    page.click(f"a[href='/signup?next=/apply/{code}']")
    page.fill("input[name=email]", "aoi@ashikaga.example")
    page.fill("input[name=display_name]", "新井 葵")
    page.fill("input[name=password]", "shima-uta-2026")
    page.fill("input[name=confirm]", "shima-uta-2026")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/apply/{code}")  # back where they were going, signed in

    page.click("main form button[type=submit]")  # 新井 葵として申し込む
    page.wait_for_url(re.compile(r".*/training/\d+$"))
    assert "2026年秋 第2期" in page.inner_text("main")
    page.click("header a.inbox-link")
    page.wait_for_url(f"{base}/notifications")
    assert "申し込みを受け付けました" in page.inner_text("li.notification")
    assert not [line for line in console if "Content Security Policy" in line], console


def _seed_report(app) -> str:
    """A cohort of 6: 5 graduates who completed four months ago, three of them paid since."""
    with app.app_context():
        org = tf.make_organisation(name="足利しごと応援NPO", slug="ashikaga-report")
        coordinator = tf.appoint(org, factories.make_person(email="report@ashikaga.example"))
        curriculum = tf.make_curriculum(org, modules=tf.MODULES[:1])
        cohort = tf.make_cohort(org, curriculum, name="2026年春 第1期")
        past, _future = tf.add_sessions(cohort)
        people = [factories.make_person() for _ in range(6)]
        enrolled = [enrolments.enrol(cohort, person, by=coordinator) for person in people]
        progress.record_attendance(past, {e.id: "present" for e in enrolled}, coordinator)
        long_ago = datetime.now(UTC) - timedelta(days=125)
        for enrolment in enrolled[:5]:
            tf.graduate(enrolment, coordinator)
            enrolment.completed_at = long_ago
        for n, person in enumerate(people[:3]):
            for days in (40, 70):
                paid_on = today_jst() - timedelta(days=days)
                db.session.add(PaidDay(person_id=person.id, paid_on=paid_on, net_yen=60_000 * n))
            db.session.add(FirstPaidDay(person_id=person.id, paid_on=today_jst() - timedelta(70)))
        db.session.commit()
        return org.slug


def _chart_text_px(page, image) -> float:
    """The size, in screen pixels, at which the chart's axis labels are drawn."""
    image.scroll_into_view_if_needed()  # the charts load lazily, when they come into view
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    source = image.evaluate("img => img.currentSrc")
    assert source.endswith("?size=narrow"), source
    svg = page.request.get(source).text()
    font = int(AXIS_FONT_PX.search(svg).group(1))
    drawn_width = int(VIEWBOX_WIDTH.search(svg).group(1))
    return font * image.evaluate("img => img.clientWidth") / drawn_width


def test_the_outcome_report_reads_on_a_phone(live_app, new_context, app):
    base = live_app
    slug = _seed_report(app)
    page = new_context().new_page()
    console = watch_console(page)
    log_in(page, base, "report@ashikaga.example")
    page.goto(f"{base}/orgs/{slug}/outcomes")
    assert page.evaluate(TOO_WIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The figures as a card per cohort: the main ones shown, the rest a tap away.
    assert not page.locator("table.figures").is_visible()
    card = page.locator("li.outcome-card").filter(has_text="2026年春 第1期")
    assert card.locator("dd").first.inner_text() == "6"
    earnings = card.locator("details dl")
    assert not earnings.is_visible()
    card.locator("summary").click()
    assert "¥" in earnings.inner_text()

    for chart in ("progress", "earnings"):
        image = page.locator(f"picture img[src$='/outcomes/{chart}.svg']")
        assert _chart_text_px(page, image) >= 12, chart  # drawn for the phone, not shrunk
    svg = page.request.get(f"{base}/orgs/{slug}/outcomes/earnings.svg?size=narrow").text()
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "1人" in labels and not [t for t in labels if re.fullmatch(r"\d+\.\d+", t)]
    assert page.evaluate(TOO_WIDE) == []
    assert not [line for line in console if "Content Security Policy" in line], console
