"""ledger_entry: plain foreign keys again on PostgreSQL (0011's triggers removed)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 10:00:00

0011 replaced the ledger's five foreign keys on PostgreSQL by statement triggers (an advisory
lock, READ COMMITTED only) to save some 3 s of a 100,000-assignment close. The ledger's
integrity is the database's own: this puts the foreign keys back, with their old names, and
drops the triggers and their functions. A close of 100,000 approved assignments stays within
its budget with plain keys (bench/close_timing.py). SQLite always kept its foreign keys:
nothing to do there. The downgrade installs 0011's triggers again (the SQL below is 0011's,
frozen here).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# (name, ledger_entry columns, referred table, referred columns)
FOREIGN_KEYS = (
    ('fk_ledger_entry_assignment_id_assignment', ['assignment_id'], 'assignment', ['id']),
    ('fk_ledger_entry_membership_id_membership', ['membership_id'], 'membership', ['id']),
    ('fk_ledger_entry_close_id_closed_job', ['close_id', 'job_id', 'team_id'], 'closed_job', ['close_id', 'job_id', 'team_id']),
    ('fk_ledger_entry_created_by_id_person', ['created_by_id'], 'person', ['id']),
    ('fk_ledger_entry_reverses_id_ledger_entry', ['reverses_id'], 'ledger_entry', ['id']),
)

INSTALL = r"""
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
  PERFORM pg_advisory_xact_lock_shared(1952801133, 1);
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE n.assignment_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assignment k WHERE k.id = n.assignment_id)
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "fk_ledger_entry_assignment_id_assignment"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_ledger_entry_assignment_id_assignment', TABLE = 'ledger_entry';
  END IF;
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE n.membership_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM membership k WHERE k.id = n.membership_id)
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "fk_ledger_entry_membership_id_membership"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_ledger_entry_membership_id_membership', TABLE = 'ledger_entry';
  END IF;
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE n.close_id IS NOT NULL AND n.job_id IS NOT NULL AND n.team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM closed_job k WHERE k.close_id = n.close_id AND k.job_id = n.job_id AND k.team_id = n.team_id)
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "fk_ledger_entry_close_id_closed_job"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_ledger_entry_close_id_closed_job', TABLE = 'ledger_entry';
  END IF;
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE n.created_by_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person k WHERE k.id = n.created_by_id)
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "fk_ledger_entry_created_by_id_person"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_ledger_entry_created_by_id_person', TABLE = 'ledger_entry';
  END IF;
  IF EXISTS (
    SELECT 1 FROM new_entries n
    WHERE n.reverses_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entry k WHERE k.id = n.reverses_id)
  ) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_entry" violates foreign key constraint "fk_ledger_entry_reverses_id_ledger_entry"'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'fk_ledger_entry_reverses_id_ledger_entry', TABLE = 'ledger_entry';
  END IF;
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
  PERFORM pg_advisory_xact_lock(1952801133, 1);
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
CREATE TRIGGER ledger_entry_key_assignment AFTER DELETE OR UPDATE OF id ON assignment FOR EACH ROW EXECUTE FUNCTION ledger_entry_keep_key('assignment_id', 'id', 'fk_ledger_entry_assignment_id_assignment');
CREATE TRIGGER ledger_entry_key_membership AFTER DELETE OR UPDATE OF id ON membership FOR EACH ROW EXECUTE FUNCTION ledger_entry_keep_key('membership_id', 'id', 'fk_ledger_entry_membership_id_membership');
CREATE TRIGGER ledger_entry_key_closed_job AFTER DELETE OR UPDATE OF close_id, job_id, team_id ON closed_job FOR EACH ROW EXECUTE FUNCTION ledger_entry_keep_key('close_id,job_id,team_id', 'close_id,job_id,team_id', 'fk_ledger_entry_close_id_closed_job');
CREATE TRIGGER ledger_entry_key_person AFTER DELETE OR UPDATE OF id ON person FOR EACH ROW EXECUTE FUNCTION ledger_entry_keep_key('created_by_id', 'id', 'fk_ledger_entry_created_by_id_person');
CREATE TRIGGER ledger_entry_key_ledger_entry AFTER DELETE OR UPDATE OF id ON ledger_entry FOR EACH ROW EXECUTE FUNCTION ledger_entry_keep_key('reverses_id', 'id', 'fk_ledger_entry_reverses_id_ledger_entry');
"""

REMOVE = """
DROP FUNCTION IF EXISTS ledger_entry_check_keys() CASCADE;
DROP FUNCTION IF EXISTS ledger_entry_keep_key() CASCADE;
DROP FUNCTION IF EXISTS ledger_entry_keys_read_committed();
"""


def _postgresql():
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.execute(REMOVE)
    for name, columns, table, referred in FOREIGN_KEYS:
        op.create_foreign_key(name, 'ledger_entry', table, columns, referred)


def downgrade():
    if not _postgresql():
        return
    for name, *_rest in FOREIGN_KEYS:
        op.drop_constraint(name, 'ledger_entry', type_='foreignkey')
    op.execute(INSTALL)
