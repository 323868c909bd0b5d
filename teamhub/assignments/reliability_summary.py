"""Each member's reliability counts, kept by the database as assignments are written.

The split page shows 25 members' reliability beside their capacity. Adding up each member's
whole history on every visit (~450 assignments of a national team, seven sums) was about half
of PostgreSQL's time for that page (bench/notes.md). ``member_reliability`` keeps the counts
instead, and the database keeps them right whoever writes: triggers on ``assignment`` add each
new row's part, take away each removed row's, and both for a changed row. The parts are the
reliability rule's own conditions (``reliability.summary_conditions``) written as SQL for each
database, so the counts are what ``reliability.totals`` finds in the history (a Hypothesis
property checks it on both databases).

- PostgreSQL: one trigger per statement and kind of write, reading the statement's rows
  (transition tables), so a bulk ``COPY`` or ``INSERT`` adds its parts in one grouped upsert. The
  upsert adds to the stored counts (``count = count + part``): two transactions writing the same
  member's work each add their own part, the second after the first commits.
- SQLite: a trigger per row and kind of write (SQLite has no statement triggers), the same
  upsert; SQLite has one writer at a time.

Migration 0013 installs the same SQL, frozen at that revision, and counts the history already
there (``refill_sql``).
"""

from __future__ import annotations

import sqlalchemy as sa

# The counts kept per member: "answered" where the history's rule counts "offers" (answered,
# or unanswered past 24 hours: that part is counted when read, ``reliability.summary_totals``).
FIGURES = ("answered", "answered_fast", "finished", "approved", "on_time", "revised")
# The columns the rule reads: the only ones the triggers' rows carry (a rule that read another
# would fail to build them), and the ones whose change fires SQLite's update trigger.
# PostgreSQL's fires on any update (transition tables take no column list) and writes nothing
# for members whose counts did not change.
COUNTED_COLUMNS = (
    "membership_id",
    "state",
    "answered_at",
    "offered_at",
    "first_submitted_at",
    "due_at",
    "revision_count",
)


def _rows(name: str) -> sa.TableClause:
    """The assignment's columns under ``name`` (a transition table, or SQLite's NEW / OLD)."""
    from teamhub.assignments.models import Assignment

    columns = Assignment.__table__.c
    return sa.table(name, *(sa.column(n, columns[n].type) for n in COUNTED_COLUMNS))


def _parts(dialect: sa.Dialect, source: str, sign: str = "", named: bool = True) -> str:
    """A row of ``source`` as SQL values: its member, then its part of each figure (0 or 1,
    or 0 or -1 with ``sign="-"``), each named as ``member_reliability``'s column unless
    ``named`` is false."""
    from teamhub.assignments import reliability

    rows = _rows(source)
    values = [_sql(rows.c.membership_id, dialect)] + [
        f"{sign}{_sql(sa.case((condition, 1), else_=0), dialect)}"
        for condition in reliability.summary_conditions(rows.c).values()
    ]
    if named:
        values = [
            f"{v} AS {name}" for v, name in zip(values, ("membership_id", *FIGURES), strict=True)
        ]
    return ", ".join(values)


def _sql(element, dialect: sa.Dialect) -> str:
    return str(element.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


_COLUMNS = ", ".join(("membership_id", *FIGURES))
_ADD = ", ".join(f"{f} = member_reliability.{f} + excluded.{f}" for f in FIGURES)


# PostgreSQL ----------------------------------------------------------------------------------


def _pg_function(name: str, selects: list[str]) -> str:
    sums = ", ".join(f"sum({f})" for f in FIGURES)
    changed = " OR ".join(f"sum({f}) <> 0" for f in FIGURES)
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_reliability ({_COLUMNS})
  SELECT membership_id, {sums}
  FROM ({" UNION ALL ".join(selects)}) AS parts
  GROUP BY membership_id
  HAVING {changed}
  ON CONFLICT (membership_id) DO UPDATE SET {_ADD};
  RETURN NULL;
END $$;
"""


def postgresql_install() -> str:
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect()
    added = f"SELECT {_parts(dialect, 'new_rows')} FROM new_rows"
    taken = f"SELECT {_parts(dialect, 'old_rows', '-')} FROM old_rows"
    return "".join(
        [
            _pg_function("member_reliability_add", [added]),
            _pg_function("member_reliability_take", [taken]),
            _pg_function("member_reliability_change", [added, taken]),
            """
CREATE TRIGGER member_reliability_on_insert AFTER INSERT ON assignment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_add();
CREATE TRIGGER member_reliability_on_delete AFTER DELETE ON assignment
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_take();
CREATE TRIGGER member_reliability_on_update AFTER UPDATE ON assignment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_change();
""",
        ]
    )


POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS member_reliability_on_insert ON assignment;
DROP TRIGGER IF EXISTS member_reliability_on_delete ON assignment;
DROP TRIGGER IF EXISTS member_reliability_on_update ON assignment;
DROP FUNCTION IF EXISTS member_reliability_add();
DROP FUNCTION IF EXISTS member_reliability_take();
DROP FUNCTION IF EXISTS member_reliability_change();
"""


# SQLite --------------------------------------------------------------------------------------


def _sqlite_upsert(dialect: sa.Dialect, row: str, sign: str = "") -> str:
    return (
        f"INSERT INTO member_reliability ({_COLUMNS})"
        f" VALUES ({_parts(dialect, row, sign, named=False)})"
        f" ON CONFLICT (membership_id) DO UPDATE SET {_ADD};"
    )


def sqlite_install() -> list[str]:
    """One statement per trigger (sqlite3 runs one statement at a time)."""
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    added, taken = _sqlite_upsert(dialect, "new"), _sqlite_upsert(dialect, "old", "-")
    columns = ", ".join(COUNTED_COLUMNS)
    return [
        f"CREATE TRIGGER member_reliability_on_insert AFTER INSERT ON assignment BEGIN {added} END",
        f"CREATE TRIGGER member_reliability_on_delete AFTER DELETE ON assignment BEGIN {taken} END",
        f"CREATE TRIGGER member_reliability_on_update AFTER UPDATE OF {columns} ON assignment"
        f" BEGIN {taken} {added} END",
    ]


SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS member_reliability_on_{kind}"
    for kind in ("insert", "delete", "update")
]


# Both ----------------------------------------------------------------------------------------


def refill_sql(dialect: sa.Dialect) -> str:
    """Count every member's history into an empty ``member_reliability``."""
    sums = ", ".join(f"sum({f})" for f in FIGURES)
    return (
        f"INSERT INTO member_reliability ({_COLUMNS})"
        f" SELECT membership_id, {sums} FROM (SELECT {_parts(dialect, 'assignment')}"
        f" FROM assignment) AS parts GROUP BY membership_id"
    )


def install(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(postgresql_install())
    elif connection.dialect.name == "sqlite":
        for statement in sqlite_install():
            connection.exec_driver_sql(statement)


def attach(metadata: sa.MetaData) -> None:
    """Install the triggers whenever ``create_all`` creates the tables."""

    @sa.event.listens_for(metadata, "after_create")
    def _install(_target, connection, **_kw):
        install(connection)
