"""marketplace speed: listing columns and indexes; FTS5 trigram search on SQLite

Offers and needs get copies of their owner's county/province, their mechanism and a
`public` flag; villages and enterprises their province; one composite index per list
filter + sort. search_grams holds the 1- and 2-character pieces of searched texts (short
searches, which trigrams cannot serve). On SQLite, FTS5 tables with the trigram tokenizer (kept in sync by
triggers) serve searches of 3+ characters, as pg_trgm does on PostgreSQL.

Revision ID: 0009
Revises: 0003
Create Date: 2026-11-29 03:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0003'
branch_labels = None
depends_on = None

MECHANISMS = {"investment": "industry", "procurement": "industry", "ecommerce": "industry",
              "jobs": "employment", "training": "employment", "donation": "welfare",
              "infrastructure": "welfare", "education": "welfare", "medical": "welfare"}
LISTING = {"id": ("id",), "province": ("province_code", "id"), "county": ("county_code", "id"),
           "kind": ("kind", "id"), "mechanism": ("mechanism", "id"),
           "province_kind": ("province_code", "kind", "id"),
           "province_mechanism": ("province_code", "mechanism", "id"),
           "quantity": ("quantity", "id"), "kind_quantity": ("kind", "quantity", "id"),
           "mechanism_quantity": ("mechanism", "quantity", "id")}
OWN_INDEXES = {
    "enterprises": {"ix_enterprises_status_id": ("status", "id"),
                    "ix_enterprises_status_name": ("status", "name"),
                    "ix_enterprises_status_employees": ("status", "employees", "id"),
                    "ix_enterprises_status_province_sector": (
                        "status", "province_code", "sector", "employees", "id")},
    "villages": {"ix_villages_status_id": ("status", "id"),
                 "ix_villages_status_name": ("status", "name"),
                 "ix_villages_status_poor": ("status", "poor_population", "id"),
                 "ix_villages_status_province_poor": (
                     "status", "province_code", "poor_population", "id"),
                 "ix_villages_status_province_id": ("status", "province_code", "id")},
    "offers": {f"ix_offers_public_{k}": ("public",) + v for k, v in LISTING.items()},
    "needs": {**{f"ix_needs_public_{k}": ("public",) + v for k, v in LISTING.items()},
              "ix_needs_public_priority": ("public", "priority", "id"),
              "ix_needs_public_province_priority": ("public", "province_code", "priority", "id")},
}
# SQLite full-text tables: (table, indexed columns).
FTS = {"offers": ("description",), "needs": ("description",),
       "villages": ("name", "description"), "enterprises": ("name", "description")}


def _mechanism_case() -> str:
    return "CASE kind " + " ".join(f"WHEN '{k}' THEN '{m}'" for k, m in MECHANISMS.items()) \
        + " ELSE '' END"


def _grams(text):
    text = (text or "").lower()
    pieces = set(text) | {text[i:i + 2] for i in range(len(text) - 1)}
    return {p for p in pieces if p and p.strip() == p}


def _fill_grams():
    """Grams of the rows already there (the services keep them from now on)."""
    bind = op.get_bind()
    grams = sa.table("search_grams", sa.column("source"), sa.column("gram"),
                     sa.column("ref_id"))
    for table, columns in FTS.items():
        result = bind.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}"))
        batch = []
        for r in result.all():
            batch += [{"source": f"{table}.{c}", "gram": g, "ref_id": r[0]}
                      for c, v in zip(columns, r[1:], strict=True) for g in _grams(v)]
            if len(batch) >= 5000:
                bind.execute(sa.insert(grams), batch)
                batch = []
        if batch:
            bind.execute(sa.insert(grams), batch)


def upgrade():
    op.create_table('search_grams',
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('gram', sa.String(length=2), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('source', 'gram', 'ref_id', name=op.f('pk_search_grams'))
    )
    _fill_grams()
    for table in ("enterprises", "villages"):
        op.add_column(table, sa.Column('province_code', sa.String(length=2), nullable=False,
                                       server_default=''))
        op.execute(f"UPDATE {table} SET province_code = substr(county_code, 1, 2)")
    for table in ("offers", "needs"):
        op.add_column(table, sa.Column('county_code', sa.String(length=6), nullable=False,
                                       server_default=''))
        op.add_column(table, sa.Column('province_code', sa.String(length=2), nullable=False,
                                       server_default=''))
        op.add_column(table, sa.Column('mechanism', sa.String(length=12), nullable=False,
                                       server_default=''))
        op.add_column(table, sa.Column('public', sa.Boolean(), nullable=False,
                                       server_default=sa.text('false')))
    op.execute(
        "UPDATE offers SET county_code = (SELECT e.county_code FROM enterprises e"
        " WHERE e.id = offers.enterprise_id), province_code = (SELECT e.province_code FROM"
        " enterprises e WHERE e.id = offers.enterprise_id), mechanism = " + _mechanism_case()
        + ", public = (status = 'active' AND (SELECT e.status FROM enterprises e"
        " WHERE e.id = offers.enterprise_id) = 'verified')")
    op.execute(
        "UPDATE needs SET county_code = (SELECT v.county_code FROM villages v"
        " WHERE v.id = needs.village_id), province_code = (SELECT v.province_code FROM"
        " villages v WHERE v.id = needs.village_id), mechanism = " + _mechanism_case()
        + ", public = (status IN ('open', 'partly_met') AND (SELECT v.status FROM villages v"
        " WHERE v.id = needs.village_id) = 'verified')")
    for table, indexes in OWN_INDEXES.items():
        for name, columns in indexes.items():
            op.create_index(name, table, list(columns), unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in FTS.items():
            _create_fts(table, columns)


def _create_fts(table: str, columns: tuple[str, ...]) -> None:
    """External-content FTS5 table (no second copy of the text) and its sync triggers."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}',"
               f" content_rowid='id', tokenize='trigram')")
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN"
               f" INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN"
               f" INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN"
               f" INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
               f" INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table in FTS:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    for table, indexes in OWN_INDEXES.items():
        for name in indexes:
            op.drop_index(name, table_name=table)
    for table in ("offers", "needs"):
        with op.batch_alter_table(table) as batch_op:
            for column in ("public", "mechanism", "province_code", "county_code"):
                batch_op.drop_column(column)
    for table in ("villages", "enterprises"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('province_code')
    op.drop_table('search_grams')
