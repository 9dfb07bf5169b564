"""complaints say what kind of problem they report and who reported it (a logged-in
reporter's serious complaint stops gifts; an anonymous one only waits for a verifier)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 21:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('giving_complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='other',
                                      nullable=False))
        batch_op.add_column(sa.Column('reporter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_giving_complaints_reporter_id_users'),
                                    'users', ['reporter_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_giving_complaints_kind'),
                                         "kind in ('fraud','misuse','privacy','other')")


def downgrade():
    with op.batch_alter_table('giving_complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_giving_complaints_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_giving_complaints_reporter_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('reporter_id')
        batch_op.drop_column('kind')
