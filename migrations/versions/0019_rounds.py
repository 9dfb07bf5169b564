"""rounds: one running round at a time (unique partial index), the attempt a job runs and
the times of its stages

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-06 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None

RUNNING = sa.text("status = 'running'")


def upgrade():
    # Before the index: of rounds running at once (the race this closes), the newest stays.
    op.execute("UPDATE rounds SET status = 'failed', error = 'Another round was running.' "
               "WHERE status = 'running' AND id <> (SELECT max(id) FROM rounds "
               "WHERE status = 'running')")
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('stage_log', sa.JSON(), nullable=True))
        batch_op.create_index('uq_rounds_running', ['status'], unique=True,
                              sqlite_where=RUNNING, postgresql_where=RUNNING)


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index('uq_rounds_running', sqlite_where=RUNNING, postgresql_where=RUNNING)
        batch_op.drop_column('stage_log')
        batch_op.drop_column('attempt')
