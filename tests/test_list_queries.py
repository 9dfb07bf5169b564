"""No N+1 on the public lists and the dashboard: the number of queries a page makes is a
fixed handful, whatever the number of rows (each row's enterprise, village, county and
province come with their page, in one query per relation)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from pairing import housekeeping
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import County, Village

PAGES = ["/offers", "/offers?page=2", "/offers?q=茶", "/offers?q=茶叶收购", "/needs",
         "/needs?q=道路", "/villages", "/villages?province=52", "/enterprises",
         "/enterprises?sort=name", "/dashboard", "/dashboard/province/52",
         "/api/v1/offers", "/api/v1/needs", "/api/v1/villages", "/api/v1/enterprises",
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
            db.session.add_all([
                Offer(enterprise_id=enterprise.id, kind="procurement", quantity=10_000 + i,
                      starts_on=date(2026, 1, 1), description="茶叶收购"),
                Need(village_id=village.id, kind="infrastructure", quantity=50_000,
                     description="修道路")])
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
