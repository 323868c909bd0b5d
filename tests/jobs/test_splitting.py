"""Saving a split, rule by rule, without HTTP: what each row is told to fix, when an override
is needed and why, the job's units, the rows that change or withdraw an offer, and who may
split which job."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from teamhub.assignments import lifecycle, terms
from teamhub.assignments.models import Assignment, AssignmentEvent
from teamhub.assignments.reliability import from_counts
from teamhub.errors import Conflict, Invalid
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.jobs.suggesting import Candidate
from teamhub.teams.models import Membership
from tests.factories import add_member, make_job, make_person, make_team

MEMBER = "このチームのメンバーを選んでください。"
NEGATIVE = "件数は0以上の数で入力してください。"
NO_UNITS = "件数を入力するか、担当作業の範囲を書いてください。"
PAY_BASIS = "この部分の報酬の決め方を選んでください。"
FIXED_YEN = "固定額を円単位で入力してください。"
DUE = "納期は、案件全体の納期と同じ日か、それより前にしてください。"
LACKS = (
    "このメンバーには必要なスキルがありません。例外として割り当てる場合は、理由を入力してください。"
)


def over(room: int) -> str:
    return (
        f"作業可能量を超えています（納期までに残っている作業可能量は{room}件です）。"
        "例外として割り当てる場合は、理由を入力してください。"
    )


def lacks_and_over(room: int) -> str:
    return (
        f"必要なスキルがなく、作業可能量も超えています（納期までに残っている作業可能量は{room}件です）。"
        "例外として割り当てる場合は、理由を入力してください。"
    )


@pytest.fixture
def director(ctx):
    team = make_team(make_person())
    return db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))


@pytest.fixture
def writers(director):
    return [add_member(director.team) for _ in range(2)]


def candidate(member, room=20, missing=()) -> Candidate:
    """The member as the split page read them: ``room`` units left, ``missing`` skills."""
    return Candidate(
        membership_id=member.id, name="", capacity=room, committed=0, skills=(),
        missing_skills=tuple(missing), reliability=from_counts(0, 0, 0, 0, 0, 0), days_away=0,
    )  # fmt: skip


def row(member, count, job, **overrides) -> splitting.SplitLine:
    """A row of the form giving ``member`` ``count`` units (unless ``overrides`` say others)."""
    fields = {"membership_id": member.id, "units": count, "due_at": job.due_at, **overrides}
    return splitting.SplitLine(**fields)


def refused(job, director, lines, pool, kept_units=0) -> dict[str, str]:
    with pytest.raises(Invalid) as error:
        splitting.save_split(job, director, lines, kept_units, job.split_version, pool)
    return error.value.reasons


def saved(job, director, lines, pool, kept_units=0) -> splitting.SplitResult:
    return splitting.save_split(job, director, lines, kept_units, job.split_version, pool)


@pytest.mark.parametrize(
    ("overrides", "reasons"),
    [
        ({"units": -1}, {"rows.0.units": NEGATIVE}),
        ({"units": 0}, {"rows.0.units": NO_UNITS}),
        ({"units": 0, "part_description": "  "}, {"rows.0.units": NO_UNITS}),
        ({"pay_basis": "hourly"}, {"rows.0.pay_basis": PAY_BASIS}),
        ({"pay_basis": "fixed"}, {"rows.0.fixed_yen": FIXED_YEN}),
        ({"pay_basis": "fixed", "fixed_yen": 0}, {"rows.0.fixed_yen": FIXED_YEN}),
        ({"due_at": timedelta(seconds=1)}, {"rows.0.due_at": DUE}),
        ({"units": -1, "pay_basis": "x", "due_at": timedelta(days=1)},
         {"rows.0.units": NEGATIVE, "rows.0.pay_basis": PAY_BASIS, "rows.0.due_at": DUE}),
    ],
)  # fmt: skip
def test_each_row_is_told_what_to_fix(director, writers, overrides, reasons):
    job = make_job(director.team)
    if "due_at" in overrides:
        overrides["due_at"] = job.due_at + overrides["due_at"]
    line = row(writers[0], 1, job, **overrides)
    assert refused(job, director, [line], [candidate(writers[0])]) == reasons


@pytest.mark.parametrize(
    "overrides",
    [
        {"units": 0, "part_description": "表紙のデザイン"},  # a part without units
        {"pay_basis": "fixed", "fixed_yen": 1},
        {"due_at": timedelta(0)},  # due with the job itself
        {"due_at": -timedelta(days=3)},
    ],
)
def test_rows_at_the_edge_of_each_rule_are_saved(director, writers, overrides):
    job = make_job(director.team)
    if "due_at" in overrides:
        overrides["due_at"] = job.due_at + overrides["due_at"]
    [offer] = saved(
        job, director, [row(writers[0], 1, job, **overrides)], [candidate(writers[0])]
    ).created
    assert offer.state == "offered" and job.split_version == 1


def test_work_is_offered_only_to_members_of_the_team(director, writers):
    job = make_job(director.team)
    stranger = add_member(make_team(make_person()))
    reasons = refused(job, director, [row(stranger, 1, job)], [candidate(writers[0])])
    assert reasons == {"rows.0.membership_id": MEMBER}


def test_a_withdrawn_row_is_not_checked_and_the_next_rows_keep_their_numbers(director, writers):
    job = make_job(director.team)
    pool = [candidate(w) for w in writers]
    [offer] = saved(job, director, [row(writers[0], 4, job)], pool).created
    lines = [
        row(writers[0], -5, job, assignment_id=offer.id, remove=True),
        row(writers[1], -1, job),
    ]
    assert refused(job, director, lines, pool) == {"rows.1.units": NEGATIVE}


def test_the_override_says_every_reason_the_row_needs_one(director, writers):
    job = make_job(director.team)
    writer = writers[0]
    cases = [
        (candidate(writer, room=5, missing=["seo"]), 3, LACKS),
        (candidate(writer, room=5), 6, over(5)),
        (candidate(writer, room=5, missing=["seo"]), 6, lacks_and_over(5)),
    ]
    for pool, units, why in cases:
        reasons = refused(job, director, [row(writer, units, job)], [pool])
        assert reasons == {"rows.0.override_reason": why}


def test_a_member_may_take_exactly_their_room(director, writers):
    job = make_job(director.team)
    [offer] = saved(job, director, [row(writers[0], 5, job)], [candidate(writers[0], 5)]).created
    assert offer.units == 5


def test_a_members_rows_and_offers_left_as_they_are_count_together_against_their_room(
    director, writers
):
    job = make_job(director.team)
    writer = writers[0]
    pool = [candidate(writer, room=10)]
    [first] = saved(job, director, [row(writer, 4, job)], pool).created
    lines = [row(writer, 3, job), row(writer, 3, job)]  # 4 + 3 + 3: exactly the room
    assert len(saved(job, director, lines, pool).created) == 2
    reasons = refused(job, director, [row(writer, 1, job), row(writer, 1, job)], pool)
    assert reasons == {"rows.0.override_reason": over(10), "rows.1.override_reason": over(10)}
    assert first.units == 4


def test_a_blank_override_reason_is_no_reason(director, writers):
    job = make_job(director.team)
    line = row(writers[0], 6, job, override_reason="   ")
    assert refused(job, director, [line], [candidate(writers[0], 5)]) == {
        "rows.0.override_reason": over(5)
    }
    line = row(writers[0], 6, job, override_reason="  締切前に休暇なし ")
    [offer] = saved(job, director, [line], [candidate(writers[0], 5)]).created
    assert offer.override_reason == "締切前に休暇なし"


def test_a_split_gives_out_at_most_the_jobs_units_with_those_kept_and_delivered(director, writers):
    job = make_job(director.team, unit_count=10)
    pool = [candidate(w) for w in writers]
    delivered = Assignment(team_id=job.team_id, job_id=job.id, membership_id=writers[1].id,
                           units=3, state="submitted", due_at=job.due_at)  # fmt: skip
    db.session.add(delivered)
    db.session.flush()
    assert splitting.units_locked(job) == 3
    reasons = refused(job, director, [row(writers[0], 5, job)], pool, kept_units=3)
    assert reasons == {
        "kept_units": "この分担では11件を割り当てていますが、案件全体は10件です。件数を減らしてください。"
    }
    assert refused(job, director, [row(writers[0], 1, job)], pool, kept_units=-1) == {
        "kept_units": NEGATIVE
    }
    saved(job, director, [row(writers[0], 5, job)], pool, kept_units=2)  # 5 + 3 + 2 = 10
    assert job.kept_units == 2


def test_units_of_work_that_ended_otherwise_are_not_locked(director, writers):
    job = make_job(director.team, unit_count=10)
    for state, units in (("approved", 2), ("changes_requested", 1), ("declined", 4),
                         ("cancelled", 8), ("offered", 16)):  # fmt: skip
        db.session.add(Assignment(team_id=job.team_id, job_id=job.id, units=units, state=state,
                                  membership_id=writers[0].id, due_at=job.due_at))  # fmt: skip
    other = make_job(director.team)
    db.session.add(Assignment(team_id=job.team_id, job_id=other.id, units=32, state="approved",
                              membership_id=writers[0].id, due_at=other.due_at))  # fmt: skip
    db.session.flush()
    assert splitting.units_locked(job) == 3
    assert splitting.units_locked(make_job(director.team)) == 0


def test_a_row_paid_by_units_keeps_no_fixed_amount_and_texts_are_trimmed(director, writers):
    job = make_job(director.team)
    line = row(writers[0], 4, job, fixed_yen=5_000, part_description=" 第1章 ")
    [offer] = saved(job, director, [line], [candidate(writers[0])]).created
    assert (offer.pay_basis, offer.fixed_yen, offer.part_description) == ("units", None, "第1章")
    assert (offer.team_id, offer.job_id, offer.membership_id) == (
        job.team_id, job.id, writers[0].id,
    )  # fmt: skip
    fixed = row(writers[1], 2, job, pay_basis="fixed", fixed_yen=7_000)
    [paid] = saved(job, director, [fixed], [candidate(writers[1])]).created
    assert (paid.pay_basis, paid.fixed_yen) == ("fixed", 7_000)


def test_withdrawing_a_row_cancels_its_offer_and_says_why_in_its_history(director, writers):
    job = make_job(director.team)
    pool = [candidate(writers[0])]
    [offer] = saved(job, director, [row(writers[0], 4, job)], pool).created
    result = saved(
        job, director, [row(writers[0], 4, job, assignment_id=offer.id, remove=True)], pool
    )
    assert (result.removed, result.created, result.changed) == ([offer], [], [])
    assert offer.state == "cancelled"
    comment = db.session.scalar(
        sa.select(AssignmentEvent.comment)
        .where(AssignmentEvent.assignment_id == offer.id)
        .order_by(AssignmentEvent.id.desc())
        .limit(1)
    )
    assert comment == "分担から外しました。"


def test_a_changed_row_issues_new_terms_and_reports_accepted_work_only(director, writers):
    job = make_job(director.team)
    pool = [candidate(w) for w in writers]
    offered, accepted = saved(job, director, [row(w, 4, job) for w in writers], pool).created
    lifecycle.accept(accepted, writers[1])
    lines = [
        row(writers[0], 5, job, assignment_id=offered.id),
        row(writers[1], 6, job, assignment_id=accepted.id),
    ]
    result = saved(job, director, lines, pool)
    assert result.changed == [accepted] and result.created == [] and result.removed == []
    assert (offered.units, accepted.units) == (5, 6)
    assert (terms.current_notice(offered).version, terms.current_notice(accepted).version) == (2, 2)
    issued = db.session.scalars(
        sa.select(AssignmentEvent.assignment_id).where(AssignmentEvent.kind == "terms_issued")
    ).all()
    assert sorted(issued) == sorted([offered.id, accepted.id])
    # The same terms again: no new version, nothing reported.
    result = saved(job, director, lines, pool)
    assert result.changed == [] and terms.current_notice(accepted).version == 2
    # A row left as it was does not stop the next one's new terms.
    lines[1] = row(writers[1], 7, job, assignment_id=accepted.id)
    assert saved(job, director, lines, pool).changed == [accepted]
    assert terms.current_notice(accepted).terms["units"] == 7


def test_the_notice_names_the_director_who_issued_it_and_the_member(director, writers):
    director.person.display_name = "田中 ディレクター"
    job = make_job(director.team)
    [offer] = saved(job, director, [row(writers[0], 4, job)], [candidate(writers[0])]).created
    notice = terms.current_notice(offer).terms
    assert (notice["issuer"], notice["member"]) == (
        "田中 ディレクター",
        writers[0].person.display_name,
    )


def test_a_row_naming_an_offer_no_longer_open_is_a_stale_page(director, writers):
    job = make_job(director.team)
    pool = [candidate(writers[0])]
    [offer] = saved(job, director, [row(writers[0], 4, job)], pool).created
    offer.state = "submitted"
    db.session.flush()
    with pytest.raises(Conflict):
        saved(job, director, [row(writers[0], 4, job, assignment_id=offer.id)], pool)


def test_a_row_naming_an_offer_changes_it_for_its_own_member(director, writers):
    job = make_job(director.team)
    pool = [candidate(w) for w in writers]
    [offer] = saved(job, director, [row(writers[0], 4, job)], pool).created
    # The form said the other writer: the offer stays its member's.
    saved(job, director, [row(writers[1], 6, job, assignment_id=offer.id)], pool)
    assert (offer.membership_id, offer.units) == (writers[0].id, 6)


def test_only_the_teams_directors_split_its_open_cleared_jobs(director, writers):
    job = make_job(director.team)
    other_director = db.session.scalar(
        sa.select(Membership).where(Membership.team_id == make_team(make_person()).id)
    )
    for who in (writers[0], other_director):
        with pytest.raises(Conflict):
            saved(job, who, [], [])
    flagged = make_job(director.team, scam_reasons=["off_platform"])
    with pytest.raises(Conflict):
        saved(flagged, director, [], [])
    cancelled = make_job(director.team, status="cancelled")
    with pytest.raises(Conflict):
        saved(cancelled, director, [], [])
    assert saved(job, director, [], []).created == [] and job.split_version == 1


def test_a_row_with_an_override_does_not_excuse_the_next_one(director, writers):
    job = make_job(director.team)
    pool = [candidate(w, room=5) for w in writers]
    lines = [row(writers[0], 6, job, override_reason="締切前に休暇なし"), row(writers[1], 6, job)]
    assert refused(job, director, lines, pool) == {"rows.1.override_reason": over(5)}


def test_a_refused_split_says_nothing_was_saved(director, writers):
    job = make_job(director.team)
    with pytest.raises(Invalid) as error:
        saved(job, director, [row(writers[0], -1, job)], [candidate(writers[0])])
    assert error.value.message == "分担は保存されていません。印の付いた行を修正してください。"


def test_a_split_reads_only_its_own_jobs_offers(director, writers):
    job, other = make_job(director.team, unit_count=10), make_job(director.team, unit_count=10)
    pool = [candidate(w) for w in writers]
    [elsewhere] = saved(other, director, [row(writers[0], 8, other)], pool).created
    # The other job's 8 units count neither on this job nor as offers left as they are.
    assert len(saved(job, director, [row(writers[0], 10, job)], pool).created) == 1
    with pytest.raises(Conflict):
        saved(job, director, [row(writers[0], 8, job, assignment_id=elsewhere.id)], pool)


def test_a_row_naming_an_offer_after_a_new_row_is_still_its_members(director, writers):
    job = make_job(director.team)
    pool = [candidate(w) for w in writers]
    [offer] = saved(job, director, [row(writers[0], 4, job)], pool).created
    lines = [row(writers[1], 2, job), row(writers[1], 6, job, assignment_id=offer.id)]
    saved(job, director, lines, pool)
    assert (offer.membership_id, offer.units) == (writers[0].id, 6)
