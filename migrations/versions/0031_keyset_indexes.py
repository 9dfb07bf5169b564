"""keyset indexes: every list's sort index ends with id (the keyset's tie-breaker), the
shop's sorts and the requests' "newest" get one, and a public help request always has
its verification time (a NULL would have no place in a keyset page)

Revision ID: 0031
Revises: 0028
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0028'
branch_labels = None
depends_on = None

PUBLIC = "('notice','open','funded','disbursed','closed')"
# (name, table, columns now, columns before)
REPLACED = [
    ("ix_villages_status_county", "villages", ["status", "county_code", "name", "id"],
     ["status", "county_code"]),
    ("ix_villages_status_name", "villages", ["status", "name", "id"], ["status", "name"]),
    ("ix_enterprises_status_name", "enterprises", ["status", "name", "id"],
     ["status", "name"]),
]
ADDED = [
    ("ix_shop_products_status_created", "shop_products", ["status", "created_at", "id"]),
    ("ix_shop_products_status_price", "shop_products", ["status", "price_fen", "id"]),
    ("ix_help_requests_verified", "help_requests", ["verified_at", "id"]),
]


def _with_triggers(table, change):
    """A batch change of `table`. On SQLite a batch copies the table, which loses its
    triggers (as in 0028): they are read first and made again after."""
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
    for name, table, columns, _before in REPLACED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
    for name, table, columns in ADDED:
        op.create_index(name, table, columns, unique=False)
    # Rows made public before the rule (none through the app: verifying sets the time)
    # take the time they were last known unverified.
    op.execute(f"UPDATE help_requests SET verified_at = COALESCE(submitted_at, created_at) "
               f"WHERE verified_at IS NULL AND status IN {PUBLIC}")
    _with_triggers("help_requests", lambda b: b.create_check_constraint(
        op.f("ck_help_requests_public_verified"), f"verified_at is not null or status not in {PUBLIC}"))


def downgrade():
    _with_triggers("help_requests", lambda b: b.drop_constraint(
        op.f("ck_help_requests_public_verified"), type_="check"))
    for name, table, _columns in reversed(ADDED):
        op.drop_index(name, table_name=table)
    for name, table, _columns, before in reversed(REPLACED):
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before, unique=False)
