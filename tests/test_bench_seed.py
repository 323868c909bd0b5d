"""The benchmark's seed runs through the app's own rules; a change to them must not break it.

``make bench`` seeds 1,000,000 assignments and is not part of the suite, so the smallest scale
is seeded here: the same code path (schema by migration, rows, closes posted through
``payouts.services.settle``), in a few seconds.
"""

from __future__ import annotations

import sqlalchemy as sa

from bench.scale import SMALL
from bench.seed import seed, seeded_key


def test_the_small_scale_seeds_and_its_closes_balance(tmp_path):
    url = f"sqlite:///{tmp_path / 'small.sqlite'}"
    key = seed(url, SMALL)

    assert seeded_key(url) == key
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in ("person", "team", "assignment", "cohort", "enrolment", "ledger_entry")
        }
        unbalanced = connection.execute(
            sa.text(
                "SELECT close_id FROM ledger_entry GROUP BY close_id HAVING sum(amount_yen) != 0"
            )
        ).all()
        members_paid = connection.scalar(
            sa.text("SELECT count(*) FROM ledger_entry WHERE account = 'member' AND amount_yen < 0")
        )
    engine.dispose()
    assert count["person"] == SMALL.people
    assert count["team"] == SMALL.teams
    assert count["assignment"] == SMALL.assignments
    assert count["cohort"] == SMALL.cohorts
    assert count["enrolment"] == SMALL.trainees
    assert count["ledger_entry"] > 0 and members_paid > 0
    assert unbalanced == []
    seed(url, SMALL)
    assert (
        seeded_key(url) == key
    )  # seeded already: reused (the same seeding time), not seeded again
