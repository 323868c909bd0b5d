"""paid_day, first_paid_day: each person's net pay per paid day and first paid day, from the ledger

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 23:00:00

The organisation outcome report needs each graduate's first paid day and their recent monthly
pay. Grouping two years of ledger entries for 10,000 people on every request cost ~150–250 ms;
paid_day holds one row per person and paid day, first_paid_day one per person, both written when
a close is marked paid or a paid close is corrected. Existing paid closes are summarised here.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'paid_day',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('net_yen', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_paid_day_person_id_person')),
        sa.PrimaryKeyConstraint('person_id', 'paid_on', name=op.f('pk_paid_day')),
    )
    op.create_table(
        'first_paid_day',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_first_paid_day_person_id_person')),
        sa.PrimaryKeyConstraint('person_id', name=op.f('pk_first_paid_day')),
    )
    with op.batch_alter_table('paid_day', schema=None) as batch_op:
        batch_op.create_index(
            'ix_paid_day_paid_on', ['paid_on', 'person_id'], unique=False,
            postgresql_include=['net_yen'],
        )
    op.execute(
        """
        INSERT INTO paid_day (person_id, paid_on, net_yen)
        SELECT m.person_id, c.paid_on, -sum(l.amount_yen)
        FROM ledger_entry l
        JOIN membership m ON m.id = l.membership_id
        JOIN payout_close c ON c.id = l.close_id
        WHERE l.account = 'member' AND c.status = 'paid'
        GROUP BY m.person_id, c.paid_on
        """
    )
    op.execute(
        """
        INSERT INTO first_paid_day (person_id, paid_on)
        SELECT person_id, min(paid_on) FROM paid_day WHERE net_yen > 0 GROUP BY person_id
        """
    )


def downgrade():
    with op.batch_alter_table('paid_day', schema=None) as batch_op:
        batch_op.drop_index('ix_paid_day_paid_on')
    op.drop_table('paid_day')
    op.drop_table('first_paid_day')
