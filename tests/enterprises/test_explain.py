"""PostgreSQL serves the public lists of offers and needs, their short searches and the
API's keyset pages from indexes: every statement those pages run is EXPLAINed with
sequential scans disabled, and none may still scan offers, needs or search_grams whole
(PostgreSQL falls back to a sequential scan only when no index can serve the query)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from pairing.extensions import db
from support import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL only")
PAGES = ["/offers", "/offers?kind=procurement&province=33", "/offers?sort=quantity",
         "/offers?q=茶", "/offers?q=茶叶", "/needs", "/needs?province=52&sort=priority",
         "/needs?q=核桃", "/offers?q=茶叶收购", "/needs?q=猕猴桃销路", "/villages?q=十八洞",
         "/enterprises?q=科技", "/api/v1/offers?after=1000", "/api/v1/needs?after=1000"]
WATCHED = re.compile(r"Seq Scan on (offers|needs|search_grams)\b")


def test_list_statements_use_indexes(app, client):
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, *_args):  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        for path in PAGES:
            assert client.get(path).status_code == 200, path
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    scans, checked = {}, 0
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            if not re.search(r"\b(offers|needs|search_grams)\b", statement):
                continue
            checked += 1
            plan = "\n".join(r[0] for r in conn.exec_driver_sql(
                "EXPLAIN " + statement, parameters))
            if WATCHED.search(plan):
                scans[statement[:200]] = plan
    assert checked >= len(PAGES)  # each page ran at least one statement on those tables
    assert scans == {}, "\n\n".join(f"{s}\n{p}" for s, p in scans.items())
