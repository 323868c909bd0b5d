"""terms_events: an assignment's history records changed terms and the member's consent

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 10:00:00

A director's change of an accepted assignment's terms, and the member's consent to the new
notice, are steps of the assignment's life like its moves between states: an event of kind
``terms_issued`` or ``terms_accepted`` naming the notice's version (its state unchanged). Every
event recorded before is a move.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment_event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('kind', sa.String(length=20), server_default='move', nullable=False)
        )
        batch_op.add_column(sa.Column('terms_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('assignment_event', schema=None) as batch_op:
        batch_op.drop_column('terms_version')
        batch_op.drop_column('kind')
