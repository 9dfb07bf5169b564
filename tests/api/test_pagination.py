"""API lists count a few pages ahead instead of every row (a full COUNT(*) per page cost
more than the page on national data), and page by the HTML lists' keyset cursors
(pairing/pages.py): following `next_cursor` walks every row once in every order, each page
as cheap as the first; `page=N` beyond PAGE_LIMIT is refused with a 400 that says so."""

from __future__ import annotations

from datetime import date

from pairing.api.paging import PAGE_LIMIT
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db

EN = {"Accept-Language": "en"}


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
    shallow = client.get(f"/api/v1/offers?per_page=2&page={PAGE_LIMIT}").json
    assert shallow["total"] == 30 and shallow["total_capped"] is False
    assert shallow["pages"] == 15 and shallow["page"] == PAGE_LIMIT
    # Deep pages by cursor: the count runs nine pages past the page, not from the start.
    body, url = None, "/api/v1/offers?per_page=2"
    for _ in range(14):
        body = client.get(url).json
        url = f"/api/v1/offers?per_page=2&cursor={body['next_cursor']}"
    last = client.get(url).json
    assert last["page"] == 15 and last["total"] == 30 and last["total_capped"] is False
    assert last["pages"] == 15 and len(last["items"]) == 2 and last["next_cursor"] is None


def test_a_deep_page_number_is_refused_with_the_way_to_it(app, client):
    _offers(app, 3)
    r = client.get(f"/api/v1/offers?page={PAGE_LIMIT + 1}", headers=EN)
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"
    assert r.json["error"]["fields"]["query"]["page"] == [
        f"Pages after page {PAGE_LIMIT} are read by cursor: follow the Link header "
        "(rel=\"next\") or pass the previous page's next_cursor as `cursor`."]
    zh = client.get(f"/api/v1/offers?page={PAGE_LIMIT + 1}",
                    headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 422 and "游标" in zh.json["error"]["fields"]["query"]["page"][0]
    spec = client.get("/api/v1/openapi.json").json
    page = next(p for p in spec["paths"]["/api/v1/offers"]["get"]["parameters"]
                if p["name"] == "page")
    assert page["schema"]["maximum"] == PAGE_LIMIT
    # The cursor carries its page number, so a cursor's page is served however deep.
    assert client.get(f"/api/v1/offers?page={PAGE_LIMIT}").status_code == 200


def test_keyset_pages_walk_every_row_once(app, client):
    ids = _offers(app, 11)
    for key in ("next_after", "next_cursor"):  # the older `after` and the cursor
        seen: list[int] = []
        url = "/api/v1/offers?per_page=4"
        while True:
            body = client.get(url).json
            seen += [item["id"] for item in body["items"]]
            if body[key] is None:
                break
            url = f"/api/v1/offers?per_page=4&{key.removeprefix('next_')}={body[key]}"
        assert seen == sorted(ids, reverse=True), key
    bad = client.get("/api/v1/offers?after=abc")
    assert bad.status_code == 422 and "after" in bad.json["error"]["fields"]["query"]


def test_cursor_pages_walk_ties_of_another_order_once(app, client):
    """sort=quantity with every quantity repeated: ties are broken by id, so the keyset
    neither repeats nor skips a row of a tie split across two pages."""
    ids = _offers(app, 9)
    with app.app_context():
        for i, offer_id in enumerate(ids):
            db.session.get(Offer, offer_id).quantity = 100 + i % 3
        db.session.commit()
    seen, url = [], "/api/v1/offers?per_page=2&sort=-quantity"
    while url:
        body = client.get(url).json
        seen += [(item["quantity"], item["id"]) for item in body["items"]]
        url = body["next_cursor"] and f"/api/v1/offers?per_page=2&sort=-quantity&cursor=" \
            f"{body['next_cursor']}"
    assert seen == sorted(seen, reverse=True) and sorted(i for _q, i in seen) == sorted(ids)


def test_a_cursor_is_valid_for_its_own_list_and_order_only(app, client):
    _offers(app, 5)
    cursor = client.get("/api/v1/offers?per_page=2&sort=quantity").json["next_cursor"]
    for url in (f"/api/v1/offers?sort=-quantity&cursor={cursor}",
                f"/api/v1/needs?sort=quantity&cursor={cursor}",
                f"/api/v1/offers?sort=quantity&cursor={cursor[:-3]}xyz"):
        r = client.get(url, headers=EN)
        assert r.status_code == 400 and "first page" in r.json["error"]["message"], url
    # `after` (an id) has no place in another order: ignored there, as it always was.
    assert client.get("/api/v1/offers?sort=quantity&after=3").json["items"][0]["quantity"] == 10
