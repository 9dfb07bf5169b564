"""Every marketplace page renders for its audience (lists with filters and search, forms)."""

from __future__ import annotations

from enterprises import factories as f

import support

ZH = {"Accept-Language": "zh"}


def _ok(client, urls) -> None:  # noqa: ANN001
    for url in urls:
        r = client.get(url, headers=ZH)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[-2000:])


def test_every_page_renders(app, client, make_user):
    sec, off = make_user("secretary"), make_user("enterprise")
    v, e = f.village(app, sec.id), f.enterprise(app, off.id)
    f.need(app, v)
    o = f.offer(app, e)
    _ok(client, ["/offers", "/needs", "/villages", "/enterprises", f"/villages/{v}",
                 f"/enterprises/{e}", "/offers?q=茶叶&province=33&sort=quantity",
                 "/needs?q=茶&county=433124&kind=procurement&sort=priority",
                 "/villages?q=十八洞&sort=poor&mechanism=industry",
                 "/enterprises?mechanism=industry&sort=name&sector=C", "/offers?page=999"])
    c = app.test_client()
    support.login(c, sec.email)
    _ok(c, ["/my/villages", "/villages/new", f"/villages/{v}/edit", f"/villages/{v}/needs/new"])
    c = app.test_client()
    support.login(c, off.email)
    _ok(c, ["/my/enterprises", "/enterprises/new", f"/enterprises/{e}/edit",
            f"/enterprises/{e}/offers/new", f"/offers/{o}/edit"])
    ver = make_user("verifier", jurisdiction="43")
    f.village(app, None, status="pending", name="新村")
    c = app.test_client()
    support.login(c, ver.email)
    _ok(c, ["/verification"])
    assert "新村" in c.get("/verification").get_data(as_text=True)
