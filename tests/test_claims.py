"""Compare-and-set (teamhub/claims.py) on either database, without threads: a request whose read
is stale, because another one changed the row after it read it, changes nothing; a second row for
a unique key is refused without a 500."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from teamhub.assignments import lifecycle
from teamhub.assignments.models import Assignment, AssignmentEvent
from teamhub.claims import claim, insert_once
from teamhub.errors import Conflict
from teamhub.extensions import db
from teamhub.jobs import splitting
from teamhub.payouts.models import PayoutClose
from teamhub.teams.models import Membership
from tests.factories import add_member, give_capacity, make_job, make_person, make_team


def _behind_its_back(model, row_id: int, **values) -> None:
    """What another request's committed change looks like to this one: the row changed in the
    database, this session's copy still as it was read."""
    db.session.execute(
        sa.update(model)
        .where(model.id == row_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


@pytest.fixture
def offer(ctx):
    director_person = make_person()
    team = make_team(director_person)
    director = db.session.scalar(sa.select(Membership).where(Membership.team_id == team.id))
    writer = give_capacity(add_member(team))
    job = make_job(team, director_person)
    line = splitting.SplitLine(membership_id=writer.id, units=4, due_at=job.due_at)
    [offer] = splitting.save_split(job, director, [line], 0, 0).created
    return offer, writer


def test_a_step_from_a_state_already_left_is_refused_and_leaves_no_event(offer):
    assignment, writer = offer
    assert assignment.state == "offered"  # as this request read it
    _behind_its_back(Assignment, assignment.id, state="accepted")

    with pytest.raises(Conflict, match="既に行われています"):
        lifecycle.accept(assignment, writer)
    assert assignment.state == "accepted"  # now as the database holds it
    events = db.session.scalars(
        sa.select(AssignmentEvent.to_state).where(AssignmentEvent.assignment_id == assignment.id)
    ).all()
    assert events == ["offered"]


def test_a_claim_writes_only_over_what_was_read(offer):
    assignment, _writer = offer
    assert claim(assignment, {"state": "offered"}, {"state": "declined"})
    assert assignment.state == "declined"
    _behind_its_back(Assignment, assignment.id, state="offered")  # reopened meanwhile
    assert not claim(assignment, {"state": "declined"}, {"state": "cancelled"})
    assert assignment.state == "offered"


def test_a_second_row_for_a_unique_key_is_refused_and_the_session_goes_on(ctx):
    team = make_team(make_person())
    first = PayoutClose(
        team_id=team.id, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    again = PayoutClose(
        team_id=team.id, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    assert insert_once(first)
    assert not insert_once(again)
    assert again not in db.session
    count = db.session.scalar(sa.select(sa.func.count(PayoutClose.id)))
    assert count == 1
