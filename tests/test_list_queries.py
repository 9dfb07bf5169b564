"""No N+1 on the public lists and the dashboard: the number of queries a page makes is a
fixed handful, whatever the number of rows (each row's enterprise, village, county and
province come with their page, in one query per relation); next pages, of the HTML lists
and of the API's, are read by keyset (pairing/pages.py), without OFFSET, and on
PostgreSQL from an index: the one made for the list's sort where a list has one."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from sqlalchemy import event, select

import support
from pairing import housekeeping
from pairing.db import utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving.models import HelpRequest
from pairing.needs.models import Need
from pairing.places.models import County, Village
from pairing.shop.models import Product
from support import BACKEND

PAGES = ["/offers", "/offers?page=2", "/offers?q=茶", "/offers?q=茶叶收购", "/needs",
         "/needs?q=道路", "/villages", "/villages?province=52", "/enterprises",
         "/enterprises?sort=name", "/dashboard", "/dashboard/province/52",
         "/needs?sort=priority", "/villages?sort=name", "/shop", "/shop?sort=price_desc",
         "/shop?q=茶", "/crowdfunding", "/crowdfunding?sort=newest", "/ledger",
         "/api/v1/offers", "/api/v1/offers?sort=quantity", "/api/v1/needs",
         "/api/v1/villages", "/api/v1/villages?sort=name", "/api/v1/enterprises",
         "/api/v1/products", "/api/v1/requests", "/api/v1/pairings", "/api/v1/ledger/entries",
         "/api/v1/figures"]
MAX_QUERIES = 12


def _rows(app, count: int, start: int = 0) -> None:
    with app.app_context():
        counties = db.session.scalars(select(County.code).order_by(County.code)).all()
        guizhou = [c for c in counties if c.startswith("52")]
        for i in range(start, start + count):
            # Every other row in Guizhou (52), which two of the pages filter on.
            county = counties[(i * 97) % len(counties)] if i % 2 else guizhou[i % len(guizhou)]
            enterprise = Enterprise(name=f"茶业公司{i}", county_code=county, sector="C",
                                    credit_code=credit_code.make("91", county, f"{i:09d}"),
                                    status="verified")
            village = Village(name=f"道路村{i}", county_code=county, population=900,
                              households=200, poor_households=50, poor_population=200,
                              status="verified")
            db.session.add_all([enterprise, village])
            db.session.flush()
            need = Need(village_id=village.id, kind="infrastructure", quantity=50_000,
                        description="修道路")
            db.session.add_all([
                Offer(enterprise_id=enterprise.id, kind="procurement", quantity=10_000 + i,
                      starts_on=date(2026, 1, 1), description="茶叶收购"), need,
                Product(village_id=village.id, name=f"高山茶{i}", category="tea", unit="斤",
                        price_fen=5_000 + i % 7, stock=10)])
            db.session.flush()
            db.session.add(HelpRequest(  # a published village project, gifts open
                village_id=village.id, need_id=need.id, purpose="other", title=f"修路{i}",
                amount_needed_fen=2_000_000, status="open", deadline=utcnow() + timedelta(30),
                verified_at=utcnow() - timedelta(minutes=i % 5)))
        db.session.commit()


def _counts(app, client) -> dict[str, int]:
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001
        statements.append(statement)

    counts = {}
    for path in PAGES:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200, path
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts[path] = len(statements)
    return counts


def test_query_count_does_not_grow_with_rows(app, client):
    """Live figures (no snapshot yet): one query per figure, the same for 3 rows or 40."""
    _rows(app, 3)
    few = _counts(app, client)
    _rows(app, 37, start=3)
    assert _counts(app, client) == few


def test_pages_make_a_fixed_handful_of_queries(app, client):
    _rows(app, 40)
    with app.app_context():
        housekeeping.run_all(db.session)  # the dashboard reads the stored figures
    counts = _counts(app, client)
    assert {p: n for p, n in counts.items() if n > MAX_QUERIES} == {}, counts


# Each public list, in each of its sorts: its next page is read by keyset, never by OFFSET.
KEYSET = ["/offers", "/offers?sort=quantity", "/offers?sort=name", "/offers?province=52",
          "/offers?q=茶", "/needs", "/needs?sort=priority", "/needs?province=52&sort=priority",
          "/villages", "/villages?sort=poor", "/villages?sort=name", "/enterprises",
          "/enterprises?sort=employees", "/enterprises?sort=name", "/shop",
          "/shop?sort=price_asc", "/shop?sort=price_desc", "/crowdfunding?sort=newest",
          # The API's lists, in each sort a program may ask (their Link header's page).
          "/api/v1/offers?per_page=5", "/api/v1/offers?per_page=5&sort=quantity",
          "/api/v1/offers?per_page=5&sort=-updated_at&updated_since=2020-01-01T00:00:00Z",
          "/api/v1/needs?per_page=5&sort=-priority",
          "/api/v1/needs?per_page=5&kind=infrastructure",
          "/api/v1/villages?per_page=5", "/api/v1/villages?per_page=5&sort=name",
          "/api/v1/villages?per_page=5&sort=-id", "/api/v1/enterprises?per_page=5",
          "/api/v1/enterprises?per_page=5&sort=name", "/api/v1/products?per_page=5",
          "/api/v1/products?per_page=5&sort=price_fen",
          "/api/v1/products?per_page=5&sort=-created_at", "/api/v1/requests?per_page=5"]
# The index each sort was given (0031): the page is read from it, not sorted afterwards.
SORT_INDEX = {"/villages?sort=name": "ix_villages_status_name",
              "/enterprises?sort=name": "ix_enterprises_status_name",
              "/api/v1/villages?per_page=5": "ix_villages_status_county",
              "/api/v1/villages?per_page=5&sort=name": "ix_villages_status_name",
              "/api/v1/enterprises?per_page=5": "ix_enterprises_status_name",
              "/api/v1/enterprises?per_page=5&sort=name": "ix_enterprises_status_name",
              "/shop?sort=price_asc": "ix_shop_products_status_price",
              "/shop?sort=price_desc": "ix_shop_products_status_price",
              "/shop": "ix_shop_products_status_created",
              "/api/v1/products?per_page=5&sort=price_fen": "ix_shop_products_status_price",
              "/crowdfunding?sort=newest": "ix_help_requests_verified",
              "/api/v1/requests?per_page=5": "ix_help_requests_verified"}
LISTED = re.compile(r"\b(offers|needs|villages|enterprises|shop_products|help_requests)\b")
SCANNED = re.compile(r"Seq Scan on (offers|needs|villages|enterprises|search_grams|"
                     r"shop_products|help_requests)\b")


def _next_url(client, path: str) -> str:  # noqa: ANN001
    """The address of the page after `path`'s: its rel="next" link, or for the API its
    Link header (RFC 8288)."""
    first = client.get(path)
    assert first.status_code == 200, path
    if path.startswith("/api/"):
        found = re.match(r'<http://localhost([^>]+)>; rel="next"', first.headers.get("Link", ""))
        assert found and "cursor=" in found.group(1), f"{path}: no next page"
        return found.group(1)
    found = re.search(r'<a href="([^"]+)" rel="next"', first.get_data(as_text=True))
    assert found, f"{path}: no next page"
    return html.unescape(found.group(1))


def _next_page_statements(app, client, path: str) -> list[tuple[str, object]]:  # noqa: ANN001
    return support.statements_of(app, client, _next_url(client, path))


def _skips_rows(statement: str, parameters) -> bool:  # noqa: ANN001
    """Whether a statement makes the database skip rows: an OFFSET other than SQLite's
    `OFFSET ?` bound to 0, which SQLAlchemy writes after every LIMIT on SQLite."""
    for found in re.finditer(r"\bOFFSET\s+(\?|\S+)", statement, re.IGNORECASE):
        if found.group(1) != "?" or parameters[statement[:found.start(1)].count("?")] != 0:
            return True
    return False


def test_next_pages_use_no_offset_and_on_postgresql_an_index(app, client):
    _rows(app, 45)
    with app.app_context():
        engine = db.engine
    scans: dict[str, str] = {}
    used: dict[str, str] = {}
    for path in KEYSET:
        statements = _next_page_statements(app, client, path)
        assert [s for s, p in statements if _skips_rows(s, p)] == [], path
        if BACKEND != "postgres":
            continue
        with engine.connect() as conn:
            # As on national data, where the planner's costs favour them: no scan of a
            # table, and no sort where an index can give the rows in order.
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_sort = off")
            for statement, parameters in statements:
                if statement.lstrip().upper().startswith("SELECT") and \
                        LISTED.search(statement):
                    plan = "\n".join(r[0] for r in conn.exec_driver_sql(
                        "EXPLAIN " + statement, parameters))
                    if SCANNED.search(plan):
                        scans[f"{path}: {statement[:300]}"] = plan
                    if "LIMIT" in statement.upper() and "count(" not in statement:
                        used[path] = used.get(path, "") + plan  # the page's own read
    assert scans == {}, "\n\n".join(f"{s}\n{p}" for s, p in scans.items())
    if BACKEND == "postgres":
        # Read in order from its index: no Sort (nor Incremental Sort) of the rows after.
        missing = {p: used.get(p, "") for p, index in SORT_INDEX.items()
                   if index not in used.get(p, "") or "Sort" in used.get(p, "")}
        assert missing == {}, "\n\n".join(f"{p}: not read in order from {SORT_INDEX[p]}\n{plan}"
                                          for p, plan in missing.items())
