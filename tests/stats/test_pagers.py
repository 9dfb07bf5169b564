"""Every pager of the dashboard's pages, on a place with more rows than one page holds:
the first page links to the second, and the second answers with the rows left over.

The pagers carry a keyset cursor (pairing/pages.py). The county page's pager once lost the county's code (a 500 for every county with more
verified villages than a page holds); the pager now carries the page's own path."""

from __future__ import annotations

import re
from datetime import timedelta

from pairing.db import utcnow
from pairing.extensions import db
from pairing.giving.models import HelpRequest
from pairing.needs.models import Need
from pairing.places.models import Village

EN = {"Accept-Language": "en"}
COUNTY = "433124"


def _villages(app, count: int) -> list[int]:
    with app.app_context():
        rows = [Village(name=f"第{i:03d}村", county_code=COUNTY, population=900,
                        households=200, poor_households=100, poor_population=400,
                        status="verified", verified_at=utcnow()) for i in range(count)]
        db.session.add_all(rows)
        db.session.commit()
        return [v.id for v in rows]


def _next_link(page: str) -> str:
    found = re.search(r'<a href="([^"]+)" rel="next">', page)
    assert found, "no link to the next page"
    return found.group(1).replace("&amp;", "&")


def test_county_pager_walks_every_village(app, client):
    size = app.config["PAGE_SIZE"]
    _villages(app, size + 3)
    first = client.get(f"/dashboard/county/{COUNTY}", headers=EN)
    assert first.status_code == 200
    link = _next_link(first.get_data(as_text=True))
    assert link.startswith(f"/dashboard/county/{COUNTY}?") and "after=" in link
    second = client.get(link, headers=EN)
    assert second.status_code == 200
    body = second.get_data(as_text=True)
    assert "Page 2 of 2" in body
    shown = set(re.findall(r"第(\d{3})村", first.get_data(as_text=True) + body))
    assert len(shown) == size + 3  # every village once over the two pages


def test_ledger_pager_keeps_the_province(app, client):
    village_id = _villages(app, 1)[0]
    with app.app_context():
        now = utcnow()
        for i in range(51):  # the public ledger shows 50 requests a page
            need = Need(village_id=village_id, kind="infrastructure", quantity=10_000,
                        description=f"道路{i}")
            db.session.add(need)
            db.session.flush()
            db.session.add(HelpRequest(
                village_id=village_id, need_id=need.id, purpose="other", title=f"修路{i}",
                amount_needed_fen=1_000_000, deadline=now + timedelta(days=30),
                status="open", verified_at=now - timedelta(minutes=i)))
        db.session.commit()
    first = client.get("/ledger?province=43", headers=EN)
    assert first.status_code == 200
    link = _next_link(first.get_data(as_text=True))
    assert "province=43" in link and "after=" in link
    second = client.get(link, headers=EN)
    assert second.status_code == 200 and "修路50" in second.get_data(as_text=True)
