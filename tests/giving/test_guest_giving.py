"""Giving without an account (issue 19.2): a guest gives through the same path as a donor
(limits, ledger, matching), the receipt is reached only by the mailed link, and it says
what an enterprise's match pool added."""

from __future__ import annotations

import re
from datetime import timedelta

from giving_helpers import figures
from giving_helpers import world as make_world
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.db import today, utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving import matching
from pairing.giving.models import Donation
from pairing.ledger import services as ledger

EN = {"Accept-Language": "en"}


def start_match(app, make_user, request_id: int, pool_fen: int) -> None:  # noqa: ANN001
    officer = make_user("enterprise")
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer.id, status="verified")
        db.session.add(e)
        db.session.flush()
        offer = Offer(enterprise_id=e.id, kind="donation", quantity=10_000_000,
                      max_villages=5, starts_on=today())
        db.session.add(offer)
        db.session.flush()
        matching.create_match(db.session.get(User, officer.id), offer, pool_fen,
                              utcnow() + timedelta(days=10), [request_id])
        db.session.commit()


def guest_form(client, request_id: int, **values: str) -> dict[str, str]:  # noqa: ANN001
    page = client.get(f"/crowdfunding/{request_id}").get_data(as_text=True)
    action = f"/crowdfunding/{request_id}/give-as-guest"
    assert action in page
    form = page[page.index(action):]
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', form).group(1)
    data = {"key": key, "provider": "sandbox", "fallback": "0", "name": "王小明",
            "email": "guest@example.org", "preset": "other", "amount": ""}
    data.update(values)
    return data


def test_guest_gives_a_preset_and_the_mailed_link_shows_the_matched_receipt(app, make_user):
    w = make_world(app, make_user)
    start_match(app, make_user, w.request_id, 30_000)
    guest = app.test_client()
    data = guest_form(guest, w.request_id, preset="20000")
    r = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest", data, headers=EN)
    assert r.status_code == 302
    receipt_path = r.headers["Location"]
    assert re.fullmatch(r"/giving/receipts/\d+/[0-9a-f]{32}", receipt_path)
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 40_000  # ¥200 and ¥200 matched
    with app.app_context():
        gift = db.session.scalar(select(Donation).where(Donation.match_id.is_(None)))
        assert gift.donor_id is None and gift.guest_email == "guest@example.org"
        assert ledger.verify() == []
    mail = app.extensions["sent_mail"][-1]
    assert mail["To"] == "guest@example.org"
    assert app.config["PUBLIC_URL"] + receipt_path in mail.get_content()
    page = app.test_client().get(receipt_path, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "¥200.00" in text and "王小明" in text
    assert "杭州绿源茶业有限公司 added ¥200.00" in text and "¥400.00" in text
    assert page.headers["Cache-Control"] == "private, no-store"
    public = app.test_client().get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    assert "王小明" in public and "guest@example.org" not in public


def test_the_same_key_twice_books_once_and_mails_once(app, make_user):
    w = make_world(app, make_user)
    guest = app.test_client()
    data = guest_form(guest, w.request_id, amount="88.50")
    before = len(app.extensions.get("sent_mail", []))
    first = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest", data)
    second = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest", data)
    assert first.headers["Location"] == second.headers["Location"]
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 8_850 and f["donors"] == 1
    assert len(app.extensions["sent_mail"]) == before + 1


def test_guest_limits_are_the_donors(app, make_user):
    w = make_world(app, make_user, needed=20_000)
    guest = app.test_client()
    too_much = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                            guest_form(guest, w.request_id, amount="300"), headers=EN,
                            follow_redirects=True)
    assert "Only ¥200.00 is still needed" in too_much.get_data(as_text=True)
    no_mail = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                           guest_form(guest, w.request_id, amount="5", email="nope"),
                           headers=EN, follow_redirects=True)
    assert "Enter a valid e-mail address." in no_mail.get_data(as_text=True)
    forged = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                          guest_form(guest, w.request_id, preset="7"), headers=EN,
                          follow_redirects=True)
    assert "Choose one of the amounts shown" in forged.get_data(as_text=True)
    assert figures(app, w.request_id)["raised"] == 0


def test_anonymous_guest_is_shown_anonymous(app, make_user):
    w = make_world(app, make_user)
    guest = app.test_client()
    support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                 guest_form(guest, w.request_id, amount="10", anonymous="y"))
    public = app.test_client().get(f"/crowdfunding/{w.request_id}", headers=EN)
    assert "王小明" not in public.get_data(as_text=True)
    assert "Anonymous donor" in public.get_data(as_text=True)


def test_a_receipt_is_not_reached_by_guessing(app, make_user, donor_client):
    w = make_world(app, make_user)
    guest = app.test_client()
    path = support.post(guest, f"/crowdfunding/{w.request_id}/give-as-guest",
                        guest_form(guest, w.request_id, amount="10")).headers["Location"]
    gift_id, token = re.fullmatch(r"/giving/receipts/(\d+)/([0-9a-f]{32})", path).groups()
    other = app.test_client()
    assert other.get(f"/giving/receipts/{gift_id}/{'0' * 32}").status_code == 404
    assert other.get(f"/giving/receipts/{gift_id}/{token[:-1]}").status_code == 404
    assert other.get(f"/giving/receipts/{gift_id}").status_code == 302  # log in
    assert donor_client.get(f"/giving/receipts/{gift_id}").status_code == 404  # not theirs
    # A logged-in donor's gift has no guest link at all.
    page = donor_client.get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    support.post(donor_client, f"/crowdfunding/{w.request_id}/donate",
                 {"amount": "20", "provider": "sandbox", "fallback": "0", "key": key,
                  "preset": "other"})
    with app.app_context():
        mine = db.session.scalar(select(Donation.id).where(Donation.donor_id.is_not(None)))
    assert other.get(f"/giving/receipts/{mine}/{token}").status_code == 404


def test_a_logged_in_person_is_sent_to_their_own_form(app, make_user, donor_client):
    w = make_world(app, make_user)
    data = guest_form(app.test_client(), w.request_id, amount="10")
    support.post(donor_client, f"/crowdfunding/{w.request_id}/give-as-guest", data)
    assert figures(app, w.request_id)["raised"] == 0
