"""mobile: shipping terms of a village's shop, an order's shipping charge and delivery
county, a cadre's and a staff member's work phones (for the contact card)

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-06 23:43:05.033144

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_shipping',
    sa.Column('village_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('fee_fen', sa.BigInteger(), nullable=False),
    sa.Column('free_from_fen', sa.BigInteger(), nullable=False),
    sa.Column('days_min', sa.Integer(), nullable=False),
    sa.Column('days_max', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('days_min >= 1 and days_max >= days_min and days_max <= 60', name=op.f('ck_shop_shipping_days')),
    sa.CheckConstraint('fee_fen >= 0 and fee_fen <= 100000', name=op.f('ck_shop_shipping_fee')),
    sa.CheckConstraint('free_from_fen >= 0', name=op.f('ck_shop_shipping_free_from')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_shop_shipping_updated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_shop_shipping_village_id_villages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('village_id', name=op.f('pk_shop_shipping'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cadre_phone', sa.String(length=30), server_default='', nullable=False))

    with op.batch_alter_table('shop_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shipping_fen', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('county_code', sa.String(length=6), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_shop_orders_county_code_counties'), 'counties', ['county_code'], ['code'])
        batch_op.create_check_constraint(batch_op.f('ck_shop_orders_shipping'), 'shipping_fen >= 0 and shipping_fen < total_fen')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_phone', sa.String(length=30), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('work_phone')

    with op.batch_alter_table('shop_orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_shop_orders_shipping'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_shop_orders_county_code_counties'), type_='foreignkey')
        batch_op.drop_column('county_code')
        batch_op.drop_column('shipping_fen')

    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_column('cadre_phone')

    op.drop_table('shop_shipping')
