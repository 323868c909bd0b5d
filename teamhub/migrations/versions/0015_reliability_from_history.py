"""reliability from the history: member_reliability, its triggers and 0013's partial indexes go

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 10:00:00

The split page reads each member's reliability from their assignments again (a GROUP BY on
ix_assignment_membership_state_due, teamhub/assignments/reliability.py), so the counts kept by
triggers (0013) go: the triggers, PostgreSQL's functions, the table, and the two partial indexes
that served the kept counts' reading (ix_assignment_owed, ix_assignment_unanswered). The
downgrade puts them back as 0013 made them and counts the history again (0013's SQL, copied
and frozen here).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# 0013's SQL, frozen: for the downgrade.
ACTIVE = "state IN ('offered', 'accepted', 'in_progress', 'submitted', 'changes_requested')"

POSTGRESQL_INSTALL = r"""CREATE OR REPLACE FUNCTION member_reliability_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised)
  SELECT membership_id, sum(answered), sum(answered_fast), sum(finished), sum(approved), sum(on_time), sum(revised)
  FROM (SELECT new_rows.membership_id AS membership_id, CASE WHEN (new_rows.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, CASE WHEN (new_rows.answered_at IS NOT NULL AND new_rows.answered_at <= (new_rows.offered_at + INTERVAL '24 hours')) THEN 1 ELSE 0 END AS answered_fast, CASE WHEN (new_rows.answered_at IS NOT NULL AND new_rows.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, CASE WHEN (new_rows.state = 'approved') THEN 1 ELSE 0 END AS approved, CASE WHEN (new_rows.state = 'approved' AND new_rows.first_submitted_at IS NOT NULL AND new_rows.first_submitted_at <= new_rows.due_at) THEN 1 ELSE 0 END AS on_time, CASE WHEN (new_rows.state = 'approved' AND new_rows.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM new_rows) AS parts
  GROUP BY membership_id
  HAVING sum(answered) <> 0 OR sum(answered_fast) <> 0 OR sum(finished) <> 0 OR sum(approved) <> 0 OR sum(on_time) <> 0 OR sum(revised) <> 0
  ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION member_reliability_take() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised)
  SELECT membership_id, sum(answered), sum(answered_fast), sum(finished), sum(approved), sum(on_time), sum(revised)
  FROM (SELECT old_rows.membership_id AS membership_id, -CASE WHEN (old_rows.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, -CASE WHEN (old_rows.answered_at IS NOT NULL AND old_rows.answered_at <= (old_rows.offered_at + INTERVAL '24 hours')) THEN 1 ELSE 0 END AS answered_fast, -CASE WHEN (old_rows.answered_at IS NOT NULL AND old_rows.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, -CASE WHEN (old_rows.state = 'approved') THEN 1 ELSE 0 END AS approved, -CASE WHEN (old_rows.state = 'approved' AND old_rows.first_submitted_at IS NOT NULL AND old_rows.first_submitted_at <= old_rows.due_at) THEN 1 ELSE 0 END AS on_time, -CASE WHEN (old_rows.state = 'approved' AND old_rows.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM old_rows) AS parts
  GROUP BY membership_id
  HAVING sum(answered) <> 0 OR sum(answered_fast) <> 0 OR sum(finished) <> 0 OR sum(approved) <> 0 OR sum(on_time) <> 0 OR sum(revised) <> 0
  ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION member_reliability_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised)
  SELECT membership_id, sum(answered), sum(answered_fast), sum(finished), sum(approved), sum(on_time), sum(revised)
  FROM (SELECT new_rows.membership_id AS membership_id, CASE WHEN (new_rows.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, CASE WHEN (new_rows.answered_at IS NOT NULL AND new_rows.answered_at <= (new_rows.offered_at + INTERVAL '24 hours')) THEN 1 ELSE 0 END AS answered_fast, CASE WHEN (new_rows.answered_at IS NOT NULL AND new_rows.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, CASE WHEN (new_rows.state = 'approved') THEN 1 ELSE 0 END AS approved, CASE WHEN (new_rows.state = 'approved' AND new_rows.first_submitted_at IS NOT NULL AND new_rows.first_submitted_at <= new_rows.due_at) THEN 1 ELSE 0 END AS on_time, CASE WHEN (new_rows.state = 'approved' AND new_rows.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM new_rows UNION ALL SELECT old_rows.membership_id AS membership_id, -CASE WHEN (old_rows.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, -CASE WHEN (old_rows.answered_at IS NOT NULL AND old_rows.answered_at <= (old_rows.offered_at + INTERVAL '24 hours')) THEN 1 ELSE 0 END AS answered_fast, -CASE WHEN (old_rows.answered_at IS NOT NULL AND old_rows.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, -CASE WHEN (old_rows.state = 'approved') THEN 1 ELSE 0 END AS approved, -CASE WHEN (old_rows.state = 'approved' AND old_rows.first_submitted_at IS NOT NULL AND old_rows.first_submitted_at <= old_rows.due_at) THEN 1 ELSE 0 END AS on_time, -CASE WHEN (old_rows.state = 'approved' AND old_rows.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM old_rows) AS parts
  GROUP BY membership_id
  HAVING sum(answered) <> 0 OR sum(answered_fast) <> 0 OR sum(finished) <> 0 OR sum(approved) <> 0 OR sum(on_time) <> 0 OR sum(revised) <> 0
  ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised;
  RETURN NULL;
END $$;

CREATE TRIGGER member_reliability_on_insert AFTER INSERT ON assignment
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_add();
CREATE TRIGGER member_reliability_on_delete AFTER DELETE ON assignment
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_take();
CREATE TRIGGER member_reliability_on_update AFTER UPDATE ON assignment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_reliability_change();
"""

POSTGRESQL_REMOVE = r"""DROP TRIGGER IF EXISTS member_reliability_on_insert ON assignment;
DROP TRIGGER IF EXISTS member_reliability_on_delete ON assignment;
DROP TRIGGER IF EXISTS member_reliability_on_update ON assignment;
DROP FUNCTION IF EXISTS member_reliability_add();
DROP FUNCTION IF EXISTS member_reliability_take();
DROP FUNCTION IF EXISTS member_reliability_change();
"""

SQLITE_INSTALL = (
    r"""CREATE TRIGGER member_reliability_on_insert AFTER INSERT ON assignment BEGIN INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) VALUES (new.membership_id, CASE WHEN (new.answered_at IS NOT NULL) THEN 1 ELSE 0 END, CASE WHEN (new.answered_at IS NOT NULL AND new.answered_at <= (strftime('%Y-%m-%d %H:%M:%S', substr(new.offered_at, 1, 19), '+24 hours') || substr(new.offered_at, 20))) THEN 1 ELSE 0 END, CASE WHEN (new.answered_at IS NOT NULL AND new.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved') THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved' AND new.first_submitted_at IS NOT NULL AND new.first_submitted_at <= new.due_at) THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved' AND new.revision_count > 0) THEN 1 ELSE 0 END) ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised; END
""",
    r"""CREATE TRIGGER member_reliability_on_delete AFTER DELETE ON assignment BEGIN INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) VALUES (old.membership_id, -CASE WHEN (old.answered_at IS NOT NULL) THEN 1 ELSE 0 END, -CASE WHEN (old.answered_at IS NOT NULL AND old.answered_at <= (strftime('%Y-%m-%d %H:%M:%S', substr(old.offered_at, 1, 19), '+24 hours') || substr(old.offered_at, 20))) THEN 1 ELSE 0 END, -CASE WHEN (old.answered_at IS NOT NULL AND old.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved') THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved' AND old.first_submitted_at IS NOT NULL AND old.first_submitted_at <= old.due_at) THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved' AND old.revision_count > 0) THEN 1 ELSE 0 END) ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised; END
""",
    r"""CREATE TRIGGER member_reliability_on_update AFTER UPDATE OF membership_id, state, answered_at, offered_at, first_submitted_at, due_at, revision_count ON assignment BEGIN INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) VALUES (old.membership_id, -CASE WHEN (old.answered_at IS NOT NULL) THEN 1 ELSE 0 END, -CASE WHEN (old.answered_at IS NOT NULL AND old.answered_at <= (strftime('%Y-%m-%d %H:%M:%S', substr(old.offered_at, 1, 19), '+24 hours') || substr(old.offered_at, 20))) THEN 1 ELSE 0 END, -CASE WHEN (old.answered_at IS NOT NULL AND old.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved') THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved' AND old.first_submitted_at IS NOT NULL AND old.first_submitted_at <= old.due_at) THEN 1 ELSE 0 END, -CASE WHEN (old.state = 'approved' AND old.revision_count > 0) THEN 1 ELSE 0 END) ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised; INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) VALUES (new.membership_id, CASE WHEN (new.answered_at IS NOT NULL) THEN 1 ELSE 0 END, CASE WHEN (new.answered_at IS NOT NULL AND new.answered_at <= (strftime('%Y-%m-%d %H:%M:%S', substr(new.offered_at, 1, 19), '+24 hours') || substr(new.offered_at, 20))) THEN 1 ELSE 0 END, CASE WHEN (new.answered_at IS NOT NULL AND new.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved') THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved' AND new.first_submitted_at IS NOT NULL AND new.first_submitted_at <= new.due_at) THEN 1 ELSE 0 END, CASE WHEN (new.state = 'approved' AND new.revision_count > 0) THEN 1 ELSE 0 END) ON CONFLICT (membership_id) DO UPDATE SET answered = member_reliability.answered + excluded.answered, answered_fast = member_reliability.answered_fast + excluded.answered_fast, finished = member_reliability.finished + excluded.finished, approved = member_reliability.approved + excluded.approved, on_time = member_reliability.on_time + excluded.on_time, revised = member_reliability.revised + excluded.revised; END
""",
)

SQLITE_REMOVE = (
    'DROP TRIGGER IF EXISTS member_reliability_on_insert',
    'DROP TRIGGER IF EXISTS member_reliability_on_delete',
    'DROP TRIGGER IF EXISTS member_reliability_on_update',
)

REFILL = {
    'postgresql': r"""INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) SELECT membership_id, sum(answered), sum(answered_fast), sum(finished), sum(approved), sum(on_time), sum(revised) FROM (SELECT assignment.membership_id AS membership_id, CASE WHEN (assignment.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, CASE WHEN (assignment.answered_at IS NOT NULL AND assignment.answered_at <= (assignment.offered_at + INTERVAL '24 hours')) THEN 1 ELSE 0 END AS answered_fast, CASE WHEN (assignment.answered_at IS NOT NULL AND assignment.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, CASE WHEN (assignment.state = 'approved') THEN 1 ELSE 0 END AS approved, CASE WHEN (assignment.state = 'approved' AND assignment.first_submitted_at IS NOT NULL AND assignment.first_submitted_at <= assignment.due_at) THEN 1 ELSE 0 END AS on_time, CASE WHEN (assignment.state = 'approved' AND assignment.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM assignment) AS parts GROUP BY membership_id
""",
    'sqlite': r"""INSERT INTO member_reliability (membership_id, answered, answered_fast, finished, approved, on_time, revised) SELECT membership_id, sum(answered), sum(answered_fast), sum(finished), sum(approved), sum(on_time), sum(revised) FROM (SELECT assignment.membership_id AS membership_id, CASE WHEN (assignment.answered_at IS NOT NULL) THEN 1 ELSE 0 END AS answered, CASE WHEN (assignment.answered_at IS NOT NULL AND assignment.answered_at <= (strftime('%Y-%m-%d %H:%M:%S', substr(assignment.offered_at, 1, 19), '+24 hours') || substr(assignment.offered_at, 20))) THEN 1 ELSE 0 END AS answered_fast, CASE WHEN (assignment.answered_at IS NOT NULL AND assignment.state IN ('approved', 'cancelled', 'reassigned')) THEN 1 ELSE 0 END AS finished, CASE WHEN (assignment.state = 'approved') THEN 1 ELSE 0 END AS approved, CASE WHEN (assignment.state = 'approved' AND assignment.first_submitted_at IS NOT NULL AND assignment.first_submitted_at <= assignment.due_at) THEN 1 ELSE 0 END AS on_time, CASE WHEN (assignment.state = 'approved' AND assignment.revision_count > 0) THEN 1 ELSE 0 END AS revised FROM assignment) AS parts GROUP BY membership_id
""",
}


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_REMOVE)
    else:
        for statement in SQLITE_REMOVE:
            op.execute(statement)
    op.drop_index('ix_assignment_unanswered', table_name='assignment')
    op.drop_index('ix_assignment_owed', table_name='assignment')
    op.drop_table('member_reliability')


def downgrade():
    op.create_table(
        'member_reliability',
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('answered', sa.Integer(), server_default='0', nullable=False),
        sa.Column('answered_fast', sa.Integer(), server_default='0', nullable=False),
        sa.Column('finished', sa.Integer(), server_default='0', nullable=False),
        sa.Column('approved', sa.Integer(), server_default='0', nullable=False),
        sa.Column('on_time', sa.Integer(), server_default='0', nullable=False),
        sa.Column('revised', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(
            ['membership_id'], ['membership.id'],
            name=op.f('fk_member_reliability_membership_id_membership'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('membership_id', name=op.f('pk_member_reliability')),
    )
    op.create_index(
        'ix_assignment_owed', 'assignment', ['membership_id', 'due_at'],
        postgresql_include=['units', 'job_id'],
        postgresql_where=sa.text(ACTIVE), sqlite_where=sa.text(ACTIVE),
    )
    op.create_index(
        'ix_assignment_unanswered', 'assignment', ['membership_id', 'offered_at'],
        postgresql_where=sa.text('answered_at IS NULL'),
        sqlite_where=sa.text('answered_at IS NULL'),
    )
    dialect = op.get_bind().dialect.name
    op.execute(REFILL[dialect])
    if dialect == 'postgresql':
        op.execute(POSTGRESQL_INSTALL)
    else:
        for statement in SQLITE_INSTALL:
            op.execute(statement)
