"""api: tokens get scopes and an expiry; indexed updated_at of villages, enterprises,
offers, needs and products (the API's `updated_since`); users.deleted_at (an account
its owner deleted: pairing/privacy/services.py)

Tokens made before scopes existed get every scope: they keep doing what their user's
role allowed (the role still limits each area), and no expiry (None: until revoked), as
README's "API tokens" says. Nothing a token could do before is taken away by an upgrade.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

ALL_SCOPES = ("marketplace:read marketplace:write matching:read matching:write "
              "giving:read giving:write shop:read shop:write")
INDEXED = ("villages", "enterprises", "offers", "needs", "shop_products")


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sa.String(length=300),
                                      server_default=ALL_SCOPES, nullable=False))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    for table in INDEXED:
        op.create_index(op.f(f'ix_{table}_updated_at'), table, ['updated_at'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
    for table in INDEXED:
        op.drop_index(op.f(f'ix_{table}_updated_at'), table_name=table)
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
