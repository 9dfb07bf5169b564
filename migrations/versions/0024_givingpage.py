"""givingpage: guests' gifts (name, receipt address, idempotency key) and consented
photos of help requests

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 23:59:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_name', sa.String(length=80), server_default='', nullable=False))
        batch_op.add_column(sa.Column('guest_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('guest_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_donations_guest_key'), ['guest_key'])

    op.create_table('giving_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('consented_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_giving_photos_hidden_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['request_id'], ['help_requests.id'], name=op.f('fk_giving_photos_request_id_help_requests')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_giving_photos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_giving_photos')),
    sa.UniqueConstraint('name', name=op.f('uq_giving_photos_name'))
    )
    with op.batch_alter_table('giving_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_giving_photos_request_id'), ['request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('giving_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_giving_photos_request_id'))

    op.drop_table('giving_photos')
    with op.batch_alter_table('donations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_donations_guest_key'), type_='unique')
        batch_op.drop_column('guest_key')
        batch_op.drop_column('guest_email')
        batch_op.drop_column('guest_name')
