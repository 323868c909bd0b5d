"""A director, a member and a coordinator on a phone (390 px wide), in Japanese: the receipt,
the job form, an assignment's terms, the earnings and a coordinator's home read right, with
dates as 2026/12/05 and months as 2026年11月, and no page scrolls sideways."""

from __future__ import annotations

import re
from datetime import date

from teamhub.clock import today_jst
from teamhub.extensions import db
from teamhub.jobs.splitting import SplitLine, save_split
from teamhub.payouts import periods
from teamhub.payouts import services as payouts
from teamhub.teams.models import Membership
from tests import factories
from tests import training_factories as tf
from tests.browser.test_job_journey import log_in

ISO_DAY_OR_MONTH = re.compile(r"\b20\d\d-\d\d\b")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def read(page, url: str) -> str:
    """Open ``url``; the page's visible text, after checking it fits a phone's width and
    writes no day or month the ISO way."""
    page.goto(url)
    assert page.evaluate("innerWidth") == 390
    assert fits_the_phone(page), url
    text = page.inner_text("main")
    assert not ISO_DAY_OR_MONTH.search(text), (url, text)
    return text


def _a_team_with_a_paid_month_and_an_offer():
    roles = factories.team_with_roles(payer_type="individual")
    team = db.session.get(factories.Team, roles.team.id)
    member = db.session.get(Membership, roles.member_membership)
    _start, end = periods.previous_period("month_end", today_jst())
    close = factories.closed_month(team, None, member, 30_000, period_end=end)
    payouts.mark_paid(close, today_jst())
    job = factories.make_job(
        team, source="crowdworks", contract_yen=10_000, tax_yen=1_000, unit_count=4,
        unit_name="3,000字の記事", title="島の観光記事", expected_payment_on=date(2027, 1, 20),
    )  # fmt: skip
    director = db.session.get(Membership, roles.director_membership)
    factories.give_capacity(member)
    line = SplitLine(membership_id=member.id, units=4, due_at=job.due_at)
    [offer] = save_split(job, director, [line], 0, 0).created
    return roles, job.id, offer.id, end


def test_the_fixed_pages_read_right_on_a_phone_in_japanese(app, live_app, new_context):
    base = live_app
    with app.app_context():
        roles, job_id, offer_id, month_end = _a_team_with_a_paid_month_and_an_offer()
        org = tf.make_organisation(name="足利しごと応援ネット")
        coordinator = tf.appoint(org)
        tf.make_cohort(org, tf.make_curriculum(org), name="2026年春 第2期")
        db.session.commit()
        slug, coordinator_email = roles.team.slug, coordinator.email

    director = new_context().new_page()
    log_in(director, base, roles.director.email)
    receipt = read(director, f"{base}/teams/{slug}/jobs/{job_id}/receipt")
    # CrowdWorks keeps 20% of ¥11,000 and 10% tax on that fee: ¥2,420.
    assert re.search(r"契約金額（税込）\s+¥11,000\s+システム利用料（見込み）\s+-¥2,420\s+"
                     r"受取額（見込み）\s+¥8,580", receipt), receipt  # fmt: skip
    read(director, f"{base}/teams/{slug}/jobs/new")
    styles = director.evaluate(
        """['due_date', 'due_time'].map(name => {
             const s = getComputedStyle(document.querySelector(`input[name=${name}]`));
             return [s.minHeight, s.borderRadius, s.borderTopColor, s.paddingLeft];
           })"""
    )
    assert styles[0] == styles[1] and styles[1][0] == "44px"  # the time input like the others

    member = new_context().new_page()
    log_in(member, base, roles.member.email)
    terms = read(member, f"{base}/teams/{slug}/assignments/{offer_id}")
    assert "3,000字の記事 × 4" in terms and "4 3,000字" not in terms
    assert "2027/01/20（水）" in terms and f"{today_jst():%Y/%m/%d}" in terms
    earnings = read(member, f"{base}/teams/{slug}/earnings")
    assert f"{month_end.year}年{month_end.month}月" in earnings

    coordinator_page = new_context().new_page()
    log_in(coordinator_page, base, coordinator_email)
    home = read(coordinator_page, f"{base}/")
    sections = coordinator_page.eval_on_selector_all(
        "main section", "sections => sections.map(s => s.id)"
    )
    assert sections == ["my-organisations"]
    assert "足利しごと応援ネット" in home and "2026年春 第2期" in home
    assert "まだどのチームにも参加していません" not in home
