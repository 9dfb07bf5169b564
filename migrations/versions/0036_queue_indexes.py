"""the verifiers' queues at national scale: partial indexes of what waits (offers and needs
not yet checked, nationwide, by province, by county; enterprises and villages pending),
oldest first; the queue's warnings look names and organisation codes up by index

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 13:20:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None

WAITING = sa.text("public AND checked_at IS NULL")
PENDING = sa.text("status = 'pending'")
PLACES = {"": [], "_province": ["province_code"], "_county": ["county_code"]}


def upgrade():
    for table in ("offers", "needs"):
        for name, columns in PLACES.items():
            op.create_index(f"ix_{table}_unchecked{name}", table, [*columns, "created_at", "id"],
                            postgresql_where=WAITING, sqlite_where=WAITING)
    for table in ("enterprises", "villages"):
        op.create_index(f"ix_{table}_pending", table, ["created_at", "id"],
                        postgresql_where=PENDING, sqlite_where=PENDING)
    op.create_index("ix_enterprises_name", "enterprises", ["name"])
    op.create_index("ix_enterprises_org_code", "enterprises",
                    [sa.text("substr(credit_code, 9, 9)")])


def downgrade():
    op.drop_index("ix_enterprises_org_code", table_name="enterprises")
    op.drop_index("ix_enterprises_name", table_name="enterprises")
    for table in ("enterprises", "villages"):
        op.drop_index(f"ix_{table}_pending", table_name=table)
    for table in ("offers", "needs"):
        for name in PLACES:
            op.drop_index(f"ix_{table}_unchecked{name}", table_name=table)
