"""Time the big team's payout close: one month, a tenth of all assignments approved in it, and a
realistic month of the same team (its first 125 jobs: 5,000 approved assignments).

The close runs through ``payouts.services.confirm_close`` inside a transaction that is rolled
back afterwards, so the seeded database stays ready for the next run. On its own, against a
seeded database::

    python -m bench.close_timing [database URL]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from bench.seed import close_month
from bench.timings import CLOSE_TARGET_MS, Timed
from bench.vacuum import vacuum_what_the_close_wrote

RUNS = 3
MONTH_JOBS = 125  # 40 approved assignments each: a realistic month of 5,000
MONTH_TARGET_MS = 1000


def time_close(app, jobs: int | None = None, target_ms: float = CLOSE_TARGET_MS) -> Timed:
    """The median of three closes, each rolled back; ``jobs``: close only the month's first
    ``jobs`` jobs (the others' receipts are taken back, inside the same transaction)."""
    runs = [_one_close(app, jobs) for _ in range(RUNS)]
    ms = sorted(r[0] for r in runs)[RUNS // 2]
    _ms, shares, entries = runs[0]
    return Timed(
        "close" if jobs is None else "month_close",
        f"Payout close of one team's month ({shares:,} approved assignments)",
        ms,
        target_ms,
        f"services.confirm_close posting {entries:,} ledger entries; median of {RUNS}, "
        "each rolled back",
    )


def _one_close(app, jobs: int | None) -> tuple[float, int, int]:
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
        if jobs is not None:
            _receive_only(team.id, jobs)
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


def _receive_only(team_id: int, jobs: int) -> None:
    """Leave the money of only the team's first ``jobs`` open jobs received."""
    import sqlalchemy as sa

    from teamhub.extensions import db
    from teamhub.jobs.models import Job
    from teamhub.payouts.models import ClosedJob

    open_received = sa.select(Job.id).where(
        Job.team_id == team_id,
        Job.received_yen.is_not(None),
        Job.id.not_in(sa.select(ClosedJob.job_id)),
    )
    kept = open_received.order_by(Job.id).limit(jobs)
    db.session.execute(
        sa.update(Job)
        .where(Job.id.in_(open_received), Job.id.not_in(kept))
        .values(received_yen=None)
        .execution_options(synchronize_session=False)
    )


def main(argv: list[str]) -> None:
    from bench import inprocess
    from bench.run import DEFAULT_PG

    url = argv[0] if argv else os.environ.get("TEAMHUB_BENCH_DATABASE_URL") or DEFAULT_PG
    app = inprocess.make_app(url, tempfile.mkdtemp(prefix="teamhub-close-"))
    for timed in (time_close(app), time_close(app, MONTH_JOBS, MONTH_TARGET_MS)):
        print(f"{timed.title}: {timed.ms:,.0f} ms (under {timed.target_ms:,.0f} ms: {timed.met})")


if __name__ == "__main__":
    main(sys.argv[1:])
