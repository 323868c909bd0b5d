"""Payout pages as directors and members use them: receipts, closes, statements, corrections."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from teamhub.clock import today_jst
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts import queries, services
from teamhub.payouts.models import FeeScheduleRow, LedgerEntry, PayoutClose
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.conftest import login_as


@pytest.fixture
def october(app, team_with_roles):
    """A corporation team whose member delivered 8 of 10 units of a received Lancers job in October."""
    roles = team_with_roles
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        team.payer_type = "corporation"
        job = factories.make_job(
            team,
            source="lancers",
            contract_yen=50_000,
            tax_yen=5_000,
            unit_count=10,
            title="島の記事",
        )
        delivered = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
        factories.approved_assignment(job, roles.member_membership, delivered, units=8)
        db.session.commit()
        return roles, job.id


def test_director_records_receipt_previews_confirms_and_marks_paid(app, october):
    roles, job_id = october
    slug = roles.team.slug
    director = login_as(app, roles.director.email)
    page = director.get(f"/teams/{slug}/payouts").get_data(as_text=True)
    assert "島の記事" in page  # money still to record
    form = director.get(f"/teams/{slug}/jobs/{job_id}/receipt").get_data(as_text=True)
    assert 'value="45925"' in form  # the estimate: ¥55,000 less Lancers' 16.5%
    estimate = re.search(r'<dl class="facts" id="receipt-estimate">(.*?)</dl>', form, re.S)[1]
    assert re.findall(r"<dt>([^<]+)</dt><dd>(?:<strong>)?([^<]+)<", estimate) == [
        ("契約金額（税込）", "¥55,000"),
        ("システム利用料（見込み）", "-¥9,075"),
        ("受取額（見込み）", "¥45,925"),
    ]
    answer = director.post(
        f"/teams/{slug}/jobs/{job_id}/receipt",
        data={"received_yen": "４５，９００円", "received_on": "2026-10-20", "team_fee": "10"},
    )
    assert answer.status_code == 302
    preview = director.get(f"/teams/{slug}/payouts/preview?period_end=2026-10-31")
    text = preview.get_data(as_text=True)
    # 45,900 - fee 4,590 = 41,310; the member had 8 of 8 approved units; withholding 10.21%.
    assert "¥45,900" in text and "¥4,590" in text and "¥41,310" in text and "¥4,217" in text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 0
    confirmed = director.post(f"/teams/{slug}/payouts/confirm", data={"period_end": "2026-10-31"})
    assert confirmed.status_code == 302
    again = director.post(f"/teams/{slug}/payouts/confirm", data={"period_end": "2026-10-31"})
    assert again.location == confirmed.location  # a double click lands on the same close
    with app.app_context():
        close = db.session.scalar(sa.select(PayoutClose))
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 1
    future = director.post(f"/teams/{slug}/payouts/{close.id}/paid", data={"paid_on": "2099-01-01"})
    assert future.status_code == 422
    paid = director.post(f"/teams/{slug}/payouts/{close.id}/paid", data={"paid_on": "2026-11-10"})
    assert paid.status_code == 302
    with app.app_context():
        close = db.session.get(PayoutClose, close.id)
        assert (close.status, close.paid_on) == ("paid", date(2026, 11, 10))


def test_receipt_form_refuses_bad_input_without_writing(app, october):
    roles, job_id = october
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/jobs/{job_id}/receipt"
    for bad in (
        {"received_yen": "abc", "received_on": "2026-10-20"},
        {"received_yen": "99999999", "received_on": "2026-10-20"},
        {"received_yen": "40000", "received_on": "2099-10-20"},
        {"received_yen": "40000", "received_on": "not a date"},
        {"received_yen": "40000", "received_on": "2026-10-20", "team_fee": "80"},
        {"received_yen": "-5", "received_on": "2026-10-20"},
        {"received_yen": "9" * 40, "received_on": "2026-10-20"},
        {"received_yen": "40000", "received_on": "0001-01-01"},
        {"received_yen": "40000", "received_on": "2026-10-20", "team_fee": "sNaN"},
        {"received_yen": "40000\x00", "received_on": "2026-10-20"},
    ):
        answer = director.post(url, data=bad)
        assert answer.status_code == 422, bad
        assert 'class="error"' in answer.get_data(as_text=True), bad
    with app.app_context():
        assert db.session.get(Job, job_id).received_yen is None


def test_closes_refuse_bad_periods_with_a_message(app, october):
    roles, _job_id = october
    director = login_as(app, roles.director.email)
    base = f"/teams/{roles.team.slug}/payouts"
    for period in ("nonsense", "2026-10-30", "", "0001-01-31", "9999-12-31", "2026-10-31\x00"):
        assert director.get(f"{base}/preview?period_end={period}").status_code == 422
        assert director.post(f"{base}/confirm", data={"period_end": period}).status_code == 422
    not_over = today_jst().replace(day=1) + timedelta(days=40)
    not_over = not_over.replace(day=1) - timedelta(days=1)
    assert director.get(f"{base}/preview?period_end={not_over.isoformat()}").status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 0


def test_a_period_with_nothing_to_pay_out_cannot_be_confirmed(app, october):
    """The preview offers no confirmation; a confirmation sent anyway is refused the same way."""
    roles, _job_id = october  # its money not received yet
    director = login_as(app, roles.director.email)
    base = f"/teams/{roles.team.slug}/payouts"
    preview = director.get(f"{base}/preview?period_end=2026-10-31").get_data(as_text=True)
    assert f"{base}/confirm" not in preview
    refused = director.post(f"{base}/confirm", data={"period_end": "2026-10-31"})
    assert refused.status_code == 422
    assert "この期間に支払うものはありません" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 0


def _close(app, roles, job_id):
    with app.app_context():
        job = db.session.get(Job, job_id)
        services.record_receipt(job, 45_900, date(2026, 10, 20))
        close = services.confirm_close(job.team, date(2026, 10, 31), None)
        db.session.commit()
        return close.id


def test_member_reads_own_statement_and_csv_others_get_404(app, october, make_person):
    roles, job_id = october
    close_id = _close(app, roles, job_id)
    slug, mid = roles.team.slug, roles.member_membership
    member = login_as(app, roles.member.email)
    page = member.get(f"/teams/{slug}/payouts/{close_id}/statements/{mid}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "島の記事" in text and "¥41,310" in text and "¥37,093" in text  # net after ¥4,217
    assert "Correct a line" not in text and "訂正" not in text  # members cannot correct
    download = member.get(f"/teams/{slug}/payouts/{close_id}/statements/{mid}.csv")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["対象期間", "メンバー", "案件"]
    assert rows[-1][2:5] == ["差引支払額", "", "37093"]
    earnings = member.get(f"/teams/{slug}/earnings").get_data(as_text=True)
    assert "2026年10月" in earnings and "2026年" in earnings and "¥37,093" in earnings
    assert "2026-10" not in earnings
    link = f'href="/teams/{slug}/payouts/{close_id}/statements/{mid}">'
    assert link + "2026/10/01（木）〜2026/10/31（土）</a>" in earnings
    editor = login_as(app, roles.editor.email)
    assert editor.get(f"/teams/{slug}/payouts/{close_id}/statements/{mid}").status_code == 404
    assert editor.get(f"/teams/{slug}/payouts/{close_id}/statements/{mid}.csv").status_code == 404
    assert editor.get(f"/teams/{slug}/payouts/{close_id}").status_code == 403
    own_editor = f"/teams/{slug}/payouts/{close_id}/statements/{roles.editor_membership}"
    assert editor.get(own_editor).status_code == 404  # no statement of theirs in this close


def test_director_corrects_a_line_by_reversal(app, october):
    roles, job_id = october
    close_id = _close(app, roles, job_id)
    slug, mid = roles.team.slug, roles.member_membership
    director = login_as(app, roles.director.email)
    with app.app_context():
        [line] = queries.statements(db.session.get(PayoutClose, close_id))[0].lines
        entries_before = db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)))
    url = f"/teams/{slug}/payouts/{close_id}/statements/{mid}/correct"
    for refused in (
        {"entry_id": line.entry_id, "gross_yen": "40000", "reason": ""},
        {"entry_id": str(2**63), "gross_yen": "40000", "reason": "訂正"},
        {"entry_id": line.entry_id, "gross_yen": "9" * 40, "reason": "訂正"},
    ):
        assert director.post(url, data=refused).status_code == 422, refused
    answer = director.post(
        url, data={"entry_id": line.entry_id, "gross_yen": "40000", "reason": "1本は再納品"}
    )
    assert answer.status_code == 302
    twice = director.post(
        url, data={"entry_id": line.entry_id, "gross_yen": "39000", "reason": "もう一度"}
    )
    assert twice.status_code == 409
    with app.app_context():
        close = db.session.get(PayoutClose, close_id)
        [statement] = queries.statements(close, mid)
        assert [(ln.gross_yen, ln.reversal, ln.reversed) for ln in statement.lines] == [
            (41_310, False, True),
            (-41_310, True, False),
            (40_000, False, False),
        ]
        assert statement.gross_yen == 40_000
        assert statement.withheld_yen == 4_084  # 10.21% of 40,000
        summary = queries.summary(close)
        assert summary.balance_yen == 0
        assert (summary.distributed_yen, summary.withheld_yen) == (40_000, 4_084)
        total = db.session.scalar(
            sa.select(sa.func.sum(LedgerEntry.amount_yen)).where(LedgerEntry.close_id == close_id)
        )
        assert total == 0
        # nothing posted was changed: only new entries
        assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == entries_before + 7
    page = login_as(app, roles.member.email).get(
        f"/teams/{slug}/payouts/{close_id}/statements/{mid}"
    )
    assert "1本は再納品" in page.get_data(as_text=True)


def test_warnings_for_payments_due_and_overdue(app, october):
    roles, job_id = october
    close_id = _close(app, roles, job_id)
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        # delivered 5 Oct: day 60 is 3 Dec
        [soon] = queries.payment_warnings(team, date(2026, 11, 28))
        assert (soon.close.id, soon.due_on, soon.overdue) == (close_id, date(2026, 12, 3), False)
        assert queries.payment_warnings(team, date(2026, 11, 20)) == []
        [late] = queries.payment_warnings(team, date(2026, 12, 4))
        assert late.overdue
        services.mark_paid(db.session.get(PayoutClose, close_id), date(2026, 11, 20))
        assert queries.payment_warnings(team, date(2026, 12, 4)) == []


def test_team_settings_choose_the_payout_periods(app, team_with_roles):
    roles = team_with_roles
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/settings"
    with app.app_context():
        team = db.session.get(Team, roles.team.id)
        form = {
            "name": team.name, "slug": team.slug, "prefecture": team.prefecture,
            "municipality": team.municipality, "payer_type": team.payer_type, "fee_rate": "10",
        }  # fmt: skip
    assert director.post(url, data=form | {"close_schedule": "weekly"}).status_code == 422
    assert director.post(url, data=form | {"close_schedule": "semi_monthly"}).status_code == 302
    with app.app_context():
        assert db.session.get(Team, roles.team.id).close_schedule == "semi_monthly"
    index = director.get(f"/teams/{roles.team.slug}/payouts").get_data(as_text=True)
    assert 'value="' + _last_15th_or_month_end() + '"' in index


def _last_15th_or_month_end() -> str:
    today = today_jst()
    if today.day > 15:
        return today.replace(day=15).isoformat()
    return (today.replace(day=1) - timedelta(days=1)).isoformat()


def test_members_never_see_money_pages_of_the_team(app, october):
    roles, job_id = october
    slug = roles.team.slug
    for who in ("editor", "member"):
        client = login_as(app, getattr(roles, who).email)
        assert client.get(f"/teams/{slug}/payouts").status_code == 403
        assert client.get(f"/teams/{slug}/jobs/{job_id}/receipt").status_code == 403


def test_membership_rows_are_not_rewritten_by_closes(app, october):
    """A removed member's statement stays readable by the director (history is kept)."""
    roles, job_id = october
    close_id = _close(app, roles, job_id)
    with app.app_context():
        membership = db.session.get(Membership, roles.member_membership)
        membership.removed_at = datetime.now(UTC)
        db.session.commit()
    director = login_as(app, roles.director.email)
    url = f"/teams/{roles.team.slug}/payouts/{close_id}/statements/{roles.member_membership}"
    assert director.get(url).status_code == 200


def test_operator_edits_a_fee_schedule_and_estimates_follow(app, october, make_person):
    roles, job_id = october
    operator = make_person()
    with app.app_context():
        db.session.get(factories.Person, operator.id).is_operator = True
        db.session.commit()
    url = "/admin/fees/lancers"
    for who in (roles.director.email, roles.member.email):
        assert login_as(app, who).get(url).status_code == 403
        assert login_as(app, who).get("/admin/fees").status_code == 403
    client = login_as(app, operator.email)
    page = client.get("/admin/fees").get_data(as_text=True)
    # CrowdWorks and Lancers as seeded, written as people read fees; "direct" in Japanese.
    crowdworks = page.split('data-fee-schedule="crowdworks"')[1].split('data-fee-schedule="')[0]
    tiers = re.findall(r"<li>([^<]*)</li>", crowdworks)
    assert tiers == ["¥100,000まで 20%", "¥200,000まで 10%", "上限なし 5%"]
    lancers = page.split('data-fee-schedule="lancers"')[1].split('data-fee-schedule="')[0]
    assert re.findall(r"<li>([^<]*)</li>", lancers) == ["16.5%"]
    assert "クライアントから直接" in page and "Direct" not in page
    for bad in ("200000: 10\n100000: 20\n: 5", "100000: 20", "abc", "100000: 80\n: 5"):
        answer = client.post(url, data={"tiers": bad, "fee_tax": "0"})
        assert answer.status_code == 422, bad
        assert "%%" not in answer.get_data(as_text=True)  # a literal percent shows as one
        if bad.startswith("200000"):  # tiers that fall
            assert "消費税は0〜50%の範囲で" in answer.get_data(as_text=True)
    assert client.post(url, data={"tiers": ": 16.5", "fee_tax": "x"}).status_code == 422
    with app.app_context():
        assert services.estimated_received(db.session.get(Job, job_id)) == 55_000 - 9_075
    assert (
        client.post(url, data={"tiers": "１００，０００: 20\n: 10", "fee_tax": "0"}).status_code
        == 302
    )
    with app.app_context():
        # ¥55,000: 20% of all of it (under ¥100,000) = ¥11,000
        assert services.estimated_received(db.session.get(Job, job_id)) == 44_000
    assert client.get("/admin/fees/nosuch").status_code == 404
    with app.app_context():
        row = db.session.scalar(sa.select(FeeScheduleRow).where(FeeScheduleRow.code == "lancers"))
        assert row.tiers == [[100_000, 2000], [None, 1000]]


def test_no_my_number_field_exists_anywhere(app):
    with app.app_context():
        names = {c.name.lower() for t in db.metadata.tables.values() for c in t.columns}
    assert not {n for n in names if "my_number" in n or "mynumber" in n or "kojin" in n}


def test_a_refused_close_shows_the_numbers_on_the_payouts_page(app, october):
    roles, job_id = october
    with app.app_context():
        job = db.session.get(Job, job_id)
        services.record_receipt(job, 10_000, date(2026, 10, 20))
        helper = factories.add_member(job.team)
        delivered = datetime(2026, 10, 6, 1, 0, tzinfo=UTC)
        factories.approved_assignment(job, helper.id, delivered, fixed_yen=9_500)
        db.session.commit()
    director = login_as(app, roles.director.email)
    base = f"/teams/{roles.team.slug}/payouts"
    for answer in (
        director.get(f"{base}/preview?period_end=2026-10-31"),
        director.post(f"{base}/confirm", data={"period_end": "2026-10-31"}),
    ):
        assert answer.status_code == 422
        page = answer.get_data(as_text=True)
        assert 'id="close-refused"' in page and "9,500" in page and "9,000" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 0
