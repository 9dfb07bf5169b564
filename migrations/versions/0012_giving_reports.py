"""giving: "report a problem" on village and enterprise pages (giving_complaints gets
village_id / enterprise_id; request_id becomes nullable; exactly one subject is set)

Revision ID: 0012
Revises: 0008, 0011, 0007
Create Date: 2026-11-29 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = ('0008', '0011', '0007')
branch_labels = None
depends_on = None

ONE_SUBJECT = ("(case when request_id is null then 0 else 1 end)"
               " + (case when village_id is null then 0 else 1 end)"
               " + (case when enterprise_id is null then 0 else 1 end) = 1")


def upgrade():
    with op.batch_alter_table('giving_complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('village_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('enterprise_id', sa.Integer(), nullable=True))
        batch_op.alter_column('request_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index('ix_giving_complaints_village_status', ['village_id', 'status'],
                              unique=False)
        batch_op.create_index('ix_giving_complaints_enterprise_status',
                              ['enterprise_id', 'status'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_giving_complaints_village_id_villages'),
                                    'villages', ['village_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_giving_complaints_enterprise_id_enterprises'),
                                    'enterprises', ['enterprise_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_giving_complaints_one_subject'),
                                         ONE_SUBJECT)


def downgrade():
    with op.batch_alter_table('giving_complaints', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_giving_complaints_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_giving_complaints_enterprise_id_enterprises'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_giving_complaints_village_id_villages'),
                                 type_='foreignkey')
        batch_op.drop_index('ix_giving_complaints_enterprise_status')
        batch_op.drop_index('ix_giving_complaints_village_status')
        batch_op.alter_column('request_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('enterprise_id')
        batch_op.drop_column('village_id')
