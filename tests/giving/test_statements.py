"""A donor's gifts a page at a time and the yearly statement (issue 25.1): per request,
refunded and moved gifts shown, matched amounts, in yuan from fen, Beijing-time years, as
printable HTML and CSV; a donor only ever sees their own."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timedelta

from giving_helpers import make_household, make_request, make_village
from giving_helpers import world as make_world
from sqlalchemy import select
from test_guest_giving import start_match

import support
from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Donation

EN = {"Accept-Language": "en"}


def give(app, donor_id: int, request_id: int, fen: int, key: str) -> int:  # noqa: ANN001
    with app.app_context():
        begin_write()
        gift = giving.donate(db.session.get(User, donor_id), request_id, fen, key)
        db.session.commit()
        return gift.id


def test_statement_per_request_with_refund_and_match(app, make_user):
    w = make_world(app, make_user)
    start_match(app, make_user, w.request_id, 10_000)
    donor = make_user("donor", name="李捐赠")
    kept = give(app, donor.id, w.request_id, 12_345, "a")      # ¥123.45, ¥100 matched
    back = give(app, donor.id, w.request_id, 5_000, "b")
    with app.app_context():
        coordinator = db.session.get(User, make_user("coordinator").id)
        giving.refund_donation(coordinator, db.session.get(Donation, back))
        db.session.commit()
        year = (db.session.get(Donation, kept).created_at + timedelta(hours=8)).year
    other = make_user("donor", name="王别人")
    give(app, other.id, w.request_id, 7_700, "c")
    client = app.test_client()
    support.login(client, donor.email)
    page = client.get(f"/giving/my-gifts/{year}", headers=EN).get_data(as_text=True)
    assert "Statement of gifts" in page and "李捐赠" in page
    assert "¥123.45" in page and "¥100.00" in page and "¥50.00" in page
    assert "Refunded" in page and "¥77.00" not in page and "王别人" not in page
    assert "Received by the requests</dt><dd><strong>¥123.45" in page
    response = client.get(f"/giving/my-gifts/{year}.csv", headers=EN)
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][5] == "Amount (yuan)" and len(rows) == 3
    by_receipt = {r[1]: r for r in rows[1:]}
    assert by_receipt[f"{kept:08d}"][5] == "123.45" and by_receipt[f"{kept:08d}"][7] == "100.00"
    assert by_receipt[f"{back:08d}"][6] == "Refunded"
    zh = client.get(f"/giving/my-gifts/{year}", headers={"Accept-Language": "zh"})
    assert "已退还" in zh.get_data(as_text=True)
    empty = client.get(f"/giving/my-gifts/{year - 1}", headers=EN).get_data(as_text=True)
    assert "No gifts in this year." in empty
    assert client.get("/giving/my-gifts/99999").status_code == 404


def test_a_moved_gift_is_shown_with_where_it_went(app, make_user):
    w = make_world(app, make_user, needed=50_000)
    village = make_village(app, w.secretary.id, name="菖蒲塘村")
    second = make_request(app, w.secretary.id, make_household(app, w.secretary.id, village,
                                                              seq=2), verifier_id=w.verifier.id)
    donor = make_user("donor")
    with app.app_context():
        begin_write()
        gift = giving.donate(db.session.get(User, donor.id), w.request_id, 10_000, "m",
                             fallback_request_id=second)
        db.session.commit()
        gift_id = gift.id
        # The deadline passes unfunded: housekeeping moves the gift.
        from pairing.giving.models import HelpRequest

        req = db.session.get(HelpRequest, w.request_id)
        begin_write()
        req = giving.lock_request(req.id)
        giving.settle(req, now=req.deadline + timedelta(seconds=1))
        db.session.commit()
        year = datetime.now().year
    client = app.test_client()
    support.login(client, donor.email)
    page = client.get(f"/giving/my-gifts/{year}", headers=EN).get_data(as_text=True)
    assert "Moved to another request" in page
    assert f"moved to request #{second}" in page
    assert f"moved here from your gift №{gift_id:08d}" in page


def test_my_gifts_come_in_pages_and_only_ones_own(app, make_user):
    w = make_world(app, make_user, needed=5_000_000)
    donor = make_user("donor")
    for n in range(53):
        give(app, donor.id, w.request_id, 100 + n, f"k{n}")
    client = app.test_client()
    support.login(client, donor.email)
    # Next links (keyset cursors) through more gifts than a page holds: each once, newest
    # first, the last page the rest.
    url, seen, shown = "/giving/my-gifts", [], []
    while url:
        body = client.get(url, headers=EN).get_data(as_text=True)
        seen += re.findall(r"/giving/receipts/(\d+)", body)
        shown.append(re.search(r"Page \d+ of \d+", body).group(0))
        found = re.search(r'<a href="([^"]+)" rel="next"', body)
        url = html.unescape(found.group(1)) if found else None
        assert url is None or ("after=" in url and "page=" not in url)  # a keyset cursor
    assert shown == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert len(seen) == 53 and len(set(seen)) == 53
    assert [int(i) for i in seen] == sorted(map(int, seen), reverse=True)
    stranger = app.test_client()
    support.login(stranger, make_user("donor").email)
    theirs = stranger.get("/giving/my-gifts", headers=EN).get_data(as_text=True)
    assert "/giving/receipts/" not in theirs and "You have not given yet." in theirs
    with app.app_context():
        gift_id = db.session.scalar(select(Donation.id).limit(1))
    assert stranger.get(f"/giving/receipts/{gift_id}").status_code == 404
    year = datetime.now().year
    csv_text = stranger.get(f"/giving/my-gifts/{year}.csv").get_data(as_text=True)
    assert csv_text.count("\r\n") == 1  # the header only
    assert app.test_client().get(f"/giving/my-gifts/{year}").status_code == 302  # log in
