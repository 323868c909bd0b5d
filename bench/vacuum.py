"""Leave the benchmark's database as a timed close found it."""

from __future__ import annotations

# Every table a close writes to (the ledger, its jobs, the close, the members' notifications).
CLOSE_TABLES = ("ledger_entry", "closed_job", "payout_close", "notification", "email_delivery")


def vacuum_what_the_close_wrote(engine) -> None:
    """A close rolled back leaves its 105,000 entries behind in PostgreSQL as dead rows, in the
    table and in its indexes, until a vacuum; autovacuum may be off (it is on this machine), so
    every run made the next close and the earnings page slower (8,800,000 dead entries after some
    80 closes: the ledger's heap 1 GB instead of 0.2). Vacuumed here, each close and each run
    starts from the same database."""
    if engine.dialect.name != "postgresql":
        return  # SQLite's rolled-back rows are gone with the rollback
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(CLOSE_TABLES)}")
