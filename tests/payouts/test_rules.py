"""The payout rules at their edges: a period's last day, whose close is whose, semi-monthly closes,
each payer type's due dates, who did what, and the rules of corrections, receipts, payment and the
platforms' fee schedules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from teamhub import money
from teamhub.assignments.models import Assignment
from teamhub.errors import Conflict, Invalid, NotAllowed, NotFound
from teamhub.extensions import db
from teamhub.payouts import periods, services
from teamhub.payouts.models import FeeScheduleRow, LedgerEntry, PaidDay
from teamhub.teams.models import PAYER_TYPES
from tests.factories import add_member, approved_assignment, make_job, make_person, make_team

OCT_31 = date(2026, 10, 31)
# Noon in Japan on a given day (time_machine moves utcnow, today_jst follows).
NOON_JST = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def noon_jst(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)


def received_work(team, member, received_on: date, units: int = 3, received_yen: int = 30_000):
    """A direct job received on ``received_on`` with ``units`` approved, delivered on the 5th."""
    job = make_job(team, source="direct", unit_count=units, title=f"記事 {received_on}")
    delivered = datetime(received_on.year, received_on.month, 5, 1, 0, tzinfo=UTC)
    approved_assignment(job, member.id, delivered, units=units)
    services.record_receipt(job, received_yen, received_on)
    return job


@pytest.fixture
def team(ctx):
    return make_team(make_person(), payer_type="corporation", fee_rate_bp=1000)


def closed_jobs(close) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(LedgerEntry.job_id).where(LedgerEntry.close_id == close.id).distinct()
        )
    )


def test_money_received_on_the_last_day_belongs_to_that_period(team):
    member = add_member(team)
    last_day = received_work(team, member, OCT_31)
    next_day = received_work(team, member, date(2026, 11, 1))
    with time_machine.travel(noon_jst(date(2026, 12, 1)), tick=False):
        october = services.confirm_close(team, OCT_31, None)
        november = services.confirm_close(team, date(2026, 11, 30), None)
    assert closed_jobs(october) == {last_day.id}
    assert closed_jobs(november) == {next_day.id}


def test_a_period_is_closed_only_after_its_last_day(team):
    received_work(team, add_member(team), date(2026, 10, 20))
    with time_machine.travel(noon_jst(OCT_31), tick=False), pytest.raises(Invalid) as refused:
        services.confirm_close(team, OCT_31, None)
    assert "2026/10/31" in refused.value.message
    with time_machine.travel(noon_jst(OCT_31), tick=False), pytest.raises(Invalid):
        services.preview_close(team, OCT_31)
    with time_machine.travel(noon_jst(date(2026, 11, 1)), tick=False):
        assert services.confirm_close(team, OCT_31, None).period_end == OCT_31
    with pytest.raises(Invalid):  # not the last day of a period
        services.preview_close(team, date(2026, 10, 30))


def test_find_close_gives_the_teams_own_close_of_that_period(ctx):
    teams = [make_team(make_person()) for _ in range(2)]
    closes = {}
    for team in teams:
        member = add_member(team)
        for end in (date(2026, 9, 30), OCT_31):
            received_work(team, member, end - timedelta(days=3))
            closes[team.id, end] = services.confirm_close(team, end, None)
    for (team_id, end), close in closes.items():
        team = next(t for t in teams if t.id == team_id)
        assert services.find_close(team, end).id == close.id
        assert (close.team_id, close.period_end) == (team_id, end)
    assert services.find_close(teams[0], date(2026, 8, 31)) is None
    assert len({c.id for c in closes.values()}) == 4


def test_semi_monthly_closes_end_to_end(ctx):
    team = make_team(make_person(), close_schedule="semi_monthly")
    member = add_member(team)
    first = received_work(team, member, date(2026, 10, 3))
    on_the_15th = received_work(team, member, date(2026, 10, 15))
    second = received_work(team, member, date(2026, 10, 16))
    with pytest.raises(Invalid):
        services.preview_close(team, OCT_31 - timedelta(days=17))  # 14 Oct ends no period
    with time_machine.travel(noon_jst(date(2026, 10, 15)), tick=False), pytest.raises(Invalid):
        services.confirm_close(team, date(2026, 10, 15), None)
    with time_machine.travel(noon_jst(date(2026, 10, 16)), tick=False):
        half = services.confirm_close(team, date(2026, 10, 15), None)
    assert (half.period_start, half.period_end) == (date(2026, 10, 1), date(2026, 10, 15))
    assert closed_jobs(half) == {first.id, on_the_15th.id}
    rest = services.confirm_close(team, OCT_31, None)
    assert (rest.period_start, rest.period_end) == (date(2026, 10, 16), OCT_31)
    assert closed_jobs(rest) == {second.id}
    # Individual payer: paid within 10 days of each close.
    [statement] = services.preview_close(team, date(2026, 11, 15)).statements or [None]
    assert statement is None
    share_due = db.session.scalars(
        sa.select(LedgerEntry.payment_due_on).where(
            LedgerEntry.close_id == half.id, LedgerEntry.kind == "share"
        )
    ).all()
    assert set(share_due) == {date(2026, 10, 25)}


# Payers with employees pay within 60 days of receiving the work (Freelance Act art. 4); the
# others within 10 days of the close.
SIXTY_DAYS = {"individual_employer", "corporation", "cooperative"}


@pytest.mark.parametrize("payer_type", PAYER_TYPES)
@pytest.mark.parametrize("reentrustment", [False, True])
def test_each_payer_types_payment_due_date(ctx, payer_type, reentrustment):
    team = make_team(make_person(), payer_type=payer_type)
    job = received_work(team, add_member(team), date(2026, 10, 20))
    job.reentrustment = reentrustment
    [statement] = services.preview_close(team, OCT_31).statements
    if payer_type not in SIXTY_DAYS:
        expected = date(2026, 11, 10)  # 10 days after the close
    elif reentrustment:
        expected = date(2026, 11, 18)  # 30 days from the platform's payment, 20 Oct day 1
    else:
        expected = date(2026, 12, 3)  # 60 days from delivery, 5 Oct day 1
    assert statement.payment_due_on == expected
    assert (statement.withheld_yen > 0) == (payer_type in SIXTY_DAYS)


def test_the_close_and_its_entries_record_who_confirmed_them(team):
    director = make_person()
    member = add_member(team)
    received_work(team, member, date(2026, 10, 20))
    with time_machine.travel(noon_jst(date(2026, 11, 2)), tick=False):
        close = services.confirm_close(team, OCT_31, director)
    assert close.confirmed_by_id == director.id
    entries = list(
        db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id))
    )
    assert {e.created_by_id for e in entries} == {director.id}
    assert {e.created_at for e in entries} == {noon_jst(date(2026, 11, 2))}
    # Only a share counts units of work; what the job brought in, the fee, withholding do not.
    assert {e.kind: e.units for e in entries if e.kind != "share"} == {"": 0, "withholding": 0}
    assert [e.units for e in entries if e.kind == "share"] == [3]
    other = make_team(make_person())
    received_work(other, add_member(other), date(2026, 10, 20))
    scheduled = services.confirm_close(other, OCT_31, None)  # the scheduler closes on its own
    assert scheduled.confirmed_by_id is None
    assert {
        e.created_by_id
        for e in db.session.scalars(
            sa.select(LedgerEntry).where(LedgerEntry.close_id == scheduled.id)
        )
    } == {None}


def close_with_share(team, received_yen: int = 100_000):
    member = add_member(team)
    received_work(team, member, date(2026, 10, 20), units=10, received_yen=received_yen)
    close = services.confirm_close(team, OCT_31, None)
    share = db.session.scalar(
        sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id, LedgerEntry.kind == "share")
    )
    return member, close, share


def live(close, kind: str) -> list[LedgerEntry]:
    reversed_ids = {
        e.reverses_id
        for e in db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id))
    }
    return [
        e
        for e in db.session.scalars(
            sa.select(LedgerEntry)
            .where(LedgerEntry.close_id == close.id, LedgerEntry.kind == kind)
            .order_by(LedgerEntry.id)
        )
        if e.reverses_id is None and e.id not in reversed_ids
    ]


def test_a_correction_reverses_the_line_posts_the_new_pay_and_redoes_withholding(team):
    member, close, share = close_with_share(team)
    assert share.amount_yen == -90_000
    [withheld, _tax_office] = live(close, "withholding")
    assert withheld.amount_yen == 9_189
    director = make_person()
    corrected = services.correct_share(team, close, share.id, 80_000, " 1本差し戻し ", director)
    assert (corrected.amount_yen, corrected.kind, corrected.note) == (
        -80_000,
        "share",
        " 1本差し戻し ",
    )
    assert (corrected.membership_id, corrected.units, corrected.created_by_id) == (
        member.id, 10, director.id,
    )  # fmt: skip
    entries = db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id))
    entries = list(entries)
    reversal = next(e for e in entries if e.reverses_id == share.id)
    assert (reversal.amount_yen, reversal.units, reversal.created_by_id) == (
        90_000,
        -10,
        director.id,
    )
    retained = [e for e in entries if e.account == "retained" and e.note]
    assert [e.amount_yen for e in retained] == [-10_000 + 0 + 0 + 0 * 1] and all(
        e.created_by_id == director.id for e in retained
    )
    member_withholding = [e for e in live(close, "withholding") if e.account == "member"]
    assert [e.amount_yen for e in member_withholding] == [8_168]  # 10.21 % of ¥80,000
    assert sum(e.amount_yen for e in entries) == 0, "the close still balances to the yen"
    with pytest.raises(Conflict):
        services.correct_share(team, close, share.id, 70_000, "again", director)
    raised = services.correct_share(team, close, corrected.id, 95_000, "追加", None)
    assert raised.amount_yen == -95_000 and raised.created_by_id is None


def test_a_correction_is_refused_when_it_names_no_share_of_the_close_or_changes_nothing(team):
    _member, close, share = close_with_share(team)
    other_team = make_team(make_person())
    _m, other_close, other_share = close_with_share(other_team)
    received = db.session.scalar(
        sa.select(LedgerEntry).where(
            LedgerEntry.close_id == close.id, LedgerEntry.account == "received"
        )
    )
    for entry_id in (other_share.id, received.id, 999_999):
        with pytest.raises(NotFound):
            services.correct_share(team, close, entry_id, 1, "x", None)
    corrected = services.correct_share(team, close, share.id, 1, "x", None)
    reversal = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.reverses_id == share.id))
    with pytest.raises(NotFound):
        services.correct_share(team, close, reversal.id, 2, "x", None)
    for gross, reason in ((-1, "x"), (1, "x"), (5, "  ")):
        with pytest.raises(Invalid) as refused:
            services.correct_share(team, close, corrected.id, gross, reason, None)
        assert set(refused.value.reasons) == ({"gross_yen"} if reason.strip() else {"reason"})
    assert services.correct_share(team, close, corrected.id, 0, "取り消し", None).amount_yen == 0
    assert other_close.id != close.id


def test_a_correction_of_a_paid_close_updates_the_paid_days(team):
    member, close, share = close_with_share(team)
    services.mark_paid(close, date(2026, 11, 5))
    assert db.session.scalar(sa.select(PaidDay.net_yen).where(PaidDay.person_id == member.person_id)) == 90_000 - 9_189  # fmt: skip
    services.correct_share(team, close, share.id, 80_000, "減額", None)
    assert db.session.scalar(sa.select(PaidDay.net_yen).where(PaidDay.person_id == member.person_id)) == 80_000 - 8_168  # fmt: skip


def test_marking_paid_needs_a_day_from_the_periods_end_to_today(team):
    member, close, _share = close_with_share(team)
    today = date(2026, 11, 20)
    with time_machine.travel(noon_jst(today), tick=False):
        for day in (today + timedelta(days=1), OCT_31 - timedelta(days=1)):
            with pytest.raises(Invalid) as refused:
                services.mark_paid(close, day)
            assert refused.value.reasons == {"paid_on": refused.value.message}
            assert refused.value.message
        assert close.status != "paid" and close.paid_on is None
        services.mark_paid(close, OCT_31)
        assert (close.status, close.paid_on) == ("paid", OCT_31)
        assert close.marked_paid_at == noon_jst(today)
        services.mark_paid(close, today)
        assert close.paid_on == today
    assert db.session.scalar(sa.select(PaidDay.paid_on).where(PaidDay.person_id == member.person_id)) == today  # fmt: skip


@pytest.mark.parametrize(
    ("received_yen", "fee_bp", "ok"),
    [(0, None, True), (11_000, None, True), (11_001, None, False), (-1, None, False),
     (5_000, 0, True), (5_000, 5_000, True), (5_000, 5_001, False), (5_000, -1, False)],
)  # fmt: skip
def test_receipts_within_the_contract_and_a_team_fee_up_to_50_percent(
    team, received_yen, fee_bp, ok
):
    job = make_job(team, contract_yen=10_000, tax_yen=1_000)
    record = lambda: services.record_receipt(job, received_yen, date(2026, 10, 1), fee_bp, True)  # noqa: E731
    if ok:
        record()
        assert (job.received_yen, job.received_on, job.team_fee_bp, job.reentrustment) == (
            received_yen, date(2026, 10, 1), fee_bp, True,
        )  # fmt: skip
    else:
        with pytest.raises(Invalid) as refused:
            record()
        assert set(refused.value.reasons) == {"received_yen" if fee_bp is None else "team_fee"}
        assert job.received_yen is None


def test_a_receipt_is_dated_today_at_the_latest_and_fixed_once_paid_out(team):
    job = make_job(team, source="direct", contract_yen=10_000, tax_yen=1_000)
    with time_machine.travel(noon_jst(date(2026, 11, 2)), tick=False):
        with pytest.raises(Invalid) as refused:
            services.record_receipt(job, 100, date(2026, 11, 3))
        assert set(refused.value.reasons) == {"received_on"}
        services.record_receipt(job, 100, date(2026, 11, 2))
    approved_assignment(job, add_member(team).id, datetime(2026, 10, 5, tzinfo=UTC), units=1)
    services.record_receipt(job, 9_000, date(2026, 10, 20))
    services.confirm_close(team, OCT_31, None)
    with pytest.raises(Conflict):
        services.record_receipt(job, 9_500, date(2026, 10, 20))
    assert job.received_yen == 9_000


def test_only_the_operator_changes_a_fee_schedule_and_estimates_follow(team):
    operator = make_person(is_operator=True)
    with pytest.raises(NotAllowed):
        services.update_fee_schedule(make_person(), "lancers", ": 10", 0)
    job = make_job(team, source="lancers", contract_yen=10_000, tax_yen=1_000)
    assert services.estimated_received(job) == 11_000 - 1_815
    services.update_fee_schedule(operator, "lancers", "１０,０００: 20\n\n: ５", 1_000)
    schedule = services.fee_schedule("lancers")
    assert [(t.upper_bound_yen, t.rate_bp) for t in schedule.tiers] == [
        (10_000, 2_000),
        (None, 500),
    ]
    assert (schedule.name, schedule.base, schedule.fee_tax_rate_bp) == (
        "Lancers",
        "incl_tax",
        1_000,
    )
    # 20 % of 10,000 + 5 % of 1,000 = 2,050, plus 10 % tax on the fee = 2,255
    assert services.estimated_received(job) == 11_000 - 2_255
    services.update_fee_schedule(operator, "lancers", ": 16.5", 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeeScheduleRow)) == 1
    assert services.tiers_text(services.fee_schedule("lancers")) == ": 16.5"
    assert services.fee_schedule("crowdworks").tiers[0].rate_bp == 2_000  # the others unchanged


@pytest.mark.parametrize(
    ("tiers", "tax"),
    [("200000: 10\n100000: 20\n: 5", 0), ("100000: 20", 0), (": 5\n: 5", 0), ("abc: 5", 0),
     (": 60", 0), (": five", 0), (": 5", None), (": 5", 10_001)],
)  # fmt: skip
def test_a_fee_schedule_must_rise_and_end_unbounded(team, tiers, tax):
    operator = make_person(is_operator=True)
    with pytest.raises(Invalid) as refused:
        services.update_fee_schedule(operator, "crowdworks", tiers, tax)
    assert set(refused.value.reasons) == {"tiers"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeeScheduleRow)) == 0


def test_tiers_are_read_and_written_one_per_line():
    tiers = services.parse_tiers(" ¥100,000 : 20 \n200000: 10\n\n: 5 ")
    assert [(t.upper_bound_yen, t.rate_bp) for t in tiers] == [
        (100_000, 2_000), (200_000, 1_000), (None, 500),
    ]  # fmt: skip
    with pytest.raises(Invalid) as refused:
        services.parse_tiers("100000: 20\nx: 10")
    assert "2" in refused.value.message


@pytest.mark.parametrize(
    ("schedule", "day", "ends", "previous"),
    [
        ("month_end", date(2026, 3, 1), False, (date(2026, 2, 1), date(2026, 2, 28))),
        ("month_end", date(2026, 2, 28), True, (date(2026, 1, 1), date(2026, 1, 31))),
        ("month_end", date(2026, 2, 15), False, (date(2026, 1, 1), date(2026, 1, 31))),
        ("semi_monthly", date(2026, 3, 10), False, (date(2026, 2, 16), date(2026, 2, 28))),
        ("semi_monthly", date(2026, 3, 15), True, (date(2026, 2, 16), date(2026, 2, 28))),
        ("semi_monthly", date(2026, 3, 16), False, (date(2026, 3, 1), date(2026, 3, 15))),
        ("semi_monthly", date(2024, 2, 29), True, (date(2024, 2, 1), date(2024, 2, 15))),
    ],
)
def test_period_ends_and_the_period_before(schedule, day, ends, previous):
    assert periods.is_period_end(schedule, day) is ends
    assert periods.previous_period(schedule, day) == previous


def test_a_preview_names_its_team_and_period(team):
    received_work(team, add_member(team), date(2026, 10, 20))
    preview = services.preview_close(team, OCT_31)
    assert (preview.team, preview.period_start, preview.period_end) == (
        team,
        date(2026, 10, 1),
        OCT_31,
    )
    assert preview.withholding_due_on == date(2026, 11, 10)


def test_a_job_paid_out_once_is_not_closed_again(ctx):
    """A team's only job, closed in September, is not in October's close."""
    team = make_team(make_person())
    received_work(team, add_member(team), date(2026, 9, 20))
    september = services.confirm_close(team, date(2026, 9, 30), None)
    assert len(closed_jobs(september)) == 1
    assert services.preview_close(team, OCT_31).settlements == []
    with pytest.raises(services.NothingToClose):
        services.confirm_close(team, OCT_31, None)


def test_jobs_are_settled_in_the_order_their_money_came_in(team):
    member = add_member(team)
    later = received_work(team, member, date(2026, 10, 20))
    earlier = received_work(team, member, date(2026, 10, 10))
    same_day = received_work(team, member, date(2026, 10, 20))
    preview = services.preview_close(team, OCT_31)
    assert [s.job.id for s in preview.settlements] == [earlier.id, later.id, same_day.id]
    close = services.confirm_close(team, OCT_31, None)
    withholding = db.session.scalars(
        sa.select(LedgerEntry.job_id).where(
            LedgerEntry.close_id == close.id, LedgerEntry.kind == "withholding"
        )
    ).all()
    assert set(withholding) == {earlier.id}, "withholding goes on the statement's first job"


def test_only_approved_work_is_paid_not_work_that_ended_otherwise(team):
    paid, ended = add_member(team), add_member(team)
    job = received_work(team, paid, date(2026, 10, 20), units=3)
    for state in ("cancelled", "reassigned", "declined"):
        db.session.add(
            Assignment(team_id=team.id, job_id=job.id, membership_id=ended.id, units=5,
                       state=state, due_at=job.due_at)
        )  # fmt: skip
    db.session.flush()
    preview = services.preview_close(team, OCT_31)
    assert [st.membership.id for st in preview.statements] == [paid.id]
    assert preview.distributed_yen == 27_000


def test_a_schedule_is_written_one_tier_per_line_as_the_operator_types_it():
    crowdworks = services.tiers_text(money.DEFAULT_FEE_SCHEDULES["crowdworks"])
    assert crowdworks == "100000: 20\n200000: 10\n: 5"
    assert services.parse_tiers(crowdworks) == money.DEFAULT_FEE_SCHEDULES["crowdworks"].tiers


def test_a_tier_that_cannot_be_read_is_named_by_its_line(ctx):
    with pytest.raises(Invalid) as refused:
        services.parse_tiers("100000: 20\n\n200000: 10\nabc: 5")
    message = "4行目：「上限額（円）: 料率 %」の形で書いてください（例：100000: 20）。"
    assert refused.value.message == message and refused.value.reasons == {"tiers": message}


def test_a_schedule_that_does_not_rise_is_refused_with_what_to_fix(team):
    with pytest.raises(Invalid) as refused:
        services.update_fee_schedule(
            make_person(is_operator=True), "crowdworks", "200000: 10\n100000: 20\n: 5", 0
        )
    message = (
        "段階は上限額が大きくなる順に並べ、最後の行だけ上限なしにしてください。"
        "システム利用料の消費税は0〜50%の範囲で入力してください。"
    )
    assert refused.value.message == message and refused.value.reasons == {"tiers": message}


def test_a_correction_for_one_members_statement_finds_only_their_lines(team):
    member, close, share = close_with_share(team)
    other = add_member(team)
    with pytest.raises(NotFound):
        services.correct_share(team, close, share.id, 80_000, "減額", None, membership_id=other.id)
    assert live(close, "share") == [share]
    corrected = services.correct_share(
        team, close, share.id, 80_000, "減額", None, membership_id=member.id
    )
    assert corrected.amount_yen == -80_000


def test_a_stored_schedule_keeps_its_platforms_code_and_name(team):
    services.update_fee_schedule(make_person(is_operator=True), "lancers", ": 10", 0)
    stored = services.fee_schedule("lancers")
    assert (stored.code, stored.name, stored.base) == ("lancers", "Lancers", "incl_tax")
    assert [s.code for s in services.fee_schedules()] == list(money.DEFAULT_FEE_SCHEDULES)


def test_a_corrected_line_keeps_what_it_pays_for_and_every_new_entry_says_why_and_who(team):
    _member, close, share = close_with_share(team)
    withheld = live(close, "withholding")
    director = make_person()
    corrected = services.correct_share(team, close, share.id, 80_000, "1本差し戻し", director)
    kept = ("team_id", "close_id", "job_id", "account", "assignment_id", "membership_id", "units",
            "payment_due_on", "kind")  # fmt: skip
    assert share.assignment_id is not None and share.payment_due_on is not None
    assert [getattr(corrected, key) for key in kept] == [getattr(share, key) for key in kept]
    new = db.session.scalars(
        sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id, LedgerEntry.id > share.id)
    ).all()
    new = [e for e in new if e.note]  # the close's own entries say nothing
    assert {(e.note, e.created_by_id) for e in new} == {("1本差し戻し", director.id)}
    [reversal] = [e for e in new if e.reverses_id == share.id]
    mirrored = ("job_id", "account", "assignment_id", "membership_id", "payment_due_on", "kind")
    assert [getattr(reversal, key) for key in mirrored] == [getattr(share, key) for key in mirrored]
    assert (reversal.amount_yen, reversal.units) == (-share.amount_yen, -share.units)
    reversed_ids = {e.reverses_id for e in new}
    assert reversed_ids == {share.id, *(e.id for e in withheld), None}
    assert len(new) == 1 + 1 + 1 + 2 + 2  # reversal, new line, retained, withholding ×2 each way


def test_a_refused_correction_says_to_correct_the_marked_fields(team):
    _member, close, share = close_with_share(team)
    with pytest.raises(Invalid) as refused:
        services.correct_share(team, close, share.id, -1, "", None)
    assert refused.value.message == "印の付いた項目を修正してください。"
    assert set(refused.value.reasons) == {"gross_yen", "reason"}


def _share(close, member, job) -> LedgerEntry:
    return db.session.scalar(
        sa.select(LedgerEntry).where(
            LedgerEntry.close_id == close.id, LedgerEntry.membership_id == member.id,
            LedgerEntry.job_id == job.id, LedgerEntry.kind == "share",
        )
    )  # fmt: skip


def _member_withholding(close, member) -> list[int]:
    return [e.amount_yen for e in live(close, "withholding") if e.account == "member"
            and e.membership_id == member.id]  # fmt: skip


def test_a_correction_withholds_on_the_members_own_withheld_fees_of_that_close_only(team):
    member, other = add_member(team), add_member(team)
    received_work(team, member, date(2026, 9, 20), units=10, received_yen=100_000)
    september = services.confirm_close(team, date(2026, 9, 30), None)
    writing = received_work(team, member, date(2026, 10, 20), units=10, received_yen=100_000)
    code = make_job(team, source="direct", unit_count=2, category="programming", title="開発")
    approved_assignment(code, member.id, datetime(2026, 10, 5, 1, 0, tzinfo=UTC), units=2)
    services.record_receipt(code, 50_000, date(2026, 10, 20))
    received_work(team, other, date(2026, 10, 21), units=10, received_yen=120_000)
    close = services.confirm_close(team, OCT_31, None)
    assert _member_withholding(close, member) == [9_189]  # 10.21% of the writing's ¥90,000
    # The programming fee is not withheld on: correcting it leaves the withholding as it was.
    services.correct_share(team, close, _share(close, member, code).id, 40_000, "減額", None)
    assert _member_withholding(close, member) == [9_189]
    services.correct_share(team, close, _share(close, member, writing).id, 80_000, "減額", None)
    assert _member_withholding(close, member) == [8_168]
    # Another member's withholding, and the member's in September's close, stay as they were.
    assert _member_withholding(close, other) == [11_026]  # 10.21% of ¥108,000
    assert _member_withholding(september, member) == [9_189]


def test_a_correction_at_a_team_that_does_not_withhold_posts_no_withholding(ctx):
    team = make_team(make_person(), payer_type="individual")
    _member, close, share = close_with_share(team)
    services.correct_share(team, close, share.id, 80_000, "減額", None)
    assert live(close, "withholding") == []


def test_correcting_a_fee_that_is_never_withheld_on_posts_no_withholding(team):
    member = add_member(team)
    code = make_job(team, source="direct", unit_count=2, category="programming", title="開発")
    approved_assignment(code, member.id, datetime(2026, 10, 5, 1, 0, tzinfo=UTC), units=2)
    services.record_receipt(code, 50_000, date(2026, 10, 20))
    close = services.confirm_close(team, OCT_31, None)
    corrected = services.correct_share(
        team, close, _share(close, member, code).id, 40_000, "減額", None
    )
    assert corrected.amount_yen == -40_000 and live(close, "withholding") == []


def test_a_refused_receipt_says_to_correct_the_marked_fields(team):
    job = make_job(team, contract_yen=10_000, tax_yen=1_000)
    with pytest.raises(Invalid) as refused:
        services.record_receipt(job, 11_001, date(2026, 10, 1))
    assert refused.value.message == "印の付いた項目を修正してください。"
