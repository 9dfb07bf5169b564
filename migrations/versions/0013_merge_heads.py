"""one head after the areas built side by side

Revision ID: 0013
Revises: 0009, 0012
Create Date: 2026-11-29 04:44:16.966808

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = ('0009', '0012')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
