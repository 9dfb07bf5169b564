"""monitoring: visits of households over time, yearly poverty lines, standing (exit,
watch list) and its events, two-way ratings of pairings, households' ratings of and
complaints about their cadre, county inspections

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 20:26:38.383826

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monitoring_poverty_lines',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('line_yuan', sa.Integer(), nullable=False),
    sa.Column('margin_pct', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('line_yuan > 0', name=op.f('ck_monitoring_poverty_lines_line_positive')),
    sa.CheckConstraint('margin_pct >= 0 and margin_pct <= 200', name=op.f('ck_monitoring_poverty_lines_margin')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_monitoring_poverty_lines_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_monitoring_poverty_lines'))
    )
    op.create_table('monitoring_inspections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_monitoring_inspections_county_code_counties')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_monitoring_inspections_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_inspections'))
    )
    with op.batch_alter_table('monitoring_inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_inspections_county_code'), ['county_code'], unique=False)

    op.create_table('monitoring_cadre_complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decision', sa.String(length=500), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status in ('open','upheld','dismissed')", name=op.f('ck_monitoring_cadre_complaints_status')),
    sa.ForeignKeyConstraint(['cadre_id'], ['users.id'], name=op.f('fk_monitoring_cadre_complaints_cadre_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_monitoring_cadre_complaints_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_monitoring_cadre_complaints_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_cadre_complaints'))
    )
    with op.batch_alter_table('monitoring_cadre_complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_cadre_complaints_household_id'), ['household_id'], unique=False)

    op.create_table('monitoring_cadre_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('help', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("via in ('secretary','card')", name=op.f('ck_monitoring_cadre_ratings_via')),
    sa.CheckConstraint('visits between 1 and 5 and help between 1 and 5', name=op.f('ck_monitoring_cadre_ratings_scores')),
    sa.ForeignKeyConstraint(['cadre_id'], ['users.id'], name=op.f('fk_monitoring_cadre_ratings_cadre_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_monitoring_cadre_ratings_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_cadre_ratings')),
    sa.UniqueConstraint('household_id', 'year', name='uq_monitoring_cadre_ratings_year')
    )
    with op.batch_alter_table('monitoring_cadre_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_cadre_ratings_cadre_id'), ['cadre_id'], unique=False)

    op.create_table('monitoring_households',
    sa.Column('household_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('cadre_id', sa.Integer(), nullable=True),
    sa.Column('card_code', sa.String(length=12), nullable=False),
    sa.Column('standing', sa.String(length=8), nullable=False),
    sa.Column('exited_on', sa.Date(), nullable=True),
    sa.Column('watched', sa.Boolean(), nullable=False),
    sa.Column('watch_reason', sa.String(length=12), nullable=False),
    sa.Column('watched_since', sa.DateTime(), nullable=True),
    sa.CheckConstraint("standing in ('poor','exited')", name=op.f('ck_monitoring_households_standing')),
    sa.CheckConstraint("watch_reason in ('','income','illness','disability','disaster','job_loss')", name=op.f('ck_monitoring_households_watch_reason')),
    sa.CheckConstraint("watched = (watch_reason <> '')", name=op.f('ck_monitoring_households_watched_reason')),
    sa.ForeignKeyConstraint(['cadre_id'], ['users.id'], name=op.f('fk_monitoring_households_cadre_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_monitoring_households_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('household_id', name=op.f('pk_monitoring_households'))
    )
    with op.batch_alter_table('monitoring_households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_households_cadre_id'), ['cadre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_households_watched'), ['watched'], unique=False)

    op.create_table('monitoring_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('income_per_capita', sa.Integer(), nullable=False),
    sa.Column('workers_away', sa.Integer(), nullable=False),
    sa.Column('workers_local', sa.Integer(), nullable=False),
    sa.Column('causes', sa.String(length=120), nullable=False),
    sa.Column('food_clothing', sa.Boolean(), nullable=False),
    sa.Column('schooling', sa.Boolean(), nullable=False),
    sa.Column('medical', sa.Boolean(), nullable=False),
    sa.Column('housing', sa.Boolean(), nullable=False),
    sa.Column('water', sa.Boolean(), nullable=False),
    sa.Column('shock', sa.String(length=12), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("shock in ('','illness','disability','disaster','job_loss')", name=op.f('ck_monitoring_visits_shock')),
    sa.CheckConstraint('income_per_capita >= 0', name=op.f('ck_monitoring_visits_income')),
    sa.CheckConstraint('workers_away >= 0 and workers_local >= 0', name=op.f('ck_monitoring_visits_workers')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_monitoring_visits_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_monitoring_visits_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_visits'))
    )
    with op.batch_alter_table('monitoring_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_visits_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_monitoring_visits_household_day', ['household_id', 'visited_on'], unique=False)

    op.create_table('monitoring_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('after_exit', sa.Boolean(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('exit','watch_in','watch_out')", name=op.f('ck_monitoring_events_kind')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_monitoring_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_monitoring_events_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['monitoring_visits.id'], name=op.f('fk_monitoring_events_visit_id_monitoring_visits'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_events'))
    )
    with op.batch_alter_table('monitoring_events', schema=None) as batch_op:
        batch_op.create_index('ix_monitoring_events_household_at', ['household_id', 'at'], unique=False)

    op.create_table('monitoring_pairing_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=True),
    sa.Column('as_promised', sa.Integer(), nullable=True),
    sa.Column('useful', sa.Integer(), nullable=True),
    sa.Column('cooperation', sa.Integer(), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(side = 'village' and on_time between 1 and 5 and as_promised between 1 and 5 and useful between 1 and 5 and cooperation is null) or (side = 'enterprise' and cooperation between 1 and 5 and on_time is null and as_promised is null and useful is null)", name=op.f('ck_monitoring_pairing_ratings_scores')),
    sa.CheckConstraint("stage in ('delivery','end')", name=op.f('ck_monitoring_pairing_ratings_stage')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairings.id'], name=op.f('fk_monitoring_pairing_ratings_pairing_id_pairings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], name=op.f('fk_monitoring_pairing_ratings_rater_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_pairing_ratings')),
    sa.UniqueConstraint('pairing_id', 'stage', 'side', name='uq_monitoring_pairing_ratings')
    )
    with op.batch_alter_table('monitoring_pairing_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_pairing_ratings_pairing_id'), ['pairing_id'], unique=False)



def downgrade():
    for table in ('monitoring_pairing_ratings', 'monitoring_events', 'monitoring_visits',
                  'monitoring_households', 'monitoring_cadre_ratings',
                  'monitoring_cadre_complaints', 'monitoring_inspections',
                  'monitoring_poverty_lines'):
        op.drop_table(table)
