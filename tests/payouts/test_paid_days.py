"""The paid-day summary always equals the ledger it summarises.

Reports of thousands of trainees read ``paid_day`` and ``first_paid_day`` instead of grouping
years of statements; these tests check, after every way a close becomes paid or changes once
paid, that both tables hold exactly what the ledger says.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teamhub.extensions import db
from teamhub.payouts import queries, services
from teamhub.payouts.models import FirstPaidDay, PaidDay
from tests.factories import add_member, closed_month, make_person, make_team


def from_ledger(people: list[int]) -> tuple[set, dict]:
    """What the summary must say, grouped from the ledger itself."""
    days = {tuple(row) for row in db.session.execute(queries.net_paid_per_day(people))}
    firsts: dict[int, date] = {}
    for person_id, paid_on, net in sorted(days, key=lambda row: row[1]):
        if net > 0:
            firsts.setdefault(person_id, paid_on)
    return days, firsts


def summary(people: list[int]) -> tuple[set, dict]:
    days = db.session.execute(
        sa.select(PaidDay.person_id, PaidDay.paid_on, PaidDay.net_yen).where(
            PaidDay.person_id.in_(people)
        )
    )
    firsts = db.session.execute(
        sa.select(FirstPaidDay.person_id, FirstPaidDay.paid_on).where(
            FirstPaidDay.person_id.in_(people)
        )
    )
    return {tuple(row) for row in days}, dict(firsts.all())


def two_teams():
    """A person who works in two teams: each team, its October close (not paid yet) and the
    person's membership id there. The second team withholds income tax (¥5,105 of ¥50,000)."""
    person = make_person()
    closes = []
    for received, payer_type in ((30_000, "individual"), (50_000, "corporation")):
        team = make_team(make_person(), payer_type=payer_type, fee_rate_bp=0)
        member = add_member(team, person)
        closes.append((team, closed_month(team, None, member, received), member.id))
    return person, closes


def test_marking_paid_writes_the_day_and_the_first_day(ctx):
    person, [(_, first, _), (_, second, _)] = two_teams()
    assert summary([person.id]) == (set(), {})  # confirmed is not paid

    services.mark_paid(first, date(2026, 11, 10))
    services.mark_paid(second, date(2026, 11, 10))

    days, firsts = summary([person.id])
    assert days == {(person.id, date(2026, 11, 10), 30_000 + 44_895)}  # two teams, one day
    assert firsts == {person.id: date(2026, 11, 10)}
    assert (days, firsts) == from_ledger([person.id])
    assert queries.first_paid_on_by_person([person.id]) == firsts
    window = queries.net_paid_by_person([person.id], since=date(2026, 11, 1))
    assert window == [(person.id, date(2026, 11, 10), 74_895)]
    assert queries.net_paid_by_person([person.id], since=date(2026, 11, 11)) == []


def test_a_new_payment_date_moves_the_money_and_the_first_day(ctx):
    person, [(_, first, _), (_, second, _)] = two_teams()
    services.mark_paid(first, date(2026, 11, 10))
    services.mark_paid(second, date(2026, 11, 12))
    services.mark_paid(second, date(2026, 11, 5))  # the director fixes the date

    days, firsts = summary([person.id])
    assert {(day, net) for _, day, net in days} == {
        (date(2026, 11, 10), 30_000),
        (date(2026, 11, 5), 44_895),
    }
    assert firsts == {person.id: date(2026, 11, 5)}
    assert (days, firsts) == from_ledger([person.id])


def test_correcting_a_paid_close_follows_the_ledger(ctx):
    person, [(team, first, member_id), (_, second, _)] = two_teams()
    services.mark_paid(first, date(2026, 11, 5))
    services.mark_paid(second, date(2026, 11, 10))
    [statement] = queries.statements(first, member_id)
    [line] = [ln for ln in statement.lines if ln.correctable]

    services.correct_share(team, first, line.entry_id, 0, "二重計上でした", None)

    days, firsts = summary([person.id])
    assert (person.id, date(2026, 11, 5), 0) in days
    assert firsts == {person.id: date(2026, 11, 10)}  # nothing paid on the 5th any more
    assert (days, firsts) == from_ledger([person.id])


def test_correcting_a_close_not_yet_paid_leaves_the_summary_alone(ctx):
    person, [(team, first, member_id), _] = two_teams()
    [statement] = queries.statements(first, member_id)
    [line] = [ln for ln in statement.lines if ln.correctable]
    services.correct_share(team, first, line.entry_id, 10_000, "単価の誤り", None)
    assert summary([person.id]) == (set(), {})


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("pay"), st.integers(0, 1), st.integers(1, 20)),
            st.tuples(st.just("correct"), st.integers(0, 1), st.integers(0, 90_000)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_whatever_happens_the_summary_equals_the_ledger(ctx, steps):
    savepoint = db.session.begin_nested()
    person, closes = two_teams()
    for action, which, value in steps:
        team, close, member_id = closes[which]
        if action == "pay":
            services.mark_paid(close, date(2026, 11, value))
            continue
        [statement] = queries.statements(close, member_id)
        [line] = [ln for ln in statement.lines if ln.correctable]
        if value != line.gross_yen:
            services.correct_share(team, close, line.entry_id, value, "訂正", None)
    assert summary([person.id]) == from_ledger([person.id])
    savepoint.rollback()
