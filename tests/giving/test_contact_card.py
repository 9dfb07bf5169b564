"""The printed contact card: every kind of help counted, the cadre's and the secretary's
work phones (never the household's), QR codes built from PUBLIC_URL, not the Host."""

from __future__ import annotations

import re

from giving_helpers import world as make_world

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Household


def _secretary(app, w):  # noqa: ANN001
    client = app.test_client()
    support.login(client, w.secretary.email)
    return client


def test_card_counts_money_raised_before_it_is_paid_out(app, make_user, donor_client):
    w = make_world(app, make_user, needed=5_000_000)
    r = support.post(donor_client, f"/crowdfunding/{w.request_id}/donate", {
        "amount": "37200", "provider": "sandbox", "fallback": "0", "key": "card-1"})
    assert r.status_code == 302
    card = _secretary(app, w).get(f"/giving/households/{w.household_id}/card",
                                  headers={"Accept-Language": "zh"}).get_data(as_text=True)
    received = re.search(r'id="help-received">(.*?)</dd>', card, re.S).group(1)
    assert "¥37,200.00" in received, received  # was ¥0.00: only paid-out money counted
    assert "¥0.00" in received  # of which paid out: nothing yet, and it says so
    assert re.search(r'id="help-pairings">\s*0\s*<', card)


def test_card_shows_work_phones_and_never_the_households(app, make_user):
    w = make_world(app, make_user)
    sec = _secretary(app, w)
    r = support.post(sec, "/account/work-phone", {"work_phone": "0743 7221234"})
    assert r.status_code == 302
    with app.app_context():
        household = db.session.get(Household, w.household_id)
        household.cadre_phone = "13907431234"
        household.address = "十八洞村 3 组（户主手机 13011112222）"
        db.session.commit()
    card = sec.get(f"/giving/households/{w.household_id}/card").get_data(as_text=True)
    assert 'href="tel:13907431234"' in card and 'href="tel:07437221234"' in card
    assert "13011112222" not in card


def test_a_bad_work_phone_is_refused_and_changes_nothing(app, make_user, donor_client):
    w = make_world(app, make_user)
    sec = _secretary(app, w)
    sec.set_cookie("lang", "en")
    r = sec.post("/account/work-phone", data={"work_phone": "call me",
                                               "csrf_token": support.csrf_token(sec, "/account")},
                 follow_redirects=True)
    assert "Enter a phone number such as" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, w.secretary.id).work_phone == ""
    # A donor has no work phone on cards: the route is for staff.
    assert support.post(donor_client, "/account/work-phone",
                        {"work_phone": "13800138000"}).status_code == 403


def test_qr_codes_use_public_url_not_the_requests_host(app, make_user):
    w = make_world(app, make_user)
    app.config["PUBLIC_URL"] = "https://fupin.example.cn"
    sec = app.test_client()
    sec.environ_base["HTTP_HOST"] = "evil.example"  # every request, the log-in's too
    support.login(sec, w.secretary.email)
    card = sec.get(f"/giving/households/{w.household_id}/card").get_data(as_text=True)
    assert f"https://fupin.example.cn/crowdfunding/household/{w.household_id}" in card
    assert "evil.example" not in card
