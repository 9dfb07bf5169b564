"""a donor's gifts newest first: (donor_id, created_at, id) serves /giving/my-gifts by
keyset, however many gifts the donor has made

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-07 07:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.create_index('ix_donations_donor_created', ['donor_id', 'created_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_index('ix_donations_donor_created')
