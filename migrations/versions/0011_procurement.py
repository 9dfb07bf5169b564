"""procurement: shop orders count toward a procurement pairing (orders.pairing_id) and
produce one progress report each (progress_reports.order_id, unique)

Revision ID: 0011
Revises: 0005, 0006
Create Date: 2026-11-29 04:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = ('0005', '0006')
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pairing_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_shop_orders_pairing_id'), ['pairing_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_shop_orders_pairing_id_pairings'), 'pairings',
                                    ['pairing_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_progress_reports_order_id'), ['order_id'])
        batch_op.create_foreign_key(batch_op.f('fk_progress_reports_order_id_shop_orders'),
                                    'shop_orders', ['order_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_progress_reports_order_id_shop_orders'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_progress_reports_order_id'), type_='unique')
        batch_op.drop_column('order_id')

    with op.batch_alter_table('shop_orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_shop_orders_pairing_id_pairings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_shop_orders_pairing_id'))
        batch_op.drop_column('pairing_id')
