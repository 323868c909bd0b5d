"""Each member's reliability counts kept by the database (member_reliability): whatever writes
assignments, and however, the counts stay what the history gives."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamhub.assignments import reliability, reliability_summary
from teamhub.assignments.models import Assignment, MemberReliability
from teamhub.assignments.reliability import reliability_for
from teamhub.clock import utcnow
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.teams.models import Membership
from tests.factories import add_member, history_values, make_job, make_person, make_team

STATES = ["offered", "accepted", "in_progress", "submitted", "changes_requested", "approved",
          "declined", "cancelled", "reassigned"]  # fmt: skip
HOUR = timedelta(hours=1)
MICROSECOND = timedelta(microseconds=1)
ANSWERS = st.none() | st.sampled_from(
    [timedelta(0), 2 * HOUR, 24 * HOUR - MICROSECOND, 24 * HOUR, 24 * HOUR + MICROSECOND, 30 * HOUR]
)
DELIVERIES = st.none() | st.sampled_from([-24 * HOUR, -MICROSECOND, timedelta(0), MICROSECOND])
ROWS = st.fixed_dictionaries(
    {
        "state": st.sampled_from(STATES),
        "age": st.sampled_from([HOUR, 25 * HOUR, 9 * 24 * HOUR]),
        "answer": ANSWERS,
        "delivered": DELIVERIES,
        "revision_count": st.integers(0, 2),
        "member": st.integers(0, 2),
    }
)
# A write to the assignments: each kind the app or an operator could make.
WRITES = st.one_of(
    st.tuples(st.just("add"), ROWS),  # one row through the ORM
    st.tuples(st.just("add_many"), st.lists(ROWS, min_size=1, max_size=4)),  # one INSERT
    st.tuples(st.just("change"), st.integers(0, 50), ROWS),  # the ORM, only what differs
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 2)),  # to another member
    st.tuples(st.just("remove"), st.integers(0, 50)),  # one row through the ORM
    st.tuples(st.just("change_all"), st.sampled_from(STATES)),  # one UPDATE of many rows
    st.tuples(st.just("close_all"), st.just(None)),  # a column the counts do not read
    st.tuples(st.just("remove_all"), st.integers(0, 2)),  # one DELETE of a member's rows
)


@pytest.fixture
def team(ctx):
    director = make_person()
    team = make_team(director)
    members = [add_member(team) for _ in range(3)]
    job = make_job(team, director)
    db.session.flush()
    return {"job": job, "members": members}


def _write(write, job, members, now) -> None:
    kind, argument, *rest = write
    rows = db.session.scalars(sa.select(Assignment).order_by(Assignment.id)).all()
    base = {"team_id": job.team_id, "job_id": job.id, "units": 1}
    if kind == "add":
        member = members[argument["member"]]
        db.session.add(Assignment(membership_id=member.id, **base, **history_values(argument, now)))
    elif kind == "add_many":
        db.session.execute(
            sa.insert(Assignment),
            [
                {"membership_id": members[r["member"]].id, **base, **history_values(r, now)}
                for r in argument
            ],
        )
    elif kind in ("change", "move", "remove") and rows:
        row = rows[argument % len(rows)]
        if kind == "change":
            for name, value in history_values(rest[0], now).items():
                setattr(row, name, value)
        elif kind == "move":
            row.membership_id = members[rest[0]].id
        else:
            db.session.delete(row)
    elif kind == "change_all":
        db.session.execute(sa.update(Assignment).values(state=argument))
    elif kind == "close_all":
        db.session.execute(sa.update(Assignment).values(closed_at=now))
    elif kind == "remove_all":
        db.session.execute(
            sa.delete(Assignment).where(Assignment.membership_id == members[argument].id)
        )
    db.session.flush()
    db.session.expire_all()


def kept_counts(membership_ids: list[int]) -> dict[int, tuple]:
    rows = db.session.execute(
        sa.select(MemberReliability).where(MemberReliability.membership_id.in_(membership_ids))
    ).scalars()
    found = {
        r.membership_id: tuple(getattr(r, f) for f in reliability_summary.FIGURES) for r in rows
    }
    return {m: found.get(m, (0,) * len(reliability_summary.FIGURES)) for m in membership_ids}


def history_counts(membership_ids: list[int]) -> dict[int, tuple]:
    """The counts the history gives, added up in Python from the rows as they are now."""
    counts = {m: [0] * len(reliability_summary.FIGURES) for m in membership_ids}
    for a in db.session.scalars(sa.select(Assignment)):
        answered = a.answered_at is not None
        approved = a.state == "approved"
        for index, hit in enumerate(
            (
                answered,
                answered and a.answered_at <= a.offered_at + timedelta(hours=24),
                answered and a.state in ("approved", "cancelled", "reassigned"),
                approved,
                approved and a.first_submitted_at is not None and a.first_submitted_at <= a.due_at,
                approved and a.revision_count > 0,
            )
        ):
            counts[a.membership_id][index] += hit
    return {m: tuple(c) for m, c in counts.items()}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(WRITES, min_size=1, max_size=10))
def test_the_kept_counts_are_always_the_historys(team, writes):
    """Rows added, changed, moved to another member and removed, one at a time through the
    ORM or many in one statement: each member's kept counts equal their history's, and the
    split page's figures equal the rule's."""
    savepoint = db.session.begin_nested()
    job, members = team["job"], team["members"]
    ids = [m.id for m in members]
    now = utcnow()
    for write in writes:
        _write(write, job, members, now)
        assert kept_counts(ids) == history_counts(ids)
    by_member = {c.membership_id: c.reliability for c in splitting.candidates(job)}
    assert {m: by_member[m] for m in ids} == reliability_for(ids)
    savepoint.rollback()


def test_an_offer_left_unanswered_counts_once_its_24_hours_pass_with_no_write(team):
    """No write marks the moment an offer's 24 hours pass: the split page counts those
    offers when it reads (ix_assignment_unanswered), beside the kept counts."""
    job, [member, *_] = team["job"], team["members"]
    now = utcnow()
    db.session.add(
        Assignment(
            team_id=job.team_id, job_id=job.id, membership_id=member.id, units=1,
            state="offered", offered_at=now - timedelta(hours=23), due_at=now + timedelta(days=3),
        )
    )  # fmt: skip
    db.session.flush()

    def offers_counted(at) -> int:
        parameters = reliability.parameters(at)
        statement = (
            sa.select(*reliability.summary_totals(Membership.id))
            .select_from(Membership)
            .outerjoin(MemberReliability, MemberReliability.membership_id == Membership.id)
            .where(Membership.id == member.id)
        )
        return db.session.execute(statement, parameters).one().total_offers

    assert offers_counted(now) == 0
    assert offers_counted(now + timedelta(hours=1, microseconds=1)) == 1
    assert kept_counts([member.id])[member.id] == (0,) * 6


@pytest.mark.commits
def test_writes_in_two_transactions_at_once_both_count(app):
    """Two members of staff acting on the same member's work at the same moment: each
    transaction adds its own part to the kept counts (PostgreSQL: the second waits for the
    first's row lock, then adds to what the first committed)."""
    with app.test_request_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: SQLite has one writer at a time")
        director = make_person()
        team = make_team(director)
        member = add_member(team)
        job = make_job(team, director)
        now = utcnow()
        for _ in range(2):
            db.session.add(
                Assignment(
                    team_id=job.team_id, job_id=job.id, membership_id=member.id, units=1,
                    state="submitted", offered_at=now - timedelta(days=2),
                    answered_at=now - timedelta(days=2), due_at=now + timedelta(days=1),
                )
            )  # fmt: skip
        db.session.commit()
        first, second = db.session.scalars(
            sa.select(Assignment.id).where(Assignment.membership_id == member.id)
        ).all()
        member_id = member.id
        db.session.remove()

        def approve(connection, assignment_id):
            connection.execute(
                sa.update(Assignment).where(Assignment.id == assignment_id).values(state="approved")
            )

        with db.engine.connect() as one, db.engine.connect() as other:
            approve(one, first)  # holds member_reliability's row until it commits
            waiting = threading.Thread(target=lambda: (approve(other, second), other.commit()))
            waiting.start()
            waiting.join(timeout=0.5)
            assert waiting.is_alive()  # waiting for the first transaction's row
            one.commit()
            waiting.join(timeout=10)
            assert not waiting.is_alive()
        counts = kept_counts([member_id])[member_id]
        assert counts == history_counts([member_id])[member_id]
        assert counts[reliability_summary.FIGURES.index("approved")] == 2
        assert counts[reliability_summary.FIGURES.index("finished")] == 2
