"""trust: contact persons and message threads of pairings; verifiers' decisions (overridden
warnings, undo); the light review of offers and needs (checked_at)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 23:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def _with_triggers(table, change):
    """A batch change of `table`. On SQLite a batch copies the table, which loses its
    triggers (the FTS5 ones of 0009): they are read first and made again after."""
    triggers = []
    if op.get_bind().dialect.name == "sqlite":
        triggers = op.get_bind().execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table}).scalars().all()
    with op.batch_alter_table(table, schema=None) as batch_op:
        change(batch_op)
    for sql in triggers:
        op.execute(sql)


def upgrade():
    op.create_table('pairing_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("side in ('enterprise','village')", name=op.f('ck_pairing_contacts_side')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_contacts_pairing_id_pairings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_pairing_contacts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_contacts')),
    sa.UniqueConstraint('pairing_id', 'side', name='uq_pairing_contacts_pairing_side')
    )
    op.create_table('pairing_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("side in ('enterprise','village')", name=op.f('ck_pairing_messages_side')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_pairing_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_pairing_messages_pairing_id_pairings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_messages'))
    )
    op.create_index('ix_pairing_messages_pairing_id_id', 'pairing_messages', ['pairing_id', 'id'], unique=False)
    op.create_index('ix_pairing_messages_author_created', 'pairing_messages', ['author_id', 'created_at'], unique=False)


    op.create_table('verification_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=30), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('approve', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('override_reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_verification_decisions_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_decisions'))
    )
    op.create_index('ix_verification_decisions_actor_created', 'verification_decisions', ['actor_id', 'created_at'], unique=False)

    for table in ('offers', 'needs'):
        _with_triggers(table, lambda batch_op, table=table: (
            batch_op.add_column(sa.Column('checked_at', sa.DateTime(), nullable=True)),
            batch_op.add_column(sa.Column('checked_by_id', sa.Integer(), nullable=True)),
            batch_op.add_column(sa.Column('check_note', sa.String(length=500), server_default='',
                                          nullable=False)),
            batch_op.create_foreign_key(f'fk_{table}_checked_by_id_users', 'users',
                                        ['checked_by_id'], ['id'], ondelete='SET NULL')))
    # Rows posted before the light review existed were public already: they count as
    # checked when they were last changed, so the queue starts with what is new.
    for table in ('offers', 'needs'):
        op.execute(f"UPDATE {table} SET checked_at = updated_at")


def downgrade():
    for table in ('needs', 'offers'):
        _with_triggers(table, lambda batch_op, table=table: (
            batch_op.drop_constraint(f'fk_{table}_checked_by_id_users', type_='foreignkey'),
            batch_op.drop_column('checked_by_id'), batch_op.drop_column('check_note'),
            batch_op.drop_column('checked_at')))
    op.drop_index('ix_verification_decisions_actor_created', table_name='verification_decisions')
    op.drop_table('verification_decisions')
    op.drop_index('ix_pairing_messages_author_created', table_name='pairing_messages')
    op.drop_index('ix_pairing_messages_pairing_id_id', table_name='pairing_messages')
    op.drop_table('pairing_messages')
    op.drop_table('pairing_contacts')
