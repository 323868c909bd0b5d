"""Compare-and-set: a change takes effect from the state its request read, or not at all.

Two identical requests (a double click, a retry, two directors at once) both read the same row
and both pass the checks made in Python. Their writes are therefore claims on what they read:

- :func:`claim` changes a row with ``UPDATE … WHERE id = :id AND <each column read> = <value
  read>``. On PostgreSQL the second UPDATE waits for the first request's transaction and then
  finds the row changed: it changes nothing and the caller learns it lost, with the row as the
  winner left it, to answer as the winner did or with a 409.
- :func:`insert_once` adds a row whose unique key admits it once: the loser's INSERT fails on the
  key inside a savepoint, and the caller reads the winner's row instead of failing with a 500.

Every state change of the services goes through one of the two (``assignments.lifecycle._move``
for the assignment steps).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from teamhub.extensions import db

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE


def claim(row: Any, expected: dict[str, Any], values: dict[str, Any]) -> bool:
    """Write ``values`` to ``row`` if its columns still hold ``expected``; True if this did.

    Either way ``row`` then holds what the database holds: the values written, or the winner's.
    """
    model = type(row)
    still = [
        getattr(model, name).is_(None) if value is None else getattr(model, name) == value
        for name, value in expected.items()
    ]
    done = (
        db.session.execute(
            sa.update(model)
            .where(model.id == row.id, *still)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if done:
        for name, value in values.items():
            set_committed_value(row, name, value)
    else:
        db.session.refresh(row, list({*expected, *values}))
    return done


def is_duplicate(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique key refusing a second row (not another broken rule)."""
    original = error.orig
    return getattr(original, "sqlstate", None) == UNIQUE_VIOLATION or (
        "UNIQUE constraint failed" in str(original)
    )


def insert_once(row: Any) -> bool:
    """Add ``row`` unless a row with its unique key exists (another request added it first).

    True if this added it; False leaves the session as it was before the attempt.
    """
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError as error:
        if not is_duplicate(error):
            raise
        return False
    return True
