"""What makes people give (issue 19.5, 25.6): preset amounts saying what they buy, the
donors a page at a time, og: tags and share links, and a poster whose QR code holds
PUBLIC_URL's address of the request, never the Host the page was fetched on."""

from __future__ import annotations

import re

import segno
from giving_helpers import open_project
from giving_helpers import world as make_world
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Donation

EN = {"Accept-Language": "en"}
SITE = "https://pairing.example.cn"


def test_presets_say_what_they_buy_and_fit_what_is_left(app, make_user):
    w = make_world(app, make_user, needed=100_000)  # ¥1,000: the ¥1,000 preset fits once
    page = app.test_client().get(f"/crowdfunding/{w.request_id}", headers=EN)
    text = page.get_data(as_text=True)
    assert 'value="5000"' in text and 'value="20000"' in text and 'value="100000"' in text
    assert "about one dialysis session · 20% of the goal" in text  # a medical request
    assert "Other amount" in text
    donor = make_user("donor")
    with app.app_context():
        begin_write()
        giving.donate(db.session.get(User, donor.id), w.request_id, 50_000, "half")
        db.session.commit()
    text = app.test_client().get(f"/crowdfunding/{w.request_id}", headers=EN).get_data(
        as_text=True)
    assert 'value="100000"' not in text and 'value="20000"' in text  # ¥500 left


def test_a_project_gets_lines_of_its_need_and_og_tags(app, make_user):
    w = make_world(app, make_user)
    pid = open_project(app, w)
    app.config["PUBLIC_URL"] = SITE
    text = app.test_client().get(f"/crowdfunding/{pid}", headers=EN).get_data(as_text=True)
    assert "about one metre of village road" in text
    assert '<meta property="og:title" content="十八洞村村道硬化">' in text
    assert f'<meta property="og:url" content="{SITE}/crowdfunding/{pid}">' in text


def test_donors_come_twenty_at_a_time_newest_first(app, make_user):
    w = make_world(app, make_user)
    with app.app_context():
        for n in range(45):
            begin_write()
            giving.donate(None, w.request_id, 100 + n, f"g{n}",
                          guest=giving_guest(f"捐赠者{n:02d}"))
            db.session.commit()
    anon = app.test_client()
    first = anon.get(f"/crowdfunding/{w.request_id}", headers=EN).get_data(as_text=True)
    names = re.findall(r"捐赠者(\d\d)", first)
    assert names == [f"{n:02d}" for n in range(44, 24, -1)]
    assert "Page 1 of 3" in first and f"/crowdfunding/{w.request_id}?donors=2#donors" in first
    last = anon.get(f"/crowdfunding/{w.request_id}?donors=3", headers=EN).get_data(as_text=True)
    assert re.findall(r"捐赠者(\d\d)", last) == [f"{n:02d}" for n in range(4, -1, -1)]
    beyond = anon.get(f"/crowdfunding/{w.request_id}?donors=99", headers=EN)
    assert beyond.status_code == 200 and "Page 1 of 3" in beyond.get_data(as_text=True)


def giving_guest(name: str):  # noqa: ANN201
    from pairing.giving.donations import Guest

    return Guest(name=name, email="g@example.org")


def test_poster_qr_holds_the_public_url_not_the_host(app, make_user):
    w = make_world(app, make_user)
    app.config["PUBLIC_URL"] = SITE
    page = app.test_client().get(f"/crowdfunding/{w.request_id}/poster",
                                 headers={"Host": "10.0.0.5", **EN})
    text = page.get_data(as_text=True)
    url = f"{SITE}/crowdfunding/{w.request_id}"
    assert page.status_code == 200 and url in text and "10.0.0.5" not in text
    expected = segno.make(url, error="m").svg_inline(scale=6, omitsize=False)
    assert expected in text
    public = app.test_client().get(f"/crowdfunding/{w.request_id}",
                                   headers={"Host": "10.0.0.5"}).get_data(as_text=True)
    assert f'value="{url}"' in public and "10.0.0.5" not in public
    assert "service.weibo.com/share/share.php?url=" + url.replace(":", "%3A").replace(
        "/", "%2F") in public


def test_poster_of_an_unverified_request_is_not_found(app, make_user):
    w = make_world(app, make_user, state="submitted")
    assert app.test_client().get(f"/crowdfunding/{w.request_id}/poster").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Donation.id)) is None
