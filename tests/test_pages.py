"""The keyset pager of the HTML lists (pairing/pages.py): following "next" walks every row
once in the list's order, whatever the sort and its ties, "previous" walks back; a
cursor edited by hand, cut short or carried to another list or sort is refused with a
clear message; counts stop at the cap."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from pairing import pages
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db

ROW = re.compile(r"编号(\d{3})")
NEXT = re.compile(r'<a href="([^"]+)" rel="next"')
PREV = re.compile(r'<a href="([^"]+)" rel="prev"')
BAD = "此页链接已损坏或已过期"


def _offers(app, count: int) -> list[tuple[int, str, int, int]]:
    """(number, enterprise name, quantity, id) of each offer: names and quantities tie."""
    made = []
    with app.app_context():
        firms = []
        for i in range(3):
            firm = Enterprise(name=f"茶业公司{'甲乙丙'[i]}", county_code="330106", sector="C",
                              credit_code=credit_code.make("91", "330106", f"{i:09d}"),
                              status="verified")
            db.session.add(firm)
            firms.append(firm)
        db.session.flush()
        for n in range(count):
            firm = firms[n % 3]
            offer = Offer(enterprise_id=firm.id, kind="procurement", quantity=100 + n % 4,
                          starts_on=date(2026, 1, 1), description=f"编号{n:03d}")
            db.session.add(offer)
            db.session.flush()
            made.append((n, firm.name, offer.quantity, offer.id))
        db.session.commit()
    return made


def _walk(client, url: str, link: re.Pattern) -> tuple[list[list[int]], str]:  # noqa: ANN001
    shown, last = [], url
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, url
        text = answer.get_data(as_text=True)
        shown.append([int(n) for n in ROW.findall(text)])
        last = url
        found = link.search(text)
        url = html.unescape(found.group(1)) if found else ""
    return shown, last


@pytest.mark.parametrize("sort", ["", "quantity", "name"])
def test_next_walks_every_row_once_and_previous_walks_back(app, client, sort):
    made = _offers(app, 45)
    order = {"": lambda r: -r[3], "quantity": lambda r: (-r[2], -r[3]),
             "name": lambda r: (r[1], r[3])}[sort]
    expected = [r[0] for r in sorted(made, key=order)]
    forward, last = _walk(client, f"/offers?sort={sort}", NEXT)
    assert [len(p) for p in forward] == [20, 20, 5]
    assert sum(forward, []) == expected
    assert "第 3 页，共 3 页" in client.get(last).get_data(as_text=True)
    backward, _ = _walk(client, last, PREV)
    assert backward == forward[::-1]


def test_a_tampered_or_foreign_cursor_is_refused_clearly(app, client):
    _offers(app, 25)
    page = client.get("/offers?sort=quantity").get_data(as_text=True)
    cursor = re.search(r"after=([^&\"]+)", html.unescape(NEXT.search(page).group(1))).group(1)
    assert client.get(f"/offers?sort=quantity&after={cursor}").status_code == 200
    flipped = cursor[:-3] + ("A" if cursor[-3] != "A" else "B") + cursor[-2:]
    for url in (f"/offers?sort=quantity&after={flipped}",  # edited
                f"/offers?sort=quantity&after={cursor[:10]}",  # cut short
                f"/offers?sort=name&after={cursor}",  # another sort
                f"/needs?sort=quantity&after={cursor}",  # another list
                "/villages?after=" + "x" * 5000, "/enterprises?after=%00"):
        answer = client.get(url)
        assert answer.status_code == 400, url
        assert BAD in answer.get_data(as_text=True) or "%00" in url, url


def test_counts_stop_at_the_cap(app, client, monkeypatch):
    """A keyset list counts to pages.COUNT_CAP (the marketplace's lists to their own cap,
    tests/needs/test_listing.py): beyond it the pager names the page without a total."""
    _requests(app, 30)
    en = {"Accept-Language": "en"}
    assert "Page 1 of 2" in client.get("/crowdfunding", headers=en).get_data(as_text=True)
    monkeypatch.setattr(pages, "COUNT_CAP", 5)
    text = client.get("/crowdfunding", headers=en).get_data(as_text=True)
    assert "Page 1 of" not in text and "<span>Page 1</span>" in text


def _requests(app, count: int) -> list[tuple[int, bool, float, int]]:
    """Crowdfunding requests (number, funded, share raised, id): shares tie, some funded."""
    from datetime import timedelta

    from pairing.db import utcnow
    from pairing.giving.models import HelpRequest
    from pairing.needs.models import Need
    from pairing.places.models import Village

    made = []
    with app.app_context():
        village = Village(name="十八洞村", county_code="433124", population=900, households=200,
                          status="verified", verified_at=utcnow())
        db.session.add(village)
        db.session.flush()
        for n in range(count):
            need = Need(village_id=village.id, kind="infrastructure", quantity=10_000)
            db.session.add(need)
            db.session.flush()
            funded = n % 7 == 0
            raised = 300_000 if funded else (n % 3) * 100_000
            req = HelpRequest(village_id=village.id, need_id=need.id, purpose="other",
                              title=f"编号{n:03d}", amount_needed_fen=300_000,
                              raised_fen=raised, status="funded" if funded else "open",
                              deadline=utcnow() + timedelta(days=30 + n % 5),
                              verified_at=utcnow())
            db.session.add(req)
            db.session.flush()
            made.append((n, funded, raised / 300_000, req.id))
        db.session.commit()
    return made


def test_crowdfunding_pages_in_a_mixed_order(app, client):
    """Sorted funded-last, then by share raised downwards, then id upwards: a key of
    mixed directions and a computed ratio still walks every request once."""
    made = _requests(app, 53)
    expected = [r[0] for r in sorted(made, key=lambda r: (r[1], -r[2], r[3]))]
    forward, last = _walk(client, "/crowdfunding?sort=nearly", NEXT)
    assert [len(p) for p in forward] == [24, 24, 5]
    assert sum(forward, []) == expected
    assert _walk(client, last, PREV)[0] == forward[::-1]


def test_shop_pages_by_price(app, client, make_user):
    from shop.shop_helpers import make_product, make_village

    village = make_village(app, make_user("secretary").id, "十八洞村")
    made = [(n, 1000 + n % 4, make_product(app, village, name=f"编号{n:03d}",
                                           price=1000 + n % 4)) for n in range(30)]
    # Ties by id in the sort's own direction: one index range serves it (0031).
    expected = [r[0] for r in sorted(made, key=lambda r: (-r[1], -r[2]))]
    forward, _last = _walk(client, "/shop?sort=price_desc", NEXT)
    assert [len(p) for p in forward] == [24, 6]
    assert sum(forward, []) == expected
