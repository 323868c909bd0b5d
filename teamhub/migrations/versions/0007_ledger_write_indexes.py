"""ledger writes: two indexes no query uses dropped, one foreign key checks an entry's close and team

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 22:00:00

A national close writes 105,000 entries; each index and each foreign key is one more write or
lookup per entry. No query reads ledger entries by team, and every query by member is answered
by ix_ledger_entry_membership_account (membership_id first), as is the membership foreign key's
check; ix_ledger_entry_membership_close repeated it. The entry's team and close were checked by
two foreign keys; one on (close_id, team_id) against the close checks both, and also that the
team is the close's team.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payout_close', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_payout_close_id_team_id', ['id', 'team_id'])
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entry_membership_close')
        batch_op.drop_index('ix_ledger_entry_team_id')
        batch_op.drop_constraint('fk_ledger_entry_team_id_team', type_='foreignkey')
        batch_op.drop_constraint('fk_ledger_entry_close_id_payout_close', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_ledger_entry_close_id_payout_close', 'payout_close',
            ['close_id', 'team_id'], ['id', 'team_id'],
        )


def downgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_constraint('fk_ledger_entry_close_id_payout_close', type_='foreignkey')
        batch_op.create_foreign_key(
            'fk_ledger_entry_close_id_payout_close', 'payout_close', ['close_id'], ['id']
        )
        batch_op.create_foreign_key('fk_ledger_entry_team_id_team', 'team', ['team_id'], ['id'])
        batch_op.create_index('ix_ledger_entry_team_id', ['team_id'], unique=False)
        batch_op.create_index(
            'ix_ledger_entry_membership_close', ['membership_id', 'close_id'], unique=False
        )
    with op.batch_alter_table('payout_close', schema=None) as batch_op:
        batch_op.drop_constraint('uq_payout_close_id_team_id', type_='unique')
