"""Terms notices: what they say of withholding and of a share's yen, when a change needs new
consent, and that every format teamhub ever wrote still opens."""

from __future__ import annotations

import re
from datetime import UTC, time, timedelta

import pytest
import sqlalchemy as sa

from teamhub.assignments import lifecycle, notice_format, terms
from teamhub.assignments.models import Assignment, AssignmentEvent, TermsNotice
from teamhub.clock import from_jst, today_jst
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.teams.models import Membership, Team
from tests import factories
from tests.conftest import login_as


def _line(member, units, job, **extra) -> splitting.SplitLine:
    return splitting.SplitLine(membership_id=member.id, units=units, due_at=job.due_at, **extra)


def _split(app, payer_type: str):
    """A CrowdWorks writing job of 40 units (¥120,000 before tax) split between two writers:
    8 units by units, and 10 units for a fixed ¥30,000; committed, as plain ids."""
    with app.app_context():
        roles = factories.team_with_roles(payer_type=payer_type)
        team = db.session.get(Team, roles.team.id)
        director = db.session.get(Membership, roles.director_membership)
        sharer = factories.give_capacity(db.session.get(Membership, roles.member_membership), 20)
        fixed = factories.give_capacity(factories.add_member(team), 20)
        job = factories.make_job(team, director.person)
        lines = [
            _line(sharer, 8, job),
            _line(fixed, 10, job, pay_basis="fixed", fixed_yen=30_000),
        ]
        shared, paid = splitting.save_split(job, director, lines, 0, 0).created
        db.session.commit()
        return roles, shared.id, paid.id, fixed.person.email


def _notice(assignment_id: int) -> dict:
    return db.session.scalar(
        sa.select(TermsNotice.terms).where(TermsNotice.assignment_id == assignment_id)
    )


def test_a_notice_states_the_withholding_and_estimates_a_share_in_yen(app):
    roles, shared_id, fixed_id, fixed_email = _split(app, "corporation")
    with app.app_context():
        shared, fixed = _notice(shared_id), _notice(fixed_id)
    # Received: ¥132,000 less CrowdWorks' ¥25,520 = ¥106,480; less the 10% team fee, ¥95,832;
    # less the fixed ¥30,000, shared over the 30 units not paid a fixed amount: 8 get ¥17,555.
    assert shared["format"] == notice_format.CURRENT_FORMAT
    assert (shared["share_estimate_yen"], shared["received_estimate_yen"]) == (17_555, 106_480)
    assert (shared["withholding"], shared["withholding_yen"]) == (True, 1_792)  # 10.21%
    assert (fixed["share_estimate_yen"], fixed["withholding_yen"]) == (None, 3_063)

    page = login_as(app, roles.member.email).get(
        f"/teams/{roles.team.slug}/assignments/{shared_id}"
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "この通知の時点での見込みは約¥17,555です" in html and "約¥106,480" in html
    assert "税率は10.21%（100万円を超える部分は20.42%）" in html and "約¥1,792" in html
    html = (
        login_as(app, fixed_email)
        .get(f"/teams/{roles.team.slug}/assignments/{fixed_id}")
        .get_data(as_text=True)
    )
    assert "この報酬では¥3,063です" in html and "見込み" not in html


def test_a_team_that_does_not_withhold_says_so(app):
    roles, shared_id, _fixed_id, _email = _split(app, "individual")
    with app.app_context():
        shared = _notice(shared_id)
    assert (shared["withholding"], shared["withholding_yen"]) == (False, None)
    html = (
        login_as(app, roles.member.email)
        .get(f"/teams/{roles.team.slug}/assignments/{shared_id}")
        .get_data(as_text=True)
    )
    assert "この報酬から源泉徴収はされません。" in html and "10.21%" not in html


@pytest.fixture
def demo_like(ctx):
    """A job recorded as the demo does (its deadline in Japan time, +09:00), split between two
    writers who accepted; then read back from the database, as the next request would (UTC)."""
    director_person = factories.make_person()
    team = factories.make_team(director_person)
    director = db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))
    writers = [factories.give_capacity(factories.add_member(team), 20) for _ in range(2)]
    due = from_jst(today_jst() + timedelta(days=12), time(18, 0))
    job = factories.make_job(team, director_person, due_at=due)
    offers = splitting.save_split(job, director, [_line(w, 8, job) for w in writers], 0, 0).created
    for offer, writer in zip(offers, writers, strict=True):
        lifecycle.accept(offer, writer)
    assert "+09:00" in _notice(offers[0].id)["due_at"] or job.due_at.utcoffset()
    db.session.commit()
    db.session.expire_all()
    assert job.due_at.tzinfo is UTC  # read back: the same moment, written in UTC
    return {"director": director, "job": job, "offers": offers, "writers": writers}


def test_a_save_that_changes_one_row_leaves_the_other_rows_terms_alone(demo_like):
    director, job, offers = demo_like["director"], demo_like["job"], demo_like["offers"]
    changed, unchanged = offers
    lines = [
        _line(changed.membership, 10, job, assignment_id=changed.id),
        _line(unchanged.membership, 8, job, assignment_id=unchanged.id),
    ]
    result = splitting.save_split(job, director, lines, 0, job.split_version)
    assert result.changed == [changed]
    versions = dict(
        db.session.execute(
            sa.select(TermsNotice.assignment_id, sa.func.max(TermsNotice.version)).group_by(
                TermsNotice.assignment_id
            )
        ).all()
    )
    assert versions == {changed.id: 2, unchanged.id: 1}
    assert not terms.awaiting_acceptance(unchanged)


def test_the_same_moment_in_another_offset_is_the_same_terms():
    jst = {"units": 8, "due_at": "2026-12-05T18:00:00+09:00", "pay_basis": "units"}
    utc = {**jst, "due_at": "2026-12-05T09:00:00+00:00"}
    later = {**jst, "due_at": "2026-12-05T19:00:00+09:00"}
    assert terms.same_terms(jst, utc) and not terms.same_terms(jst, later)


def test_changed_terms_are_shown_on_the_board_and_recorded_in_the_history(app):
    roles, shared_id, _fixed_id, _email = _split(app, "individual")
    with app.app_context():
        shared = db.session.get(Assignment, shared_id)
        member = db.session.get(Membership, roles.member_membership)
        director = db.session.get(Membership, roles.director_membership)
        lifecycle.accept(shared, member)
        job = shared.job
        changed = _line(member, 12, job, assignment_id=shared_id)
        splitting.save_split(job, director, [changed], 0, job.split_version)
        db.session.commit()
        job_id = job.id
    slug = roles.team.slug
    director_client = login_as(app, roles.director.email)
    board = director_client.get(f"/teams/{slug}/jobs/{job_id}").get_data(as_text=True)
    row = re.search(rf'<tr id="assignment-{shared_id}">(.*?)</tr>', board, re.S).group(1)
    assert "引き受け済み" in row and "新しい取引条件へのメンバーの同意待ち" in row
    detail = director_client.get(f"/teams/{slug}/assignments/{shared_id}").get_data(as_text=True)
    assert 'id="terms-awaiting"' in detail
    history = re.search(r'<ol class="list history">(.*?)</ol>', detail, re.S).group(1)
    assert "新しい取引条件（第2版）を出しました" in history

    member_client = login_as(app, roles.member.email)
    assert (
        member_client.post(f"/teams/{slug}/assignments/{shared_id}/accept-terms").status_code == 302
    )
    board = director_client.get(f"/teams/{slug}/jobs/{job_id}").get_data(as_text=True)
    row = re.search(rf'<tr id="assignment-{shared_id}">(.*?)</tr>', board, re.S).group(1)
    assert "同意待ち" not in row
    with app.app_context():
        steps = db.session.execute(
            sa.select(AssignmentEvent.kind, AssignmentEvent.to_state, AssignmentEvent.terms_version)
            .where(AssignmentEvent.assignment_id == shared_id)
            .order_by(AssignmentEvent.id)
        ).all()
    assert steps == [
        ("move", "offered", None),
        ("move", "accepted", None),
        ("terms_issued", "accepted", 2),
        ("terms_accepted", "accepted", 2),
    ]


# The first format teamhub wrote (0ef3df1, jobs and assignments), key for key: no "format",
# the due date with the offset it was given.
FIRST_FORMAT = {
    "team": "奄美ライターズ",
    "team_invoice_number": "",
    "issuer": "田中 ディレクター",
    "member": "山田 花子",
    "issued_on": "2026-11-20",
    "job": "観光記事 40本",
    "client": "株式会社しまツアー",
    "unit_name": "記事 (3,000字)",
    "units": 8,
    "part": "",
    "due_at": "2026-12-05T18:00:00+09:00",
    "pay_basis": "units",
    "fixed_yen": None,
    "team_fee_bp": 1000,
    "job_total_units": 40,
    "payment_rule": "close",
    "expected_payment_on": "2026-12-20",
}
# What the benchmark's seed once wrote: seven keys.
SEVEN_KEYS = {key: FIRST_FORMAT[key] for key in
              ("job", "client", "units", "unit_name", "due_at", "pay_basis", "fixed_yen")}  # fmt: skip


@pytest.mark.parametrize("stored", [FIRST_FORMAT, SEVEN_KEYS], ids=["first format", "seven keys"])
def test_a_notice_of_an_older_format_still_opens(app, stored):
    roles, shared_id, _fixed_id, _email = _split(app, "corporation")
    with app.app_context():
        db.session.execute(
            sa.update(TermsNotice)
            .where(TermsNotice.assignment_id == shared_id)
            .values(terms=stored)
        )
        db.session.commit()
    for email in (roles.member.email, roles.director.email):
        page = login_as(app, email).get(f"/teams/{roles.team.slug}/assignments/{shared_id}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html[:500]
        assert "2026/12/05 18:00" in html and "観光記事 40本" in html
        assert "源泉徴収" not in html  # the notice did not say, so neither does the page
    if stored is FIRST_FORMAT:
        assert "チーム手数料（10%）" in html and "全40件のうち8件分" in html


def test_reading_a_notice_gives_every_format_the_same_shape():
    first = notice_format.read(FIRST_FORMAT)
    assert first.format == 1 and first.withholding is None and first.share_estimate_yen is None
    assert first.due_at.astimezone(UTC).hour == 9 and first.issued_on.day == 20
    partial = notice_format.read(SEVEN_KEYS)
    assert (partial.team_fee_bp, partial.payment_rule, partial.issued_on) == (None, "", None)
    assert notice_format.read({}).due_at is None
