"""A guest donor's e-mail address has a way out (PIPL art. 47): from the receipt link,
"forget my e-mail address" erases it from every gift given with it (money and ledger
untouched), audited without the address, in both languages; nobody without a receipt link
can do it; the account holding that address finds those gifts in its data download; two
forgets sent at once through gunicorn erase once and write one audit row."""

from __future__ import annotations

import json

import pytest
from giving_helpers import figures
from giving_helpers import world as make_world
from sqlalchemy import select
from test_guest_giving import guest_form

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving.models import Donation
from pairing.ledger import services as ledger
from servers import HttpClient, app_servers, release_together, running, server_errors

EN = {"Accept-Language": "en"}
MAIL = "Guest@Example.org"


def _give(app, request_id: int, email: str, amount: str = "30") -> str:  # noqa: ANN001
    guest = app.test_client()
    data = guest_form(guest, request_id, email=email, amount=amount)
    r = support.post(guest, f"/crowdfunding/{request_id}/give-as-guest", data)
    assert r.status_code == 302
    return r.headers["Location"]  # the receipt link


def _emails(app) -> dict[int, str | None]:  # noqa: ANN001
    with app.app_context():
        return dict(db.session.execute(select(Donation.id, Donation.guest_email)
                                       .order_by(Donation.id)).all())


def _forgets(app) -> list[AuditEvent]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "donation.guest_email.forget")).all()
        db.session.expunge_all()
        return rows


def test_a_guest_forgets_their_address_on_every_gift_and_the_money_stays(app, make_user):
    w = make_world(app, make_user)
    first = _give(app, w.request_id, MAIL)
    _give(app, w.request_id, "guest@example.org", "40")  # the same address, other case
    _give(app, w.request_id, "other@example.org", "50")
    before = figures(app, w.request_id)
    guest = app.test_client()
    page = guest.get(first, headers=EN).get_data(as_text=True)
    assert "Forget my e-mail address" in page
    r = support.post(guest, f"{first}/forget-email", headers=EN, follow_redirects=True)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "Your e-mail address was erased from your gifts" in text
    assert "Forget my e-mail address" not in text
    assert list(_emails(app).values()) == [None, None, "other@example.org"]
    assert figures(app, w.request_id) == before
    with app.app_context():
        assert ledger.verify() == []
        amounts = [d.amount_fen for d in db.session.scalars(select(Donation)
                                                            .order_by(Donation.id))]
    assert amounts == [3000, 4000, 5000]
    [event] = _forgets(app)
    assert event.actor_id is None and event.after["gifts"] == 2
    assert "example.org" not in json.dumps([event.before, event.after, event.changed])
    # Again, in Chinese: already done, nothing more written.
    guest.set_cookie("lang", "zh")
    again = support.post(guest, f"{first}/forget-email", follow_redirects=True)
    assert "您的电子邮箱地址此前已删除" in again.get_data(as_text=True)
    assert len(_forgets(app)) == 1


def test_nobody_without_the_receipt_link_can_forget(app, make_user):
    w = make_world(app, make_user)
    link = _give(app, w.request_id, MAIL)
    other = _give(app, w.request_id, "other@example.org")
    gift_id, token = link.split("/")[-2:]
    other_id, other_token = other.split("/")[-2:]
    stranger = app.test_client()
    support.login(stranger, make_user("donor").email)
    for path in (f"/giving/receipts/{gift_id}/{'0' * 32}",
                 f"/giving/receipts/{gift_id}/{other_token}",  # another gift's token
                 f"/giving/receipts/{other_id}/{token}"):  # this token on another gift
        assert support.post(stranger, f"{path}/forget-email").status_code == 404
    assert stranger.post(f"{link}/forget-email").status_code == 400  # no CSRF token
    assert list(_emails(app).values()) == [MAIL, "other@example.org"]
    assert _forgets(app) == []


def test_the_account_of_that_address_downloads_its_guest_gifts(app, make_user):
    w = make_world(app, make_user)
    _give(app, w.request_id, MAIL)
    _give(app, w.request_id, "other@example.org")
    owner = make_user("donor", email="guest@example.org")
    client = app.test_client()
    support.login(client, owner.email)
    data = client.get("/account/my-data/export.json").get_json()
    assert [g["guest_email"] for g in data["guest_donations"]] == [MAIL]
    assert "guest_key" not in data["guest_donations"][0]  # half of the receipt link
    someone = app.test_client()
    support.login(someone, make_user("donor").email)
    assert someone.get("/account/my-data/export.json").get_json()["guest_donations"] == []


@pytest.mark.slow
def test_forgets_sent_at_once_erase_once(app, database, tmp_path, make_user):
    w = make_world(app, make_user)
    links = [_give(app, w.request_id, MAIL), _give(app, w.request_id, "guest@example.org")]
    with app_servers(database, tmp_path, workers=3, threads=2,
                     worker_class="gthread") as (site,):
        guests = [HttpClient(site.url) for _ in range(6)]
        tokens = [g.csrf(links[i % 2]) for i, g in enumerate(guests)]
        answers = release_together(6, lambda i: guests[i].post_form(
            f"{links[i % 2]}/forget-email", token=tokens[i]))
        assert server_errors(answers) == []
        assert {a.status_code for a in answers} == {302}
        running(site)
    assert list(_emails(app).values()) == [None, None]
    assert len(_forgets(app)) == 1
