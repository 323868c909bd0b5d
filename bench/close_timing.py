"""Time the big team's payout close: one month, a tenth of all assignments approved in it.

The close runs through ``payouts.services.confirm_close`` inside a transaction that is rolled
back afterwards, so the seeded database stays ready for the next run.
"""

from __future__ import annotations

import time

from bench.seed import close_month
from bench.timings import CLOSE_TARGET_MS, Timed

RUNS = 3


def time_close(app) -> Timed:
    """The median of three closes, each rolled back."""
    runs = [_one_close(app) for _ in range(RUNS)]
    ms = sorted(r[0] for r in runs)[RUNS // 2]
    _ms, shares, entries = runs[0]
    return Timed(
        "close",
        f"Payout close of one team's month ({shares:,} approved assignments)",
        ms,
        CLOSE_TARGET_MS,
        f"services.confirm_close posting {entries:,} ledger entries; median of {RUNS}, "
        "each rolled back",
    )


def _one_close(app) -> tuple[float, int, int]:
    import sqlalchemy as sa

    from teamhub.clock import utcnow
    from teamhub.extensions import db
    from teamhub.payouts import services
    from teamhub.payouts.models import LedgerEntry
    from teamhub.teams.models import Team

    period_end = close_month(utcnow())[1]
    with app.test_request_context():
        team = db.session.get(Team, 1)
        db.session.rollback()
        start = time.perf_counter()
        close = services.confirm_close(team, period_end, None)
        ms = (time.perf_counter() - start) * 1000
        entries = db.session.scalar(
            sa.select(sa.func.count(LedgerEntry.id)).where(LedgerEntry.close_id == close.id)
        )
        shares = db.session.scalar(
            sa.select(sa.func.count(LedgerEntry.id)).where(
                LedgerEntry.close_id == close.id, LedgerEntry.kind == "share"
            )
        )
        db.session.rollback()
        _vacuum_what_the_close_wrote(db.engine)
    return ms, shares, entries


# Every table a close writes to (the ledger, its jobs, the close, the members' notifications).
CLOSE_TABLES = ("ledger_entry", "closed_job", "payout_close", "notification", "email_delivery")


def _vacuum_what_the_close_wrote(engine) -> None:
    """A close rolled back leaves its 105,000 entries behind in PostgreSQL as dead rows, in the
    table and in its indexes, until a vacuum; autovacuum may be off (it is on this machine), so
    every run made the next close and the earnings page slower (8,800,000 dead entries after some
    80 closes: the ledger's heap 1 GB instead of 0.2). Vacuumed here, each close and each run
    starts from the same database."""
    if engine.dialect.name != "postgresql":
        return  # SQLite's rolled-back rows are gone with the rollback
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(CLOSE_TABLES)}")
