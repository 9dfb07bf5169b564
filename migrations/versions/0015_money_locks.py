"""match pools hold their offer: a pool's amount not yet returned counts in its donation
offer's paired_quantity (create_match adds it under the offer's lock, end_matches gives
the unused rest back). Pools made before this change are added here, capped at each
offer's quantity (an offer that two pools over-committed cannot hold both).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

HELD = ("(SELECT COALESCE(SUM(m.pool_fen - m.returned_fen), 0) FROM giving_matches m "
        "WHERE m.offer_id = offers.id)")


def upgrade():
    op.execute(f"UPDATE offers SET paired_quantity = CASE WHEN paired_quantity + {HELD} > "
               f"quantity THEN quantity ELSE paired_quantity + {HELD} END "
               f"WHERE id IN (SELECT offer_id FROM giving_matches WHERE offer_id IS NOT NULL)")


def downgrade():
    op.execute(f"UPDATE offers SET paired_quantity = CASE WHEN paired_quantity - {HELD} < 0 "
               f"THEN 0 ELSE paired_quantity - {HELD} END "
               f"WHERE id IN (SELECT offer_id FROM giving_matches WHERE offer_id IS NOT NULL)")
