"""Jobs: recording, the scam guard, escrow, cancelling, capacity, the suggestion and the split."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from teamhub.assignments.models import Assignment, AssignmentEvent, TermsNotice
from teamhub.clock import JST, utcnow
from teamhub.errors import Conflict, Invalid, NotFound
from teamhub.extensions import db
from teamhub.jobs import scam, services, split_page, splitting, suggesting
from teamhub.skills import PersonSkill
from teamhub.teams.models import Absence, Membership
from tests.factories import add_member, give_capacity, make_job, make_person, make_team


def job_input(**overrides) -> services.JobInput:
    fields = {
        "title": "観光記事 40本",
        "client_name": "しまツアー",
        "source": "crowdworks",
        "category": "writing",
        "contract_yen": 120_001,
        "unit_name": "記事",
        "unit_count": 40,
        "due_at": utcnow() + timedelta(days=10),
    }
    fields.update(overrides)
    return services.JobInput(**fields)


@pytest.fixture
def director(ctx):
    person = make_person()
    team = make_team(person)
    return db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))


def test_recording_a_job_computes_tax_rounded_down(director):
    job = services.record_job(director.team, director.person, job_input())
    assert job.tax_yen == 12_000  # 10% of 120,001 is 12,000.1
    assert job.total_incl_tax_yen == 132_001
    assert job.needs_escrow and not job.escrow_ready
    assert not job.scam_flagged


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": "mercari"}, "source"),
        ({"category": "cooking"}, "category"),
        ({"contract_yen": -1}, "contract_yen"),
        ({"unit_count": 0}, "unit_count"),
        ({"due_at": utcnow() - timedelta(hours=1)}, "due_at"),
        ({"required_skills": ["juggling"]}, "required_skills"),
    ],
)
def test_bad_jobs_are_refused(director, overrides, field):
    with pytest.raises(Invalid) as refused:
        services.record_job(director.team, director.person, job_input(**overrides))
    assert field in refused.value.reasons


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("詳細はLINEで連絡ください。ID: abc123", "offsite_contact"),
        ("ライン登録をお願いします", "offsite_contact"),
        ("Please add me on LINE for details", "offsite_contact"),
        ("連絡は taro.yamada@gmail.com まで", "offsite_contact"),
        ("電話番号 090-1234-5678 に電話を", "offsite_contact"),
        ("今後は直接取引でお願いします", "offsite_contact"),
        ("Send your home address and a copy of your ID card", "personal_info"),
        ("身分証と口座番号を送ってください", "personal_info"),
        ("まず登録料3,000円をお支払いください", "upfront_fee"),
        ("A registration fee of $30 is required", "upfront_fee"),
        ("教材費として5,000円が必要です", "upfront_fee"),
    ],
)
def test_scam_guard_flags_off_platform_contact_personal_data_and_fees(text, code):
    reasons = scam.scan(text)
    assert [r.code for r in reasons] == [code]
    assert reasons[0].matched


def test_scam_guard_leaves_ordinary_jobs_alone():
    ordinary = "奄美大島の観光記事を40本。1本3,000字、写真はこちらで用意します。納期は2週間です。"
    assert scam.scan(ordinary) == []
    assert scam.scan("SEO articles about online learning, 3,000 characters each.") == []


def test_flagged_job_must_be_acknowledged_before_splitting(director):
    job = services.record_job(
        director.team, director.person, job_input(description="LINEで連絡してください")
    )
    assert job.scam_flagged and not job.scam_cleared
    with pytest.raises(Conflict):
        splitting.save_split(job, director, [], 0, job.split_version)
    services.acknowledge_scam_flags(job, director.person)
    assert job.scam_cleared and job.scam_acknowledged_by_id == director.person_id
    splitting.save_split(job, director, [], 0, job.split_version)


def test_escrow_confirmation(director):
    job = services.record_job(director.team, director.person, job_input())
    with pytest.raises(Invalid):
        services.confirm_escrow(job, director.person, utcnow() + timedelta(hours=1))
    at = utcnow() - timedelta(minutes=5)
    services.confirm_escrow(job, director.person, at)
    assert job.escrow_ready and job.escrow_confirmed_at == at
    direct = services.record_job(director.team, director.person, job_input(source="direct"))
    assert direct.escrow_ready
    with pytest.raises(Conflict):
        services.confirm_escrow(direct, director.person, at)


def line(member: Membership, units: int, job, **overrides) -> splitting.SplitLine:
    return splitting.SplitLine(membership_id=member.id, units=units, due_at=job.due_at, **overrides)


@pytest.fixture
def five_writers(director):
    return [give_capacity(add_member(director.team), 10) for _ in range(5)]


def test_capacity_counts_the_window_absences_and_other_work(director):
    job = make_job(director.team, director.person, due_at=utcnow() + timedelta(days=13, hours=1))
    member = give_capacity(add_member(director.team), 7)
    today = utcnow().astimezone(JST).date()
    window = (job.due_at.astimezone(JST).date() - today).days + 1
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert candidate.capacity == 7 * window // 7
    db.session.add(Absence(membership=member, starts_on=today, ends_on=today + timedelta(days=6)))
    other = make_job(director.team, director.person)
    db.session.add(
        Assignment(team_id=director.team_id, job_id=other.id, membership_id=member.id, units=3,
                   due_at=job.due_at - timedelta(days=1), state="in_progress")
    )  # fmt: skip
    db.session.flush()
    db.session.expire_all()
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert candidate.days_away == 7
    assert candidate.capacity == 7 * (window - 7) // 7
    assert candidate.committed == 3
    assert candidate.room == candidate.capacity - 3


def test_days_away_count_only_the_part_of_each_absence_inside_the_window(director):
    job = make_job(director.team, director.person, due_at=utcnow() + timedelta(days=9, hours=1))
    member = give_capacity(add_member(director.team), 7)
    today = utcnow().astimezone(JST).date()
    last_day = job.due_at.astimezone(JST).date()
    for starts, ends in (
        (today - timedelta(days=5), today + timedelta(days=1)),  # 2 days inside (today, tomorrow)
        (last_day - timedelta(days=2), last_day + timedelta(days=30)),  # 3 days inside
        (today - timedelta(days=20), today - timedelta(days=10)),  # over: not counted
        (last_day + timedelta(days=1), last_day + timedelta(days=3)),  # after the deadline
    ):
        db.session.add(Absence(membership=member, starts_on=starts, ends_on=ends))
    db.session.flush()
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    window = (last_day - today).days + 1
    assert candidate.days_away == 5
    assert candidate.capacity == 7 * (window - 5) // 7
    db.session.add(
        Absence(membership=member, starts_on=today - timedelta(days=1), ends_on=last_day)
    )
    db.session.flush()
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert candidate.days_away == window  # overlapping absences never count more than the window
    assert candidate.capacity == 0


def test_the_windows_last_day_is_the_deadlines_day_in_japan(director):
    """A deadline at 00:30 in Japan is 15:30 the day before in UTC: an absence on the deadline's
    day in Japan is inside the window (the database reads that day, clock.jst_date)."""
    today = utcnow().astimezone(JST).date()
    last_day = today + timedelta(days=5)
    due_at = datetime.combine(last_day, time(0, 30), tzinfo=JST)
    job = make_job(director.team, director.person, due_at=due_at)
    member = give_capacity(add_member(director.team), 7)
    db.session.add(Absence(membership=member, starts_on=last_day, ends_on=last_day))
    db.session.flush()
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert candidate.days_away == 1
    assert candidate.capacity == 7 * (6 - 1) // 7


def test_suggestion_spreads_units_evenly_within_room_and_skills(director, five_writers):
    job = make_job(director.team, director.person)
    suggestion = suggesting.suggest(40, split_page.candidates(job))
    assert sorted(suggestion.values()) == [8, 8, 8, 8, 8]
    assert set(suggestion) == {m.id for m in five_writers}

    job.required_skills = ["seo"]
    db.session.add(PersonSkill(person_id=five_writers[0].person_id, skill="seo"))
    db.session.flush()
    pool = split_page.candidates(job)
    [skilled] = [c for c in pool if c.eligible]
    assert skilled.membership_id == five_writers[0].id
    assert 0 < skilled.room < 40
    # The only member with the skill gets every unit: those past their room to be decided.
    assert suggesting.suggest(40, pool) == {skilled.membership_id: 40}


def test_suggestion_fills_the_only_room_and_gives_the_rest_over_capacity_to_decide(director):
    small = give_capacity(add_member(director.team), 1)
    job = make_job(director.team, director.person)
    [part] = [p for p in suggesting.plan(40, split_page.candidates(job)) if p.candidate.eligible]
    assert (part.candidate.membership_id, part.candidate.room) == (small.id, 2)
    assert (part.units, part.over_room, part.why) == (40, 38, suggesting.OVER)
    assert "38件が作業可能量（2件）を超えています" in split_page.explain(part)


def test_saving_a_split_offers_work_with_terms_and_history(director, five_writers):
    job = make_job(director.team, director.person)
    lines = [line(m, 8, job) for m in five_writers]
    result = splitting.save_split(job, director, lines, 0, 0)
    assert len(result.created) == 5
    assert job.split_version == 1
    offered = db.session.scalars(sa.select(Assignment).where(Assignment.job_id == job.id)).all()
    assert {a.state for a in offered} == {"offered"} and sum(a.units for a in offered) == 40
    notices = db.session.scalars(sa.select(TermsNotice)).all()
    assert len(notices) == 5 and all(n.version == 1 and n.accepted_at is None for n in notices)
    terms = notices[0].terms
    assert terms["units"] == 8 and terms["team"] == director.team.name and terms["member"]
    events = db.session.scalars(sa.select(AssignmentEvent)).all()
    assert next((e.from_state, e.to_state, e.actor_id) for e in events) == (
        None,
        "offered",
        director.person_id,
    )


def test_split_refuses_more_units_than_the_job_has(director, five_writers):
    job = make_job(director.team, director.person, unit_count=30)
    with pytest.raises(Invalid) as refused:
        splitting.save_split(job, director, [line(m, 8, job) for m in five_writers[:4]], 0, 0)
    assert "kept_units" in refused.value.reasons
    with pytest.raises(Invalid):
        splitting.save_split(job, director, [line(five_writers[0], 20, job)], 11, 1)
    db.session.rollback()


def test_a_save_leaves_the_offers_it_does_not_name_and_counts_their_units(director, five_writers):
    """Offers still open that no line names stay as they are; their units count towards the
    job's total and towards their member's capacity."""
    job = make_job(director.team, director.person, unit_count=30)
    writer, other = five_writers[:2]
    [offer] = splitting.save_split(job, director, [line(writer, 15, job)], 0, 0).created
    with pytest.raises(Invalid) as refused:  # 15 offered already and 16 more: over 30
        splitting.save_split(job, director, [line(other, 16, job)], 0, 1)
    assert list(refused.value.reasons) == ["kept_units"]
    room = {c.membership_id: c.room for c in split_page.candidates(job)}[writer.id]
    with pytest.raises(Invalid) as refused:  # with the 15 offered, one unit over their room
        splitting.save_split(job, director, [line(writer, room - 15 + 1, job)], 0, 2)
    assert list(refused.value.reasons) == ["rows.0.override_reason"]
    result = splitting.save_split(job, director, [line(other, 15, job)], 0, 3)
    assert len(result.created) == 1 and not result.changed and not result.removed
    assert (offer.state, offer.units) == ("offered", 15)


def test_over_capacity_or_missing_skill_needs_a_recorded_override(director, five_writers):
    job = make_job(director.team, director.person, required_skills=["seo"])
    writer = five_writers[0]
    with pytest.raises(Invalid) as refused:
        splitting.save_split(job, director, [line(writer, 8, job)], 0, 0)
    assert list(refused.value.reasons) == ["rows.0.override_reason"]
    db.session.add(PersonSkill(person_id=writer.person_id, skill="seo"))
    db.session.flush()
    with pytest.raises(Invalid) as refused:
        splitting.save_split(job, director, [line(writer, 35, job)], 0, 1)
    assert list(refused.value.reasons) == ["rows.0.override_reason"]
    result = splitting.save_split(
        job, director, [line(writer, 35, job, override_reason="締切前に休暇なし")], 0, 2
    )
    assert result.created[0].override_reason == "締切前に休暇なし"


def test_a_member_lacking_a_skill_and_over_capacity_is_told_both(director, five_writers):
    job = make_job(director.team, director.person, required_skills=["seo"])
    writer = five_writers[0]
    room = {c.membership_id: c.room for c in split_page.candidates(job)}[writer.id]
    with pytest.raises(Invalid) as refused:
        splitting.save_split(job, director, [line(writer, room + 1, job)], 0, 0)
    why = refused.value.reasons["rows.0.override_reason"]
    assert "必要なスキルがなく" in why and f"残っている作業可能量は{room}件" in why


def test_second_save_of_the_same_split_is_refused(director, five_writers):
    job = make_job(director.team, director.person)
    seen_by_both = job.split_version
    splitting.save_split(job, director, [line(five_writers[0], 8, job)], 0, seen_by_both)
    with pytest.raises(Conflict) as refused:
        splitting.save_split(job, director, [line(five_writers[1], 8, job)], 0, seen_by_both)
    assert "ほかのディレクター" in refused.value.message
    kept = db.session.scalars(
        sa.select(Assignment.membership_id).where(Assignment.job_id == job.id)
    ).all()
    assert kept == [five_writers[0].id]


def test_changed_terms_after_acceptance_need_new_consent(director, five_writers):
    from teamhub.assignments import lifecycle, terms

    job = make_job(director.team, director.person)
    writer = five_writers[0]
    [offer] = splitting.save_split(job, director, [line(writer, 8, job)], 0, 0).created
    lifecycle.accept(offer, writer)
    first = terms.current_notice(offer)
    frozen = dict(first.terms)
    assert first.accepted_at is not None
    changed = line(writer, 10, job, assignment_id=offer.id)
    result = splitting.save_split(job, director, [changed], 0, 1)
    assert result.changed == [offer]
    second = terms.current_notice(offer)
    assert (second.version, second.accepted_at, second.terms["units"]) == (2, None, 10)
    assert first.terms == frozen
    services.confirm_escrow(job, director.person, utcnow())
    with pytest.raises(Conflict):
        lifecycle.start(offer, writer)
    lifecycle.accept_new_terms(offer, writer)
    lifecycle.start(offer, writer)
    assert offer.state == "in_progress"


def test_withdrawing_a_row_cancels_the_offer(director, five_writers):
    job = make_job(director.team, director.person)
    [offer] = splitting.save_split(job, director, [line(five_writers[0], 8, job)], 0, 0).created
    splitting.save_split(
        job, director, [line(five_writers[0], 8, job, assignment_id=offer.id, remove=True)], 0, 1
    )
    assert offer.state == "cancelled"


def test_cancelling_a_job_cancels_open_assignments_and_keeps_history(director, five_writers):
    job = make_job(director.team, director.person)
    offers = splitting.save_split(
        job, director, [line(m, 8, job) for m in five_writers[:2]], 0, 0
    ).created
    with pytest.raises(Invalid):
        services.cancel_job(job, director, "  ")
    services.cancel_job(job, director, "クライアント都合")
    assert job.status == "cancelled" and {a.state for a in offers} == {"cancelled"}
    with pytest.raises(Conflict):
        services.update_job(job, job_input())
    with pytest.raises(Conflict):
        splitting.save_split(job, director, [], 0, job.split_version)


def test_jobs_cannot_be_edited_once_work_is_accepted(director, five_writers):
    from teamhub.assignments import lifecycle

    job = make_job(director.team, director.person)
    services.update_job(job, job_input(title="改題"))
    [offer] = splitting.save_split(job, director, [line(five_writers[0], 8, job)], 0, 0).created
    lifecycle.accept(offer, five_writers[0])
    with pytest.raises(Conflict):
        services.update_job(job, job_input(title="もう一度"))


def test_a_removed_member_cannot_be_offered_work(director):
    from teamhub.teams.services import remove_member

    gone = give_capacity(add_member(director.team))
    remove_member(gone)
    job = make_job(director.team, director.person)
    with pytest.raises(Invalid) as refused:
        splitting.save_split(job, director, [line(gone, 2, job)], 0, 0)
    assert "rows.0.membership_id" in refused.value.reasons


def test_reliability_counts_answers_completion_punctuality_and_revisions(director):
    """The rule, example by example: an offer counts once answered or 24 hours old, fast when
    answered within 24 hours; accepted work that ended counts for completion; approved work
    for punctuality (first delivery by the deadline) and revisions. The split page's
    candidates show the figures ``reliability_for`` adds up."""
    from teamhub.assignments.reliability import Rate, reliability_for

    member = add_member(director.team)
    job = make_job(director.team, director.person)
    now = utcnow()
    hours = lambda n: timedelta(hours=n)  # noqa: E731
    history = [  # state, offered ago, answered after, delivered before the deadline, revisions
        ("approved", hours(100), hours(2), hours(1), 0),  # fast, done, on time
        ("approved", hours(100), hours(30), -hours(1), 1),  # slow, done late, revised
        ("cancelled", hours(100), hours(1), None, 0),  # fast, ended unfinished
        ("declined", hours(100), hours(25), None, 0),  # slow, never accepted
        ("offered", hours(30), None, None, 0),  # unanswered for over 24 hours: counts
        ("offered", hours(2), None, None, 0),  # still has time to answer: not yet
    ]
    for state, ago, answer, early, revisions in history:
        offered_at = now - ago
        due_at = offered_at + hours(72)
        db.session.add(
            Assignment(team_id=job.team_id, job_id=job.id, membership_id=member.id, units=1,
                       state=state, offered_at=offered_at, due_at=due_at,
                       answered_at=answer and offered_at + answer, revision_count=revisions,
                       first_submitted_at=None if early is None else due_at - early)
        )  # fmt: skip
    db.session.flush()
    figures = reliability_for([member.id])[member.id]
    assert figures.answered_in_24h == Rate(2, 5)
    assert figures.completion == Rate(2, 3)
    assert figures.on_time == Rate(1, 2)
    assert figures.revision == Rate(1, 2)
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert candidate.reliability == figures


def test_a_member_with_no_history_has_nothing_measured(director):
    member = add_member(director.team)
    job = make_job(director.team, director.person)
    [candidate] = [c for c in split_page.candidates(job) if c.membership_id == member.id]
    assert [rate.shown for rate in candidate.reliability] == ["—"] * 4


def test_the_split_page_reads_the_jobs_assignments_and_the_teams_candidates(director, five_writers):
    job = make_job(director.team, director.person, unit_count=40, kept_units=4)
    offers = splitting.save_split(
        job, director, [line(m, 8, job) for m in five_writers[:3]], 4, 0
    ).created
    offers[0].state = "approved"
    offers[1].due_at = job.due_at - timedelta(days=2)
    db.session.flush()
    page = split_page.read_split_page(director.team, job.id)
    assert page.job is job
    assert [a.id for a in page.assignments] == [offers[1].id, offers[0].id, offers[2].id]
    assert [a.id for a in page.editable] == [offers[1].id, offers[2].id]
    assert page.locked_units == 8 and page.units_left == 40 - 4 - 8 - 16
    assert {c.membership_id for c in page.candidates} >= {m.id for m in five_writers}
    other = make_team(make_person())
    with pytest.raises(NotFound):
        split_page.read_split_page(other, job.id)


def test_a_suggestion_that_gives_no_one_anything_says_why(director, five_writers):
    job = make_job(director.team, director.person, kept_units=40)
    units, why_none, parts = split_page.suggestion(
        split_page.read_split_page(director.team, job.id)
    )
    assert units == {} and parts == []
    assert why_none.startswith("分担案を作れません。この案件の件数はすべて")


def test_a_save_given_the_pages_candidates_does_not_read_them_again(
    director, five_writers, monkeypatch
):
    job = make_job(director.team, director.person)
    page = split_page.read_split_page(director.team, job.id)

    def read_again(*_args, **_kwargs):
        raise AssertionError("the candidates were read a second time")

    monkeypatch.setattr(splitting, "candidates", read_again)
    lines = [line(m, 8, job) for m in five_writers]
    result = splitting.save_split(job, director, lines, 0, 0, page.candidates)
    assert len(result.created) == 5
