"""withdrawn progress reports: a report made by a matched gift names the gift
(progress_reports.donation_id) and is withdrawn, uncounted, when that gift is refunded

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

OLD = "status in ('reported','confirmed','disputed','upheld','rejected')"
NEW = "status in ('reported','confirmed','disputed','upheld','rejected','withdrawn')"


def upgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('donation_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_progress_reports_donation_id'), ['donation_id'])
        batch_op.create_foreign_key(batch_op.f('fk_progress_reports_donation_id_donations'),
                                    'donations', ['donation_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(batch_op.f('ck_progress_reports_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_progress_reports_status'), NEW)


def downgrade():
    op.execute("UPDATE progress_reports SET status = 'rejected' WHERE status = 'withdrawn'")
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_progress_reports_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_progress_reports_status'), OLD)
        batch_op.drop_constraint(batch_op.f('fk_progress_reports_donation_id_donations'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_progress_reports_donation_id'), type_='unique')
        batch_op.drop_column('donation_id')
