"""scheduler_lease_renewed: the lease records when its holder last renewed it

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-12 10:00:00

The operator's health page shows which scheduler process leads and when it last renewed its
lease. The expiry alone cannot tell it (a process may run with its own lease length), so each
renewal is stamped. A lease held before this revision has none until its next renewal.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scheduler_lease', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('scheduler_lease', schema=None) as batch_op:
        batch_op.drop_column('renewed_at')
