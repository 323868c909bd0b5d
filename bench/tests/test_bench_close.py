"""The benchmark's close timing leaves the database as it found it, dead rows included."""

from __future__ import annotations

import sqlalchemy as sa

from bench.vacuum import CLOSE_TABLES, vacuum_what_the_close_wrote
from teamhub.extensions import db
from teamhub.payouts.models import LedgerEntry
from tests.factories import add_member, closed_month, make_person, make_team


def test_a_timed_close_is_rolled_back_and_vacuumed(app):
    """Every table the close writes is vacuumed (a table missing from the list, or renamed,
    would leave dead rows or fail the run), and the close itself is gone."""
    with app.test_request_context():
        team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
        member = add_member(team, make_person())
        db.session.commit()
        db.session.execute(sa.text("SELECT 1"))  # a transaction for the close, as in the bench
        close = closed_month(team, None, member, 50_000)
        written = {
            table
            for table in db.metadata.tables
            if db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))
        }
        assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id)).where(
            LedgerEntry.close_id == close.id)) > 0  # fmt: skip
        db.session.rollback()
        vacuum_what_the_close_wrote(db.engine)
        assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == 0
    assert set(CLOSE_TABLES) <= set(db.metadata.tables)
    assert {"ledger_entry", "closed_job", "payout_close", "notification"} <= written
    # What the month's work wrote before the close.
    assert written - {"person", "team", "membership", "job", "assignment", "assignment_event",
                      "terms_notice"} <= set(CLOSE_TABLES)  # fmt: skip


def test_the_realistic_month_closes_only_the_first_jobs(ctx):
    """The 5,000-assignment timing closes the team's first jobs only; the rest wait."""
    from datetime import UTC, date, datetime

    from bench.close_timing import _receive_only
    from teamhub.payouts import services
    from tests.factories import approved_assignment, make_job

    team = make_team(make_person(), payer_type="corporation", fee_rate_bp=0)
    member = add_member(team, make_person())
    jobs = [make_job(team, source="direct") for _ in range(3)]
    for job in jobs:
        approved_assignment(job, member.id, datetime(2026, 10, 5, 1, 0, tzinfo=UTC), units=3)
        services.record_receipt(job, 30_000, date(2026, 10, 20))
    _receive_only(team.id, 2)
    db.session.expire_all()
    preview = services.preview_close(team, date(2026, 10, 31))
    assert [s.job.id for s in preview.settlements] == [jobs[0].id, jobs[1].id]
