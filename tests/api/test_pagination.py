"""API lists count a few pages ahead instead of every row (a full COUNT(*) per page cost
more than the page on national data), and lists in id order page by keyset: following
`next_after` walks every row once, each page as cheap as the first."""

from __future__ import annotations

from datetime import date

from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db


def _offers(app, count: int) -> list[int]:
    with app.app_context():
        enterprise = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                                credit_code=credit_code.make("91", "330106", "123456789"),
                                status="verified")
        db.session.add(enterprise)
        db.session.flush()
        rows = [Offer(enterprise_id=enterprise.id, kind="jobs", quantity=10 + i,
                      starts_on=date(2026, 1, 1)) for i in range(count)]
        db.session.add_all(rows)
        db.session.commit()
        return [o.id for o in rows]


def test_count_is_capped_a_few_pages_ahead(app, client):
    _offers(app, 30)
    body = client.get("/api/v1/offers?per_page=2").json
    assert body["total"] == 20 and body["total_capped"] is True  # 1 + 9 pages of 2
    assert body["pages"] == 10
    last = client.get("/api/v1/offers?per_page=2&page=15").json
    assert last["total"] == 30 and last["total_capped"] is False and last["pages"] == 15
    assert len(last["items"]) == 2


def test_keyset_pages_walk_every_row_once(app, client):
    ids = _offers(app, 11)
    seen: list[int] = []
    url = "/api/v1/offers?per_page=4"
    while True:
        body = client.get(url).json
        seen += [item["id"] for item in body["items"]]
        if body["next_after"] is None:
            break
        url = f"/api/v1/offers?per_page=4&after={body['next_after']}"
    assert seen == sorted(ids, reverse=True)
    bad = client.get("/api/v1/offers?after=abc")
    assert bad.status_code == 422 and "after" in bad.json["error"]["fields"]["query"]
