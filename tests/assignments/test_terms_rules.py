"""The terms rules stated one by one, without HTTP: the job's fixed pay, when withholding
applies, what the team expects to receive and a share's estimate, what a notice says, its
versions, the member's consent, and which assignments await it."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from teamhub.assignments import terms
from teamhub.assignments.models import Assignment, TermsNotice
from teamhub.assignments.terms import JobPay
from teamhub.extensions import db
from tests.factories import add_member, make_job, make_person, make_team

# make_job's CrowdWorks writing job: ¥120,000 + ¥12,000 tax, 40 units. CrowdWorks' fee on
# ¥132,000 is ¥25,520, so the team expects ¥106,480; less its 10% fee (¥10,648), ¥95,832.
EXPECTED = 106_480


@pytest.fixture
def team(ctx):
    return make_team(make_person(), payer_type="corporation", fee_rate_bp=1000)


@pytest.fixture
def member(team):
    return add_member(team)


def _assignment(job, member, *, units=8, state="offered", fixed_yen=None, **extra):
    assignment = Assignment(
        team_id=job.team_id, job_id=job.id, membership_id=member.id, units=units, state=state,
        pay_basis="fixed" if fixed_yen is not None else "units", fixed_yen=fixed_yen,
        due_at=job.due_at, **extra,
    )  # fmt: skip
    db.session.add(assignment)
    db.session.flush()
    return assignment


def test_job_pay_adds_up_the_fixed_amounts_and_units_of_the_jobs_live_assignments(team, member):
    job, other_job = make_job(team), make_job(team)
    _assignment(job, member, units=10, fixed_yen=30_000)
    _assignment(job, member, units=5, fixed_yen=20_000, state="accepted")
    _assignment(job, member, units=8)  # paid by units: neither its yen nor its units
    for gone in ("declined", "cancelled", "reassigned"):
        _assignment(job, member, units=3, fixed_yen=9_000, state=gone)
    _assignment(other_job, member, units=7, fixed_yen=7_000)
    assert terms.job_pay(job.id) == JobPay(fixed_yen=50_000, fixed_units=15)


def test_job_pay_of_a_job_without_fixed_amounts_is_zero(team, member):
    job = make_job(team)
    assert terms.job_pay(job.id) == (0, 0)
    _assignment(job, member, units=8)
    assert terms.job_pay(job.id) == (0, 0)


@pytest.mark.parametrize(
    ("payer_type", "category", "withholds"),
    [
        ("corporation", "writing", True),
        ("cooperative", "photo", True),
        ("individual", "writing", False),  # an individual without employees never withholds
        ("corporation", "programming", False),  # not a fee the law names
    ],
)
def test_withholding_applies_to_an_employer_payer_on_the_fees_the_law_names(
    ctx, payer_type, category, withholds
):
    team = make_team(payer_type=payer_type)
    assert terms.withholding_applies(team, make_job(team, category=category)) is withholds


def test_the_team_expects_the_total_with_tax_less_the_platforms_fee(team):
    assert terms.received_estimate(make_job(team)) == EXPECTED
    # Lancers' fee on the same ¥132,000 is ¥21,780.
    assert terms.received_estimate(make_job(team, source="lancers")) == 110_220
    assert terms.received_estimate(make_job(team, source="direct")) == 132_000


def test_what_the_platform_paid_once_recorded_wins_over_the_estimate(team):
    assert terms.received_estimate(make_job(team, received_yen=90_000)) == 90_000
    assert terms.received_estimate(make_job(team, received_yen=0)) == 0


def test_a_share_is_estimated_after_the_team_fee_and_the_fixed_amounts_by_units(team, member):
    job = make_job(team)
    shared = _assignment(job, member, units=8)
    # ¥95,832 less the fixed ¥30,000 is ¥65,832, shared over the 30 units not fixed: 8 of 30.
    assert terms.share_estimate(shared, job, team, JobPay(30_000, 10)) == 17_555
    assert terms.share_estimate(shared, job, team, JobPay()) == 19_166  # 8/40 of ¥95,832


def test_the_jobs_own_team_fee_wins_over_the_teams(team, member):
    job = make_job(team, team_fee_bp=0)
    assert terms.share_estimate(_assignment(job, member, units=40), job, team, JobPay()) == EXPECTED
    job = make_job(team, team_fee_bp=500, received_yen=100_000)
    assert terms.share_estimate(_assignment(job, member, units=40), job, team, JobPay()) == 95_000


def test_the_share_estimate_reads_what_the_platform_paid(team, member):
    job = make_job(team, received_yen=50_000)
    # ¥50,000 less 10% is ¥45,000, less the fixed ¥5,000: ¥40,000 over 20 units, 10 of them.
    shared = _assignment(job, member, units=10)
    assert terms.share_estimate(shared, job, team, JobPay(5_000, 20)) == 20_000


def test_only_a_units_paid_assignment_with_units_to_share_has_an_estimate(team, member):
    job = make_job(team)
    fixed = _assignment(job, member, units=8, fixed_yen=30_000)
    assert terms.share_estimate(fixed, job, team, JobPay(30_000, 8)) is None
    assert terms.share_estimate(_assignment(job, member, units=0), job, team, JobPay()) is None
    one = _assignment(job, member, units=1)
    assert terms.share_estimate(one, job, team, JobPay()) == 2_396  # 1/40 of ¥95,832, rounded up
    # Fixed amounts hold every unit of the job: nothing is shared by units.
    assert terms.share_estimate(one, job, team, JobPay(30_000, 40)) is None
    # One unit left to share: it takes all that the fixed amounts leave.
    assert terms.share_estimate(one, job, team, JobPay(30_000, 39)) == 65_832


def test_an_assignment_holding_more_units_than_are_shared_takes_the_whole_rest(team, member):
    job = make_job(team)
    shared = _assignment(job, member, units=8)
    assert terms.share_estimate(shared, job, team, JobPay(30_000, 35)) == 65_832


def test_fixed_amounts_above_what_is_received_leave_a_share_of_nothing(team, member):
    job = make_job(team)
    shared = _assignment(job, member, units=8)
    assert terms.share_estimate(shared, job, team, JobPay(100_000, 10)) == 0


def test_a_notice_says_who_what_when_and_how_much_of_a_share(team, member):
    team.name, team.invoice_number = "奄美ライターズ", "T1234567890123"
    job = make_job(team, expected_payment_on=date(2026, 12, 20), team_fee_bp=None)
    shared = _assignment(job, member, units=8, part_description="第1章")
    issued = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 1 December in Japan
    notice = terms.build_terms(shared, job, team, "山田 花子", "田中", JobPay(30_000, 10), issued)
    assert notice == {
        "format": 2,
        "team": "奄美ライターズ",
        "team_invoice_number": "T1234567890123",
        "issuer": "田中",
        "member": "山田 花子",
        "issued_on": "2026-12-01",
        "job": job.title,
        "client": job.client_name,
        "category": "writing",
        "unit_name": job.unit_name,
        "units": 8,
        "part": "第1章",
        "due_at": job.due_at.astimezone(UTC).isoformat(),
        "pay_basis": "units",
        "fixed_yen": None,
        "team_fee_bp": 1000,
        "job_total_units": 40,
        "payment_rule": "sixty_days",  # a corporation pays within 60 days
        "expected_payment_on": "2026-12-20",
        "withholding": True,
        "withholding_yen": 1_792,  # 10.21% of the ¥17,555 estimated
        "share_estimate_yen": 17_555,
        "received_estimate_yen": EXPECTED,
    }


def test_a_notice_writes_the_due_date_in_utc_whatever_the_servers_zone(team, member, monkeypatch):
    job = make_job(team)
    shared = _assignment(job, member)
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        notice = terms.build_terms(shared, job, team, "山田", "田中", JobPay())
    finally:
        monkeypatch.undo()
        time.tzset()
    assert notice["due_at"] == job.due_at.astimezone(UTC).isoformat()
    assert notice["due_at"].endswith("+00:00")


def test_a_notice_of_a_fixed_amount_states_its_withholding_and_no_estimate(team, member):
    job = make_job(team, team_fee_bp=500)
    fixed = _assignment(job, member, units=10, fixed_yen=30_000)
    notice = terms.build_terms(fixed, job, team, "山田", "田中", JobPay(30_000, 10))
    assert (notice["pay_basis"], notice["fixed_yen"], notice["team_fee_bp"]) == (
        "fixed",
        30_000,
        500,
    )
    assert (notice["withholding"], notice["withholding_yen"]) == (True, 3_063)
    assert (notice["share_estimate_yen"], notice["received_estimate_yen"]) == (None, None)
    assert (notice["team_invoice_number"], notice["expected_payment_on"]) == ("", "")


def test_an_individual_payer_pays_at_the_close_and_withholds_nothing(ctx):
    team = make_team(payer_type="individual")
    job = make_job(team)
    shared = _assignment(job, add_member(team), units=8)
    notice = terms.build_terms(shared, job, team, "山田", "田中", JobPay())
    assert notice["payment_rule"] == "close"
    assert (notice["withholding"], notice["withholding_yen"]) == (False, None)
    assert notice["share_estimate_yen"] == 19_166


def test_a_notice_is_dated_the_day_it_is_issued_in_japan(team, member):
    job = make_job(team)
    shared = _assignment(job, member)
    with time_machine.travel(datetime(2026, 12, 31, 15, 30, tzinfo=UTC), tick=False):
        notice = terms.build_terms(shared, job, team, "山田", "田中", JobPay())
    assert notice["issued_on"] == "2027-01-01"


def _notices(assignment) -> list[tuple[int, dict]]:
    return db.session.execute(
        sa.select(TermsNotice.version, TermsNotice.terms)
        .where(TermsNotice.assignment_id == assignment.id)
        .order_by(TermsNotice.version)
    ).all()


TERMS = {"units": 8, "due_at": "2026-12-05T09:00:00+00:00", "pay_basis": "units"}


def test_issuing_numbers_the_versions_and_never_issues_the_same_terms_twice(team, member):
    job = make_job(team)
    first, other = _assignment(job, member), _assignment(job, member)
    terms.issue(other, {**TERMS, "units": 3})
    one = terms.issue(first, TERMS)
    assert (one.assignment_id, one.version, one.terms) == (first.id, 1, TERMS)
    assert terms.issue(first, {**TERMS, "due_at": "2026-12-05T18:00:00+09:00"}) is one
    two = terms.issue(first, {**TERMS, "units": 10})
    assert (two.assignment_id, two.version) == (first.id, 2)
    assert terms.current_notice(first) is two
    assert _notices(first) == [(1, TERMS), (2, {**TERMS, "units": 10})]
    assert _notices(other) == [(1, {**TERMS, "units": 3})]
    assert terms.current_notice(_assignment(job, member)) is None


def test_reissuing_unchanged_terms_issues_nothing(team, member):
    assignment = _assignment(make_job(team), member)
    first = terms.reissue(assignment, TERMS)
    assert (first.version, first.terms) == (1, TERMS)
    assert terms.reissue(assignment, dict(TERMS)) is None
    second = terms.reissue(assignment, {**TERMS, "pay_basis": "fixed", "fixed_yen": 5_000})
    assert (second.version, second.assignment_id) == (2, assignment.id)
    assert [version for version, _terms in _notices(assignment)] == [1, 2]


MATERIAL_CHANGES = {
    "units": 9,
    "part": "第2章",
    "due_at": "2026-12-05T10:00:00+00:00",
    "pay_basis": "fixed",
    "fixed_yen": 30_000,
    "payment_rule": "sixty_days",
    "expected_payment_on": "2026-12-20",
}
NOTICE = {"units": 8, "part": "", "due_at": "2026-12-05T09:00:00+00:00", "pay_basis": "units",
          "fixed_yen": None, "payment_rule": "close", "expected_payment_on": "",
          "share_estimate_yen": 17_555, "received_estimate_yen": EXPECTED, "issued_on": "2026-12-01",
          "member": "山田", "team_fee_bp": 1000}  # fmt: skip


@pytest.mark.parametrize("key", sorted(MATERIAL_CHANGES))
def test_a_change_of_what_the_member_is_promised_needs_new_consent(key):
    changed = {**NOTICE, key: MATERIAL_CHANGES[key]}
    assert not terms.same_terms(NOTICE, changed) and not terms.same_terms(changed, NOTICE)


def test_estimates_the_date_and_the_names_change_without_new_consent():
    later = {**NOTICE, "share_estimate_yen": 20_000, "received_estimate_yen": 1,
             "issued_on": "2026-12-02", "member": "山田 花子", "team_fee_bp": 500,
             "due_at": "2026-12-05T18:00:00+09:00"}  # fmt: skip
    assert terms.same_terms(NOTICE, later) and terms.same_terms(NOTICE, dict(NOTICE))
    # A key an older notice did not have is read as absent on both sides.
    assert terms.same_terms({"units": 8}, {"units": 8, "share_estimate_yen": 1})
    assert not terms.same_terms({"units": 8}, {"units": 8, "part": "第1章"})


def test_the_member_accepts_the_current_notice_once(team, member):
    assignment = _assignment(make_job(team), member)
    assert terms.accept_current(assignment, datetime(2026, 12, 1, tzinfo=UTC)) is None
    assert not terms.awaiting_acceptance(assignment)
    notice = terms.issue(assignment, TERMS)
    assert terms.awaiting_acceptance(assignment)
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert terms.accept_current(assignment, at) is notice and notice.accepted_at == at
    assert not terms.awaiting_acceptance(assignment)
    assert terms.accept_current(assignment, at + timedelta(hours=1)) is None
    assert notice.accepted_at == at
    newer = terms.issue(assignment, {**TERMS, "units": 9})
    assert terms.awaiting_acceptance(assignment) and terms.accept_current(assignment, at) is newer


def test_a_consent_recorded_meanwhile_by_another_request_is_not_recorded_again(team, member):
    assignment = _assignment(make_job(team), member)
    notice = terms.issue(assignment, TERMS)
    first = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    db.session.refresh(notice)  # this request has read the notice: not accepted yet
    assert notice.accepted_at is None
    # Another request accepts it meanwhile; this request's copy still says None.
    db.session.execute(
        sa.update(TermsNotice)
        .where(TermsNotice.id == notice.id)
        .values(accepted_at=first)
        .execution_options(synchronize_session=False)
    )
    assert terms.accept_current(assignment, first + timedelta(seconds=1)) is None
    assert notice.accepted_at == first


def test_in_sql_an_assignment_awaits_consent_while_its_newest_notice_is_not_accepted(team, member):
    job = make_job(team)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    none, fresh, accepted, changed, settled = (_assignment(job, member) for _ in range(5))
    terms.issue(fresh, TERMS)
    for assignment in (accepted, changed, settled):
        terms.issue(assignment, TERMS)
        terms.accept_current(assignment, at)
    terms.issue(changed, {**TERMS, "units": 9})  # accepted once, then changed
    # An older version left unaccepted does not count once the newest is accepted.
    db.session.add(TermsNotice(assignment_id=settled.id, version=0, terms=TERMS))
    db.session.flush()
    awaiting = dict(
        db.session.execute(
            sa.select(Assignment.id, terms.awaiting_terms()).where(Assignment.job_id == job.id)
        ).all()
    )
    assert awaiting == {  # booleans: False, not NULL, without a notice
        none.id: False,
        fresh.id: True,
        accepted.id: False,
        changed.id: True,
        settled.id: False,
    }
