"""Payouts: received money, team fee, shares, withholding, closes and the append-only ledger."""

from __future__ import annotations

import functools
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamhub import money
from teamhub.assignments.models import Assignment
from teamhub.errors import Invalid
from teamhub.extensions import db
from teamhub.jobs.models import Job
from teamhub.payouts import periods, queries, services
from teamhub.payouts.models import ClosedJob, LedgerEntry, LedgerIsAppendOnly, PayoutClose
from teamhub.teams.models import Membership, Team
from tests.factories import (
    add_member,
    approved_assignment,
    closed_month,
    make_job,
    make_person,
    make_team,
)


def approved(job, member, units=0, fixed_yen=None, submitted_on=date(2026, 10, 5)) -> Assignment:
    delivered = datetime(submitted_on.year, submitted_on.month, submitted_on.day, 1, 0, tzinfo=UTC)
    return approved_assignment(job, member.id, delivered, units=units, fixed_yen=fixed_yen)


@pytest.fixture
def team(ctx):
    director = make_person()
    team = make_team(director, payer_type="corporation", fee_rate_bp=1000)
    return team


def test_estimated_receipt_uses_the_platform_schedule(team):
    job = make_job(team, source="crowdworks", contract_yen=10_000, tax_yen=1_000)
    assert services.estimated_received(job) == 8_580  # fee ¥2,420 on ¥11,000
    lancers = make_job(team, source="lancers", contract_yen=10_000, tax_yen=1_000)
    assert services.estimated_received(lancers) == 11_000 - 1_815


def test_a_month_close_reconciles_to_the_yen(team):
    a, b, c = (add_member(team) for _ in range(3))
    cw = make_job(
        team,
        source="crowdworks",
        contract_yen=120_000,
        tax_yen=12_000,
        unit_count=40,
        category="writing",
    )
    lan = make_job(
        team, source="lancers", contract_yen=50_000, tax_yen=5_000, unit_count=10, category="design"
    )
    services.record_receipt(cw, 105_600, date(2026, 10, 20))
    services.record_receipt(lan, 45_925, date(2026, 10, 25), team_fee_bp=800)
    approved(cw, a, units=13)
    approved(cw, b, units=14)
    approved(cw, c, units=13)
    approved(lan, a, fixed_yen=10_000)
    approved(lan, b, units=6)
    approved(lan, c, units=4)
    preview = services.preview_close(team, date(2026, 10, 31))
    # CrowdWorks: fee floor(105,600 × 10%) = 10,560 → 95,040 by 13/14/13 units.
    # Lancers: fee floor(45,925 × 8%) = 3,674 → 42,251; fixed 10,000 first, 32,251 by 6/4 units.
    assert preview.received_yen == 151_525
    assert preview.team_fee_yen == 14_234
    gross = {st.membership.id: st.gross_yen for st in preview.statements}
    assert gross == {a.id: 30_888 + 10_000, b.id: 33_264 + 19_351, c.id: 30_888 + 12_900}
    assert (
        preview.distributed_yen + preview.team_fee_yen + preview.retained_yen
        == preview.received_yen
    )
    withheld = {st.membership.id: st.withheld_yen for st in preview.statements}
    assert withheld == {a.id: 4_174, b.id: 5_371, c.id: 4_470}  # 10.21%, fractions dropped
    close = services.confirm_close(team, date(2026, 10, 31), None)
    summary = queries.summary(close)
    assert summary.balance_yen == 0
    assert (summary.received_yen, summary.team_fee_yen, summary.distributed_yen, summary.withheld_yen) == (
        151_525, 14_234, preview.distributed_yen, 14_015,
    )  # fmt: skip
    statements = queries.statements(close)
    assert sum(s.gross_yen for s in statements) == summary.distributed_yen
    assert sum(s.withheld_yen for s in statements) == summary.withheld_yen
    assert {s.membership.id: s.net_yen for s in statements} == {
        m: gross[m] - withheld[m] for m in gross
    }
    total = db.session.scalar(
        sa.select(sa.func.sum(LedgerEntry.amount_yen)).where(LedgerEntry.close_id == close.id)
    )
    assert total == 0


def test_no_withholding_for_individual_payers_or_unlisted_work(ctx):
    team = make_team(make_person(), payer_type="individual")
    member = add_member(team)
    job = make_job(team, category="writing")
    services.record_receipt(job, 100_000, date(2026, 10, 20))
    approved(job, member, units=10)
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.withheld_yen == 0 and statement.net_yen == 90_000
    corp = make_team(make_person(), payer_type="corporation")
    entry = make_job(corp, category="data_entry")
    services.record_receipt(entry, 100_000, date(2026, 10, 20))
    approved(entry, add_member(corp), units=10)
    [statement] = services.preview_close(corp, date(2026, 10, 31)).statements
    assert statement.withheld_yen == 0


def test_fixed_amounts_beyond_what_was_received_refuse_the_close(team):
    member = add_member(team)
    fine = make_job(team)  # received first: settled before the next is refused
    services.record_receipt(fine, 100_000, date(2026, 10, 10))
    approved(fine, member, units=4)
    job = make_job(team)
    services.record_receipt(job, 10_000, date(2026, 10, 20))
    approved(job, member, fixed_yen=9_500)
    with pytest.raises(Invalid) as refused:
        services.preview_close(team, date(2026, 10, 31))
    assert "9,500" in refused.value.message and "9,000" in refused.value.message
    with pytest.raises(Invalid):
        services.confirm_close(team, date(2026, 10, 31), None)
    # Nothing of the close stays, and the transaction goes on.
    for model in (PayoutClose, ClosedJob, LedgerEntry):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    services.record_receipt(job, 20_000, date(2026, 10, 20))
    close = services.confirm_close(team, date(2026, 10, 31), None)
    entries = db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id))
    assert sum(e.amount_yen for e in entries) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClosedJob)) == 2


def test_payment_due_dates_follow_the_freelance_act(team):
    member = add_member(team)
    job = make_job(team)
    services.record_receipt(job, 50_000, date(2026, 10, 20))
    approved(job, member, units=5, submitted_on=date(2026, 10, 5))
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.payment_due_on == date(2026, 12, 3)  # 5 Oct is day 1, 3 Dec is day 60
    # Received when first delivered (in Japan's calendar), however late the approval came.
    work = db.session.scalars(sa.select(Assignment).where(Assignment.job_id == job.id)).one()
    work.first_submitted_at = datetime(2026, 10, 3, 15, 30, tzinfo=UTC)  # 4 Oct, 00:30 JST
    work.approved_at = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    db.session.flush()
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.payment_due_on == date(2026, 12, 2)
    work.first_submitted_at = None  # approved without a recorded delivery: received on approval
    db.session.flush()
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.payment_due_on == date(2026, 12, 23)
    job.reentrustment = True
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.payment_due_on == date(2026, 11, 18)  # 30 days counting 20 Oct as day 1
    team.payer_type = "individual"
    [statement] = services.preview_close(team, date(2026, 10, 31)).statements
    assert statement.payment_due_on == date(2026, 11, 10)


def test_the_database_lets_an_entry_be_reversed_only_once(team):
    """The rule holds in the database, not only in the services: a second entry reversing the
    same entry is refused, while any number of entries reverse nothing."""
    close = closed_month(team, None, add_member(team))
    entries = db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id))
    share = next(e for e in entries if e.kind == "share")
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                LedgerEntry.close_id == close.id, LedgerEntry.reverses_id.is_(None)
            )
        )
        > 1
    )

    def reversal() -> dict:
        return {
            "team_id": share.team_id, "close_id": share.close_id, "job_id": share.job_id,
            "account": share.account, "amount_yen": -share.amount_yen, "units": -share.units,
            "kind": share.kind, "note": "", "reverses_id": share.id,
            "created_at": datetime(2026, 11, 2, tzinfo=UTC),
        }  # fmt: skip

    db.session.execute(sa.insert(LedgerEntry), [reversal()])
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.insert(LedgerEntry), [reversal()])


def test_only_finished_received_work_is_closed_and_only_once(team):
    member = add_member(team)
    done = make_job(team)
    services.record_receipt(done, 30_000, date(2026, 9, 20))
    approved(done, member, units=3)
    busy = make_job(team)
    services.record_receipt(busy, 30_000, date(2026, 9, 20))
    approved(busy, member, units=3)
    db.session.add(Assignment(team_id=team.id, job_id=busy.id, membership_id=member.id, units=3,
                              state="in_progress", due_at=busy.due_at))  # fmt: skip
    unpaid = make_job(team)
    approved(unpaid, member, units=3)
    later = make_job(team)
    services.record_receipt(later, 30_000, date(2026, 9, 20))
    later.received_on = date(2026, 10, 2)
    approved(later, member, units=3)
    preview = services.preview_close(team, date(2026, 9, 30))
    assert [s.job.id for s in preview.settlements] == [done.id]
    services.confirm_close(team, date(2026, 9, 30), None)
    october = services.preview_close(team, date(2026, 10, 31))
    assert [s.job.id for s in october.settlements] == [later.id]


def test_a_period_without_work_to_pay_out_is_not_closed(team):
    """Nothing approved on received jobs: the close is refused with the preview's words, and
    nothing is written."""
    job = make_job(team)
    approved(job, add_member(team), units=3)  # its money not received yet
    assert services.preview_close(team, date(2026, 10, 31)).statements == []
    with pytest.raises(services.NothingToClose) as refused:
        services.confirm_close(team, date(2026, 10, 31), None)
    assert refused.value.message.startswith("この期間に支払うものはありません")
    for model in (PayoutClose, ClosedJob, LedgerEntry):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_confirming_twice_gives_the_same_close(team):
    job = make_job(team)
    services.record_receipt(job, 30_000, date(2026, 10, 20))
    approved(job, add_member(team), units=3)
    first = services.confirm_close(team, date(2026, 10, 31), None)
    entries = db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)))
    again = services.confirm_close(team, date(2026, 10, 31), None)
    assert again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == entries
    assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 1


def test_ledger_entries_cannot_be_changed_or_deleted(team):
    job = make_job(team)
    services.record_receipt(job, 30_000, date(2026, 10, 20))
    approved(job, add_member(team), units=3)
    services.confirm_close(team, date(2026, 10, 31), None)
    entry = db.session.scalars(sa.select(LedgerEntry)).first()
    with pytest.raises(LedgerIsAppendOnly), db.session.begin_nested():
        entry.amount_yen += 1
    with pytest.raises(LedgerIsAppendOnly), db.session.begin_nested():
        db.session.delete(db.session.get(LedgerEntry, entry.id))
    assert db.session.get(LedgerEntry, entry.id).amount_yen == 30_000


def test_no_code_path_updates_or_deletes_ledger_entries():
    root = Path(__file__).parent.parent / "teamhub"
    pattern = re.compile(r"(update|delete)\(\s*LedgerEntry|LedgerEntry\.__table__\.(update|delete)")
    offenders = [
        str(path) for path in root.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_receipts_are_checked(team):
    job = make_job(team, contract_yen=10_000, tax_yen=1_000)
    for bad in (
        {"received_yen": -1},
        {"received_yen": 11_001},
        {"received_on": date(2099, 1, 1)},
        {"team_fee_bp": 9000},
    ):
        args = {"received_yen": 8_580, "received_on": date(2026, 10, 1)} | bad
        with pytest.raises(Invalid):
            services.record_receipt(job, **args)


def test_periods():
    assert periods.period_containing("month_end", date(2026, 2, 14)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert periods.period_containing("semi_monthly", date(2026, 2, 15)) == (
        date(2026, 2, 1),
        date(2026, 2, 15),
    )
    assert periods.period_containing("semi_monthly", date(2026, 2, 16)) == (
        date(2026, 2, 16),
        date(2026, 2, 28),
    )
    assert periods.withholding_due_on(date(2026, 12, 31)) == date(2027, 1, 10)
    assert periods.withholding_due_on(date(2026, 10, 15)) == date(2026, 11, 10)


def test_statement_csv_opens_in_japanese_excel(team):
    member = add_member(team)
    job = make_job(team, title="観光記事")
    services.record_receipt(job, 30_000, date(2026, 10, 20))
    approved(job, member, units=3)
    close = services.confirm_close(team, date(2026, 10, 31), None)
    [statement] = queries.statements(close, member.id)
    data = queries.statement_csv(statement)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("対象期間,メンバー,案件,件数,報酬額")
    assert "観光記事" in text and "\r\n" in text
    assert f",{statement.net_yen}," in text


@settings(max_examples=200, deadline=None)
@given(
    received=st.integers(0, 5_000_000),
    fee_bp=st.integers(0, 5000),
    kept=st.integers(0, 5),
    units=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    fixed=st.lists(st.integers(1, 200_000), max_size=2),
)
def test_settlement_accounts_for_every_yen(received, fee_bp, kept, units, fixed):
    """Transient rows, no database: every yen received lands in exactly one place."""
    team = Team(payer_type="corporation", fee_rate_bp=1000)
    job = Job(received_yen=received, received_on=date(2026, 10, 1), team_fee_bp=fee_bp,
              kept_units=kept, category="writing", reentrustment=False)  # fmt: skip
    on = datetime(2026, 10, 5, 1, 0, tzinfo=UTC)
    work = functools.partial(services.ApprovedWork, job_id=1, membership_id=1, received_at=on)
    rows = [work(i, units=u, pay_basis="units", fixed_yen=None, job=job, membership=None)
            for i, u in enumerate(units)]  # fmt: skip
    rows += [work(-i, units=0, pay_basis="fixed", fixed_yen=f, job=job, membership=None)
             for i, f in enumerate(fixed)]  # fmt: skip
    try:
        settlement = services.settle(team, job, rows, date(2026, 10, 31))
    except Invalid:
        assert sum(fixed) > received - received * fee_bp // 10_000
        return
    shares = [s.gross_yen for s in settlement.shares]
    assert all(s >= 0 for s in shares)
    assert sum(shares) + settlement.team_fee_yen + settlement.retained_yen == received
    assert settlement.retained_yen >= 0
    assert [s.gross_yen for s in settlement.shares if s.assignment.pay_basis == "fixed"] == fixed
    if any(units) and not kept:
        assert settlement.retained_yen == 0
    net = [s.gross_yen - money.withholding(s.gross_yen) for s in settlement.shares]
    assert all(n >= 0 for n in net)


@pytest.mark.commits
def test_two_concurrent_confirmations_make_one_close(app):
    """Two requests at once (a double click, a second scheduler): one close, one set of entries."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("needs PostgreSQL: SQLite serialises writers")
        team = make_team(make_person())
        job = make_job(team)
        job.received_yen, job.received_on = 30_000, date(2026, 10, 20)
        approved(job, add_member(team), units=3)
        db.session.commit()
        team_id = team.id
    barrier = threading.Barrier(2)
    results, errors = [], []

    def confirm():
        with app.app_context():
            try:
                team = db.session.get(Team, team_id)
                barrier.wait()
                close = services.confirm_close(team, date(2026, 10, 31), None)
                db.session.commit()
                results.append(close.id)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert len(set(results)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PayoutClose.id))) == 1
        entries = db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)))
        assert entries == 3  # received, team fee, one member share (no withholding: individual)
        assert (
            db.session.get(
                Membership,
                db.session.scalar(
                    sa.select(LedgerEntry.membership_id).where(
                        LedgerEntry.membership_id.is_not(None)
                    )
                ),
            )
            is not None
        )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corrections=st.lists(st.integers(0, 80_000), min_size=1, max_size=4))
def test_corrections_keep_every_close_balanced(ctx, corrections):
    """However often a line is corrected, the close sums to zero and withholding follows the pay."""
    savepoint = db.session.begin_nested()
    team = make_team(make_person(), payer_type="corporation")
    member = add_member(team)
    job = make_job(team, source="direct", category="writing")
    services.record_receipt(job, 50_000, date(2026, 10, 20))
    approved(job, member, units=4)
    close = services.confirm_close(team, date(2026, 10, 31), None)
    for amount in corrections:
        [statement] = queries.statements(close, member.id)
        [line] = [ln for ln in statement.lines if ln.correctable]
        if amount != line.gross_yen:
            services.correct_share(team, close, line.entry_id, amount, "訂正", None)
        [statement] = queries.statements(close, member.id)
        assert statement.gross_yen == amount
        assert statement.withheld_yen == money.withholding(amount)
        assert statement.net_yen >= 0
        assert queries.summary(close).balance_yen == 0
        total = db.session.scalar(
            sa.select(sa.func.sum(LedgerEntry.amount_yen)).where(LedgerEntry.close_id == close.id)
        )
        assert total == 0
    savepoint.rollback()


def test_earnings_add_statements_up_by_month_and_year():
    def ref(period_end, gross, withheld):
        return queries.StatementRef(7, period_end.replace(day=1), period_end, gross, withheld)

    statements = [
        ref(date(2026, 10, 31), 40_000, 4_084),
        ref(date(2026, 10, 31), 2_000, 0),  # a correction in the same month
        ref(date(2026, 9, 30), 10_000, 1_021),
        ref(date(2025, 12, 31), 5_000, 0),
    ]
    months, years = queries.earnings(statements)
    assert [(m.period, m.gross_yen, m.withheld_yen, m.net_yen) for m in months] == [
        (date(2026, 10, 1), 42_000, 4_084, 37_916),
        (date(2026, 9, 1), 10_000, 1_021, 8_979),
        (date(2025, 12, 1), 5_000, 0, 5_000),
    ]
    assert [(y.period, y.gross_yen, y.net_yen) for y in years] == [
        (date(2026, 1, 1), 52_000, 46_895),
        (date(2025, 1, 1), 5_000, 5_000),
    ]
