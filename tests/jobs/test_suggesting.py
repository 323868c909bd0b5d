"""The suggested split: by room before the deadline, then skills and record, and why."""

from __future__ import annotations

import re

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from teamhub.assignments.models import Assignment
from teamhub.assignments.reliability import from_counts
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.jobs import split_page, suggesting
from teamhub.jobs.suggesting import Candidate
from teamhub.teams.models import Team
from tests import factories
from tests.conftest import login_as


def candidate(mid: int, capacity, committed=0, lacks=False, approved=0, on_time=0, finished=0):
    """A member as the split page reads them: ``finished`` assignments ended, ``approved`` of
    them approved, ``on_time`` of those delivered by their due date."""
    return Candidate(
        membership_id=mid,
        name=f"m{mid}",
        capacity=capacity,
        committed=committed,
        skills=(),
        missing_skills=("seo",) if lacks else (),
        reliability=from_counts(0, 0, finished, approved, on_time, 0),
        days_away=0,
    )


def test_members_who_declared_more_get_more():
    """Declared 24 and 80 units a week for the same window: the parts follow their room."""
    pool = [candidate(1, 24), candidate(2, 80)]
    assert suggesting.suggest(52, pool) == {1: 12, 2: 40}


def test_a_steadier_record_gets_more_of_the_same_room():
    steady = candidate(1, 20, finished=10, approved=10, on_time=10)  # 100%
    shaky = candidate(2, 20, finished=10, approved=5, on_time=0)  # 50% completed, 0% on time
    parts = suggesting.suggest(20, [shaky, steady])
    assert parts[1] > parts[2] and sum(parts.values()) == 20


def test_each_member_is_told_why():
    pool = [
        candidate(1, 30),
        candidate(2, 40, lacks=True),
        candidate(3, None),
        candidate(4, 10, committed=10),
        candidate(5, 1),
    ]
    parts = {p.candidate.membership_id: p for p in suggesting.plan(6, pool)}
    assert {mid: (p.units, p.why) for mid, p in parts.items()} == {
        1: (6, suggesting.SHARE),
        2: (0, suggesting.LACKS_SKILLS),
        3: (0, suggesting.NOT_DECLARED),
        4: (0, suggesting.NO_ROOM),
        5: (0, suggesting.RAN_OUT),
    }


members = st.lists(
    st.builds(
        dict,
        capacity=st.one_of(st.none(), st.integers(0, 120)),
        committed=st.integers(0, 60),
        lacks=st.booleans(),
        finished=st.integers(0, 20),
        approved_share=st.integers(0, 100),
        on_time_share=st.integers(0, 100),
    ),
    max_size=12,
)


def _pool(drawn: list[dict]) -> list[Candidate]:
    pool = []
    for mid, d in enumerate(drawn, start=1):
        approved = d["finished"] * d["approved_share"] // 100
        on_time = approved * d["on_time_share"] // 100
        pool.append(
            candidate(
                mid, d["capacity"], d["committed"], d["lacks"], approved, on_time, d["finished"]
            )
        )
    return pool


@given(drawn=members, units=st.integers(0, 400))
def test_the_suggestion_accounts_for_every_unit_and_keeps_within_room_when_it_can(drawn, units):
    pool = _pool(drawn)
    plan = suggesting.plan(units, pool)
    given_units = {p.candidate.membership_id: p.units for p in plan}
    eligible = [c for c in pool if c.eligible]
    assert [p.candidate for p in plan] == pool  # everyone, in the pool's order
    assert all(p.units >= 0 for p in plan)
    assert all(given_units[c.membership_id] == 0 for c in pool if not c.eligible)
    assert sum(given_units.values()) == (units if eligible else 0)
    room = sum(c.room for c in eligible)
    if room >= units:
        assert all(given_units[c.membership_id] <= c.room for c in eligible)
    else:  # every room filled before anyone passes theirs
        assert all(given_units[c.membership_id] >= c.room for c in eligible)
    for p in plan:
        assert (p.why == suggesting.OVER) == (p.units > p.candidate.room and p.candidate.eligible)


@given(drawn=members, units=st.integers(0, 400))
def test_more_room_never_means_fewer_units_for_the_same_record(drawn, units):
    pool = _pool(drawn)
    given_units = suggesting.suggest(units, pool)
    eligible = [c for c in pool if c.eligible]
    for a in eligible:
        for b in eligible:
            if a.standing == b.standing and a.room > b.room:
                assert given_units.get(a.membership_id, 0) >= given_units.get(b.membership_id, 0)


def test_the_split_page_says_why_each_member_got_what(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        small = factories.give_capacity(factories.add_member(team), 24)
        large = factories.give_capacity(factories.add_member(team), 80)
        job = factories.make_job(team, unit_count=40)
        db.session.commit()
        small_id, large_id, job_id = small.id, large.id, job.id
        pool = {c.membership_id: c for c in split_page.candidates(job)}
        rooms = pool[small_id].room, pool[large_id].room
    director = login_as(app, roles.director.email)
    html = director.get(f"/teams/{roles.team.slug}/jobs/{job_id}/split?suggest=1").get_data(
        as_text=True
    )
    why = {
        int(mid): cells for mid, cells in re.findall(r'<tr id="why-(\d+)">(.*?)</tr>', html, re.S)
    }
    small_units, large_units = suggesting.suggest(40, list(pool.values())).values()
    assert small_units < large_units and small_units + large_units == 40
    assert f"納期までの作業可能量は{rooms[0]}件" in why[small_id]
    assert f"納期までの作業可能量は{rooms[1]}件" in why[large_id]
    assert "実績はまだありません" in why[small_id]
    assert "作業できる量をまだ登録していません" in why[roles.member_membership]
    assert "分担案の決め方" in html
    assert 'id="suggestion-why"' not in director.get(
        f"/teams/{roles.team.slug}/jobs/{job_id}/split"
    ).get_data(as_text=True)


def test_owed_work_narrows_the_room_the_suggestion_uses(app):
    with app.app_context():
        roles = factories.team_with_roles()
        team = db.session.get(Team, roles.team.id)
        busy = factories.give_capacity(factories.add_member(team), 70)
        free = factories.give_capacity(factories.add_member(team), 70)
        job = factories.make_job(team, unit_count=20)
        other = factories.make_job(team, unit_count=60, due_at=job.due_at)
        db.session.add(Assignment(team_id=team.id, job_id=other.id, membership_id=busy.id,
                                  units=60, due_at=utcnow(), state="in_progress"))  # fmt: skip
        db.session.flush()
        pool = split_page.candidates(job)
        parts = suggesting.suggest(20, pool)
        assert parts[free.id] > parts[busy.id]
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
