"""PostgreSQL: joint statistics of search_grams (source, gram) and a finer sample of gram,
so the planner knows how many rows a common piece has in one table's run: estimated from
each column apart, 茶叶 in offers came out at 1,348 rows instead of 12,403, and the count of
a search scanned every offer (47 ms) instead of merging two index runs (4 ms)

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 07:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

TARGET = 300  # most common values kept (100 by default); 2,000 made planning itself cost 10 ms


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE STATISTICS IF NOT EXISTS st_search_grams_source_gram (mcv)"
               " ON source, gram FROM search_grams")
    op.execute(f"ALTER STATISTICS st_search_grams_source_gram SET STATISTICS {TARGET}")
    op.execute(f"ALTER TABLE search_grams ALTER COLUMN gram SET STATISTICS {TARGET}")
    op.execute("ANALYZE search_grams")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_grams ALTER COLUMN gram SET STATISTICS -1")
    op.execute("DROP STATISTICS IF EXISTS st_search_grams_source_gram")
