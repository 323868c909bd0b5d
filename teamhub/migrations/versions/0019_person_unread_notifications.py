"""person_unread_notifications: each person's count of unread notifications

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:30:00

Every signed-in page shows the count in its header. It was counted from the notifications on
each page; it is now kept on the person by the notifications' services (a notification added:
one more; marked read: one fewer), so the header reads it with the signed-in person. Existing
counts are taken from the notifications themselves.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

person = sa.table('person', sa.column('id', sa.Integer), sa.column('unread_notifications', sa.Integer))
notification = sa.table(
    'notification',
    sa.column('id', sa.Integer),
    sa.column('person_id', sa.Integer),
    sa.column('read_at', sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('unread_notifications', sa.Integer(), server_default='0', nullable=False)
        )
    unread = (
        sa.select(sa.func.count(notification.c.id))
        .where(notification.c.person_id == person.c.id, notification.c.read_at.is_(None))
        .scalar_subquery()
    )
    op.execute(person.update().values(unread_notifications=unread))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('unread_notifications')
