"""A month's payout in a real browser: received money, preview, confirm, paid; the member's statement."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, time

from teamhub.clock import JST, today_jst
from teamhub.extensions import db
from teamhub.payouts import periods
from tests import factories
from tests.browser.test_job_journey import log_in


def test_director_pays_out_a_month_and_the_member_downloads_the_statement(
    app, live_app, new_context
):
    base = live_app
    start, end = periods.previous_period("month_end", today_jst())
    with app.app_context():
        roles = factories.team_with_roles(payer_type="corporation")
        team = db.session.get(factories.Team, roles.team.id)
        job = factories.make_job(
            team, source="crowdworks", contract_yen=10_000, tax_yen=1_000, unit_count=4,
            title="島の観光記事",
        )  # fmt: skip
        delivered = datetime.combine(start, time(10, 0), tzinfo=JST).astimezone(UTC)
        factories.approved_assignment(job, roles.member_membership, delivered, units=4)
        db.session.commit()
        slug = team.slug

    director = new_context().new_page()
    log_in(director, base, roles.director.email)
    director.goto(f"{base}/teams/{slug}/payouts")
    director.click("text=受取額を記録する")
    assert (
        director.input_value("input[name=received_yen]") == "8580"
    )  # CrowdWorks: ¥11,000 - ¥2,420
    director.fill("input[name=received_yen]", "8580")
    director.fill("input[name=received_on]", end.isoformat())
    director.click("form button.primary")
    director.wait_for_url(f"{base}/teams/{slug}/payouts")

    director.select_option("select[name=period_end]", end.isoformat())
    director.click("form[action$='/payouts/preview'] button")
    summary = director.inner_text("#summary")
    # fee 10% of 8,580 = 858 → 7,722 to the member; withholding 10.21% = 788
    assert "¥8,580" in summary and "¥858" in summary and "¥7,722" in summary and "¥788" in summary
    director.click("#confirm-close")
    director.wait_for_url(re.compile(rf"{base}/teams/{slug}/payouts/\d+$"))
    close_url = director.url
    director.fill("input[name=paid_on]", today_jst().isoformat())
    director.click("#mark-paid")
    director.wait_for_url(close_url)
    assert "締めを支払済みにしました。" in director.content()

    member = new_context().new_page()
    log_in(member, base, roles.member.email)
    member.goto(f"{base}/teams/{slug}/earnings")
    assert "¥6,934" in member.content()  # 7,722 - 788
    member.click(f"a[href*='/statements/{roles.member_membership}']")
    assert "島の観光記事" in member.inner_text("#statement")
    with member.expect_download() as download_info:
        member.click("#csv")
    data = download_info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["対象期間", "メンバー", "案件"] and rows[1][2] == "島の観光記事"
    assert rows[-1][2:5] == ["差引支払額", "", "6934"]
