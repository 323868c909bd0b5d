"""ledger_entry: the "reversed at most once" rule as a unique index of the entries that reverse one

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 07:00:00

The rule was a unique constraint on reverses_id, whose index held every entry, nearly all of them
null (an entry that reverses nothing). Each entry a close posts was added among ~2,000,000 nulls:
about a quarter of the PostgreSQL time of a close of 100,000 assignments. A unique index of the
non-null values keeps the rule (nulls never conflicted) and holds only the reversals.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

REVERSES_SOMETHING = sa.text('reverses_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ledger_entry_reverses_id', type_='unique')
        batch_op.create_index(
            'uq_ledger_entry_reverses_id', ['reverses_id'], unique=True,
            postgresql_where=REVERSES_SOMETHING, sqlite_where=REVERSES_SOMETHING,
        )


def downgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('uq_ledger_entry_reverses_id')
        batch_op.create_unique_constraint('uq_ledger_entry_reverses_id', ['reverses_id'])
