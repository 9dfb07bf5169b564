"""marketplace: offers, needs, trigram search indexes

pg_trgm is created in the public schema (tests give each worker its own schema, with
search_path "<schema>,public"); the downgrade leaves the extension, which other
databases objects may use.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 02:49:30.691945

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    op.create_table('needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('met_quantity', sa.BigInteger(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('sector', sa.String(length=1), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('investment','procurement','ecommerce','jobs','training','donation','infrastructure','education','medical')", name=op.f('ck_needs_kind')),
    sa.CheckConstraint("status in ('open','partly_met','met','withdrawn')", name=op.f('ck_needs_status')),
    sa.CheckConstraint('met_quantity >= 0 and met_quantity <= quantity', name=op.f('ck_needs_met')),
    sa.CheckConstraint('priority between 1 and 3', name=op.f('ck_needs_priority')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_needs_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_needs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['villages.id'], name=op.f('fk_needs_village_id_villages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_needs_description_trgm', ['description'], unique=False, postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.create_index('ix_needs_status_kind', ['status', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_village_id'), ['village_id'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('paired_quantity', sa.BigInteger(), nullable=False),
    sa.Column('max_villages', sa.Integer(), nullable=False),
    sa.Column('provinces', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('investment','procurement','ecommerce','jobs','training','donation','infrastructure','education','medical')", name=op.f('ck_offers_kind')),
    sa.CheckConstraint("status in ('active','withdrawn')", name=op.f('ck_offers_status')),
    sa.CheckConstraint('ends_on is null or ends_on >= starts_on', name=op.f('ck_offers_period')),
    sa.CheckConstraint('max_villages >= 1', name=op.f('ck_offers_max_villages')),
    sa.CheckConstraint('paired_quantity >= 0 and paired_quantity <= quantity', name=op.f('ck_offers_paired')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_offers_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_offers_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_offers_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offers_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_offers_description_trgm', ['description'], unique=False, postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.create_index(batch_op.f('ix_offers_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_offers_status_kind', ['status', 'kind'], unique=False)

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index('ix_enterprises_description_trgm', ['description'], unique=False, postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.create_index('ix_enterprises_name_trgm', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'public.gin_trgm_ops'})

    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index('ix_villages_description_trgm', ['description'], unique=False, postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.create_index('ix_villages_name_trgm', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'public.gin_trgm_ops'})



def downgrade():
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index('ix_villages_name_trgm', postgresql_using='gin', postgresql_ops={'name': 'public.gin_trgm_ops'})
        batch_op.drop_index('ix_villages_description_trgm', postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})

    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprises_name_trgm', postgresql_using='gin', postgresql_ops={'name': 'public.gin_trgm_ops'})
        batch_op.drop_index('ix_enterprises_description_trgm', postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_status_kind')
        batch_op.drop_index(batch_op.f('ix_offers_enterprise_id'))
        batch_op.drop_index('ix_offers_description_trgm', postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_offers_created_at'))

    op.drop_table('offers')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_village_id'))
        batch_op.drop_index('ix_needs_status_kind')
        batch_op.drop_index('ix_needs_description_trgm', postgresql_using='gin', postgresql_ops={'description': 'public.gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_needs_created_at'))

    op.drop_table('needs')
