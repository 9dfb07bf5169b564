"""search_grams: one run per searched row ("<table>.text"), the owner's name included
for offers (their enterprise) and needs (their village), instead of one run per column
that searches had to gather with a union and sort

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 07:10:00

"""
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

GRAMS = sa.table("search_grams", sa.column("source"), sa.column("gram"), sa.column("ref_id"))
# (table, its searched texts; the owner's name last for offers and needs)
NOW = [
    ("villages", "SELECT id, name, description FROM villages"),
    ("enterprises", "SELECT id, name, description FROM enterprises"),
    ("offers", "SELECT o.id, o.description, e.name FROM offers o"
               " JOIN enterprises e ON e.id = o.enterprise_id"),
    ("needs", "SELECT n.id, n.description, v.name FROM needs n JOIN villages v ON v.id = n.village_id"),
]
BEFORE = [("villages", ("name", "description")), ("enterprises", ("name", "description")),
          ("offers", ("description",)), ("needs", ("description",))]


def _grams(text):
    """As pairing.enterprises.models.grams on the day of this migration."""
    text = (text or "").lower()
    pieces = {c for c in text} | {text[i:i + 2] for i in range(len(text) - 1)}
    return {p for p in pieces if p.strip() == p and p}


def _rebuild(statements: Iterable[tuple[str, str]],
             rows_of: Callable[[str, tuple], Iterable[dict]]) -> None:
    """Rewrites search_grams from the rows, read by id in chunks (national tables too)."""
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM search_grams"))
    for table, query in statements:
        last = 0
        while True:
            chunk = bind.execute(sa.text(f"SELECT * FROM ({query}) AS t WHERE t.id > :last"
                                         " ORDER BY t.id LIMIT 5000"), {"last": last}).all()
            if not chunk:
                break
            batch = [g for row in chunk for g in rows_of(table, tuple(row))]
            if batch:
                bind.execute(GRAMS.insert(), batch)
            last = chunk[-1][0]


def upgrade():
    def rows(table, row):
        found = set()
        for text in row[1:]:
            found |= _grams(text)
        return ({"source": f"{table}.text", "gram": g, "ref_id": row[0]} for g in found)

    _rebuild(NOW, rows)


def downgrade():
    columns = dict(BEFORE)

    def rows(table, row):
        return ({"source": f"{table}.{column}", "gram": g, "ref_id": row[0]}
                for column, text in zip(columns[table], row[1:], strict=True) for g in _grams(text))

    _rebuild([(t, f"SELECT id, {', '.join(c)} FROM {t}") for t, c in BEFORE], rows)
