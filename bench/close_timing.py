"""Time the big team's payout close: one month, a tenth of all assignments approved in it.

The close runs through ``payouts.services.confirm_close`` inside a transaction that is rolled
back afterwards, so the seeded database stays ready for the next run.
"""

from __future__ import annotations

import time

from bench.seed import close_month
from bench.timings import CLOSE_TARGET_MS, Timed
from bench.vacuum import vacuum_what_the_close_wrote

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
        vacuum_what_the_close_wrote(db.engine)
    return ms, shares, entries
