"""scale: stored snapshots of the public figures per place (stats_snapshots)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 21:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'stats_snapshots',
        sa.Column('scope', sa.String(length=6), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=True),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("level in ('nation','province','county')",
                           name=op.f('ck_stats_snapshots_level')),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_stats_snapshots')),
    )
    with op.batch_alter_table('stats_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_stats_snapshots_level_scope', ['level', 'scope'], unique=False)


def downgrade():
    with op.batch_alter_table('stats_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_stats_snapshots_level_scope')
    op.drop_table('stats_snapshots')
