"""bench indexes: statements and earnings read from the ledger without touching its rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 21:00:00

The outcome report reads every trainee's paid statements (10,000 people, two years of ledger
entries each). A member's MEMBER entries with their close and amount, straight from the index,
make that an index-only scan on PostgreSQL (INCLUDE is ignored elsewhere).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index(
            'ix_ledger_entry_membership_account',
            ['membership_id', 'account'],
            unique=False,
            postgresql_include=['close_id', 'amount_yen'],
        )


def downgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entry_membership_account')
