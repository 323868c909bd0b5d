"""form_submission: the key of each form that created something, and where it sent the person

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 04:00:00

A form that creates a record (a job, a team, dates away, an organisation, a curriculum, a module,
a lesson, a cohort, a session) carries a key made when its page was shown. The first request
with the key claims it here; a repeat of the same form (a double click, a second try) finds it
and is sent where the first one went, creating nothing; an API call that creates something and
carries an Idempotency-Key keeps its status and body here for a repeat (teamhub/submissions.py).
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submission',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=500), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['person_id'], ['person.id'], name=op.f('fk_form_submission_person_id_person')
        ),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_form_submission')),
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submission_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submission_person_id'))
    op.drop_table('form_submission')
