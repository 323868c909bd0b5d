"""The ledger's foreign keys on PostgreSQL: checked once per statement, not once per entry.

A national team's close posts 105,000 ledger entries in one COPY. PostgreSQL checks a foreign key
with a query per row: the five keys of ``ledger_entry`` took 3.35 s of that close's 4.6 s in the
database (``EXPLAIN ANALYZE``: the assignment 1.2 s, the close's job 1.0 s, the member 0.9 s, the
two keys left empty 0.26 s). On PostgreSQL these keys are therefore kept by triggers that apply
the same rule to all the rows of a statement at once (0.35 s for that close):

- after an ``INSERT`` or ``UPDATE`` of ledger entries, one query per key looks for an entry whose
  key names no row, and refuses the statement with a foreign key violation (SQLSTATE 23503, so
  callers see the ``IntegrityError`` a foreign key gives);
- deleting a row an entry refers to, or changing its key, is refused the same way.

Two transactions cannot slip past each other: writing entries takes a shared advisory lock, and
deleting a referenced row an exclusive one, so a delete waits for the entries being written to be
committed (or taken back), then sees them. That holds in READ COMMITTED, teamhub's only isolation
level; the triggers refuse to run in any other. TRUNCATE is an administrator's tool and is not
checked. SQLite keeps ordinary foreign keys (its checks are cheap): ``on_this_database`` says which
constraints a database holds, for ``create_all`` and for comparing migrations with the models.

Migration 0011 installs these triggers with a copy of this SQL, frozen at that revision.
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa


class Key(NamedTuple):
    columns: tuple[str, ...]  # of ledger_entry
    table: str
    referred: tuple[str, ...]
    name: str  # the constraint's name, as the foreign key had it


KEYS = (
    Key(("assignment_id",), "assignment", ("id",), "fk_ledger_entry_assignment_id_assignment"),
    Key(("membership_id",), "membership", ("id",), "fk_ledger_entry_membership_id_membership"),
    Key(
        ("close_id", "job_id", "team_id"),
        "closed_job",
        ("close_id", "job_id", "team_id"),
        "fk_ledger_entry_close_id_closed_job",
    ),
    Key(("created_by_id",), "person", ("id",), "fk_ledger_entry_created_by_id_person"),
    Key(("reverses_id",), "ledger_entry", ("id",), "fk_ledger_entry_reverses_id_ledger_entry"),
)

# The dialects whose foreign keys on ledger_entry are these triggers (``info`` of each constraint).
KEPT_BY_TRIGGERS = "kept_by_triggers_on"
TRIGGER_DIALECTS = ("postgresql",)

# pg_advisory_xact_lock(class, object): "teamhub" ledger keys.
_LOCK = "1952801133, 1"


def _missing_check(key: Key) -> str:
    present = " AND ".join(f"n.{c} IS NOT NULL" for c in key.columns)
    match = " AND ".join(f"k.{r} = n.{c}" for c, r in zip(key.columns, key.referred, strict=True))
    # Built from the constant KEYS above: no outside text reaches it.
    return f"""
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE {present} AND NOT EXISTS (SELECT 1 FROM {key.table} k WHERE {match})
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "{key.name}"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = '{key.name}', TABLE = 'ledger_entry';
  END IF;"""  # noqa: S608


def _install_sql() -> str:
    checks = "".join(_missing_check(key) for key in KEYS)
    kept = "\n".join(
        f"CREATE TRIGGER ledger_entry_key_{key.table} AFTER DELETE OR UPDATE OF "
        f"{', '.join(key.referred)} ON {key.table} FOR EACH ROW EXECUTE FUNCTION "
        f"ledger_entry_keep_key('{','.join(key.columns)}', '{','.join(key.referred)}', "
        f"'{key.name}');"
        for key in KEYS
    )
    # Built from the constant KEYS above: no outside text reaches it.
    return f"""
CREATE OR REPLACE FUNCTION ledger_entry_keys_read_committed() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION 'the ledger''s keys are checked in READ COMMITTED transactions only'
      USING ERRCODE = 'feature_not_supported';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION ledger_entry_check_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ledger_entry_keys_read_committed();
  PERFORM pg_advisory_xact_lock_shared({_LOCK});{checks}
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_entry_keep_key() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  entry_columns text[] := string_to_array(TG_ARGV[0], ',');
  own_columns text[] := string_to_array(TG_ARGV[1], ',');
  old_row jsonb := to_jsonb(OLD);
  condition text;
  referred boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND NOT EXISTS (
    SELECT 1 FROM unnest(own_columns) c WHERE (old_row -> c) IS DISTINCT FROM (to_jsonb(NEW) -> c)
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM ledger_entry_keys_read_committed();
  PERFORM pg_advisory_xact_lock({_LOCK});
  SELECT string_agg(format('%I = ($1 ->> %L)::integer', e, o), ' AND ')
    INTO condition FROM unnest(entry_columns, own_columns) AS k(e, o);
  EXECUTE 'SELECT EXISTS (SELECT 1 FROM ledger_entry WHERE ' || condition || ')'
    INTO referred USING old_row;
  IF referred THEN
    RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "ledger_entry"',
      TG_TABLE_NAME, TG_ARGV[2]
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[2], TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_entry_keys_inserted AFTER INSERT ON ledger_entry
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_check_keys();
CREATE TRIGGER ledger_entry_keys_updated AFTER UPDATE ON ledger_entry
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_check_keys();
{kept}
"""  # noqa: S608


INSTALL = _install_sql()
REMOVE = """
DROP FUNCTION IF EXISTS ledger_entry_check_keys() CASCADE;
DROP FUNCTION IF EXISTS ledger_entry_keep_key() CASCADE;
DROP FUNCTION IF EXISTS ledger_entry_keys_read_committed();
"""


def on_this_database(constraint: sa.Constraint, dialect_name: str) -> bool:
    """Whether a database of ``dialect_name`` holds ``constraint`` itself (False: triggers keep
    its rule there)."""
    return dialect_name not in constraint.info.get(KEPT_BY_TRIGGERS, ())


def foreign_key(columns: list[str], referred: list[str]) -> sa.ForeignKeyConstraint:
    """A ledger foreign key: a constraint on SQLite, these triggers on PostgreSQL."""
    constraint = sa.ForeignKeyConstraint(
        columns, referred, info={KEPT_BY_TRIGGERS: TRIGGER_DIALECTS}
    )
    return constraint.ddl_if(
        callable_=lambda _ddl, target, _bind, dialect, **_kw: on_this_database(target, dialect.name)
    )


def include_object_for(dialect_name: str):
    """Alembic's ``include_object`` for comparing a database with the models: the foreign keys a
    database keeps by triggers are not looked for among its constraints."""

    def include_object(item, _name, type_, _reflected, _compare_to) -> bool:
        if type_ == "foreign_key_constraint" and isinstance(item, sa.ForeignKeyConstraint):
            return on_this_database(item, dialect_name)
        return True

    return include_object


def _escaped(sql: str) -> str:
    """``DDL`` formats its text with ``%``: the functions' own ``%`` are doubled."""
    return sql.replace("%", "%%")


def attach(table: sa.Table, metadata: sa.MetaData) -> None:
    """Install the triggers whenever ``create_all`` creates the ledger on PostgreSQL, and remove
    their functions after ``drop_all``."""
    for dialect in TRIGGER_DIALECTS:
        sa.event.listen(
            table, "after_create", sa.DDL(_escaped(INSTALL)).execute_if(dialect=dialect)
        )
        sa.event.listen(
            metadata, "after_drop", sa.DDL(_escaped(REMOVE)).execute_if(dialect=dialect)
        )
