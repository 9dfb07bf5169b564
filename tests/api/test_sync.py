"""Sync and paging: `updated_since` returns changed rows only, `sort` is whitelisted, and
following `Link: rel="next"` walks a whole list once even while rows are inserted."""

from __future__ import annotations

import re
from datetime import timedelta

from api_tokens import auth, make

from pairing.db import today, utcnow
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db


def _offers(app, seeded, n: int, at=None) -> list[int]:  # noqa: ANN001
    with app.app_context():
        rows = [Offer(enterprise_id=seeded["enterprises"][0], kind="jobs", quantity=i + 1,
                      starts_on=today(), public=True) for i in range(n)]
        for row in rows:
            if at is not None:
                row.created_at = row.updated_at = at
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def _next(response) -> str | None:  # noqa: ANN001
    match = re.match(r'<([^>]+)>; rel="next"', response.headers.get("Link", ""))
    return match.group(1) if match else None


def test_updated_since_returns_changed_rows_only(app, client, enterprise_client, seeded):
    old = _offers(app, seeded, 3, at=utcnow() - timedelta(days=2))
    since = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    with app.app_context():
        db.session.get(Enterprise, seeded["enterprises"][0]).officer_id = enterprise_client.user.id
        db.session.commit()
    token = make(app, enterprise_client.user.id, ["marketplace:write"])
    assert client.patch(f"/api/v1/offers/{old[1]}", json={"quantity": 99},
                        headers=auth(token)).status_code == 200
    new = _offers(app, seeded, 1)
    r = client.get(f"/api/v1/offers?updated_since={since.isoformat()}Z&sort=updated_at")
    assert [o["id"] for o in r.json["items"]] == [old[1], new[0]]
    r = client.get(f"/api/v1/offers?updated_since={since.isoformat()}%2B08:00")
    assert {o["id"] for o in r.json["items"]} <= {old[1], new[0]}


def test_sort_is_whitelisted(app, client, seeded):
    ids = _offers(app, seeded, 3)
    r = client.get("/api/v1/offers?sort=quantity")
    assert [o["quantity"] for o in r.json["items"]] == [1, 2, 3]
    r = client.get("/api/v1/offers?sort=-quantity")
    assert [o["id"] for o in r.json["items"]] == ids[::-1]
    r = client.get("/api/v1/offers?sort=description;drop")
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"


def test_link_walk_sees_every_row_once_under_inserts(app, client, seeded):
    before = set(_offers(app, seeded, 25))
    url, seen, pages = "/api/v1/offers?per_page=7&kind=jobs", [], 0
    while url:
        r = client.get(url)
        assert r.status_code == 200
        seen += [o["id"] for o in r.json["items"]]
        _offers(app, seeded, 2)  # another program posts while we page
        url, pages = _next(r), pages + 1
        assert pages < 20
    assert len(seen) == len(set(seen)), "a row came twice"
    assert before <= set(seen), "a row present from the start was skipped"


def test_link_pages_by_cursor_in_other_orders(app, client, seeded):
    _offers(app, seeded, 5)
    url, seen = "/api/v1/offers?per_page=2&sort=quantity&kind=jobs", []
    while url:
        r = client.get(url)
        assert "&page=" not in (_next(r) or "")
        assert _next(r) is None or ("cursor=" in _next(r) and "sort=quantity" in _next(r)
                                    and "kind=jobs" in _next(r))
        seen += [o["quantity"] for o in r.json["items"]]
        url = _next(r)
    assert seen == [1, 2, 3, 4, 5]
    last = client.get("/api/v1/offers?per_page=2&sort=quantity&page=3")
    assert _next(last) is None and len(last.json["items"]) == 1


def test_link_keeps_updated_since(app, client, seeded):
    from datetime import timedelta as td

    _offers(app, seeded, 3, at=utcnow() - td(days=2))
    new = _offers(app, seeded, 3)
    since = (utcnow() - td(hours=1)).replace(microsecond=0).isoformat() + "Z"
    url, seen = f"/api/v1/offers?per_page=2&sort=updated_at&updated_since={since}", []
    while url:
        r = client.get(url)
        seen += [o["id"] for o in r.json["items"]]
        url = _next(r)
        assert url is None or "updated_since=" in url
    assert seen == new


def test_ascending_keyset(app, client, seeded):
    ids = _offers(app, seeded, 5)
    url, seen = "/api/v1/offers?per_page=2&sort=id", []
    while url:
        r = client.get(url)
        seen += [o["id"] for o in r.json["items"]]
        url = _next(r)
    assert seen == sorted(ids)
