"""The ledger's foreign keys: every entry names rows that exist, and those rows stay.

Plain foreign keys on both databases: the database refuses, not our code.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from teamhub.extensions import db
from teamhub.payouts.models import ClosedJob, LedgerEntry
from teamhub.teams.models import Team
from tests.factories import add_member, closed_month, make_job, make_person, make_team

NO_SUCH_ID = 987_654


@pytest.fixture
def share(ctx):
    """A share entry of a closed month (its team, close, job, member and assignment exist)."""
    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=1000)
    close = closed_month(team, None, add_member(team))
    return db.session.scalars(
        sa.select(LedgerEntry).where(LedgerEntry.close_id == close.id, LedgerEntry.kind == "share")
    ).one()


def _copy(entry: LedgerEntry, **changes) -> dict:
    row = {
        "team_id": entry.team_id, "close_id": entry.close_id, "job_id": entry.job_id,
        "assignment_id": entry.assignment_id, "membership_id": entry.membership_id,
        "account": entry.account, "amount_yen": 0, "units": 0, "kind": entry.kind, "note": "",
        "created_at": datetime(2026, 11, 2, tzinfo=UTC),
    }  # fmt: skip
    return row | changes


def _entries() -> int:
    return db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)))


def _refused(constraint: str):
    """Expect an IntegrityError; PostgreSQL names the foreign key (SQLite names none)."""

    class Check:
        def __enter__(self):
            self.raises = pytest.raises(sa.exc.IntegrityError)
            self.info = self.raises.__enter__()
            self.nested = db.session.begin_nested()
            return self

        def __exit__(self, *exc):
            try:
                self.nested.__exit__(*exc)
            finally:
                handled = self.raises.__exit__(*(exc if exc[0] else (None, None, None)))
            if db.engine.dialect.name == "postgresql":
                assert self.info.value.orig.diag.constraint_name == constraint
            return handled

    return Check()


def _team(share: LedgerEntry) -> Team:
    return db.session.get(Team, share.team_id)


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"assignment_id": NO_SUCH_ID}, "fk_ledger_entry_assignment_id_assignment"),
        ({"membership_id": NO_SUCH_ID}, "fk_ledger_entry_membership_id_membership"),
        ({"created_by_id": NO_SUCH_ID}, "fk_ledger_entry_created_by_id_person"),
        ({"reverses_id": NO_SUCH_ID}, "fk_ledger_entry_reverses_id_ledger_entry"),
        ({"close_id": NO_SUCH_ID}, "fk_ledger_entry_close_id_closed_job"),
        ({"job_id": "open job"}, "fk_ledger_entry_close_id_closed_job"),
        ({"team_id": "other team"}, "fk_ledger_entry_close_id_closed_job"),
    ],
)
def test_an_entry_naming_nothing_is_refused_and_nothing_is_written(share, change, constraint):
    if change.get("job_id") == "open job":
        change = {"job_id": make_job(_team(share)).id}  # a job its close did not distribute
    if change.get("team_id") == "other team":
        change = {"team_id": make_team(make_person()).id}
    db.session.execute(sa.insert(LedgerEntry), [_copy(share)])  # its own keys: taken
    before = _entries()
    good, bad = _copy(share), _copy(share, **change)
    with _refused(constraint):
        # One statement with a good entry and a bad one: all of it is refused.
        db.session.execute(sa.insert(LedgerEntry), [good, bad])
    assert _entries() == before


def test_a_row_an_entry_names_cannot_be_deleted_or_given_another_key(share):
    team = _team(share)
    spare_member, author = add_member(team), make_person()
    db.session.execute(
        sa.insert(LedgerEntry),
        [_copy(share, membership_id=spare_member.id, created_by_id=author.id, assignment_id=None)],
    )
    reversal = _copy(share, reverses_id=share.id, amount_yen=-share.amount_yen)
    db.session.execute(sa.insert(LedgerEntry), [reversal])
    closed = db.session.scalars(
        sa.select(ClosedJob).where(ClosedJob.close_id == share.close_id)
    ).one()
    # Each row below is referred to by ledger entries only.
    attempts = [
        ("assignment", share.assignment_id, "fk_ledger_entry_assignment_id_assignment"),
        ("membership", spare_member.id, "fk_ledger_entry_membership_id_membership"),
        ("person", author.id, "fk_ledger_entry_created_by_id_person"),
        ("closed_job", closed.id, "fk_ledger_entry_close_id_closed_job"),
        ("ledger_entry", share.id, "fk_ledger_entry_reverses_id_ledger_entry"),
    ]
    for name, row_id, constraint in attempts:
        with _refused(constraint):
            _delete(name, row_id)
        if name != "closed_job":  # its key's columns are foreign keys of their own
            with _refused(constraint):
                _move(name, row_id)
    _move("closed_job", closed.id)  # not what entries name: it changes freely
    _delete("person", make_person().id)  # a row no entry names goes as before


def _delete(name: str, row_id: int) -> None:
    table = db.metadata.tables[name]
    db.session.execute(sa.delete(table).where(table.c.id == row_id))


def _move(name: str, row_id: int) -> None:
    """Give a row another id."""
    table = db.metadata.tables[name]
    db.session.execute(
        sa.update(table).where(table.c.id == row_id).values(id=table.c.id + NO_SUCH_ID)
    )


def test_an_entry_cannot_be_changed_to_name_nothing(share):
    with _refused("fk_ledger_entry_assignment_id_assignment"):
        db.session.execute(
            sa.update(LedgerEntry)
            .where(LedgerEntry.id == share.id)
            .values(assignment_id=NO_SUCH_ID)
        )
