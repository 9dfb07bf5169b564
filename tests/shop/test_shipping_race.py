"""A village's shipping terms changed while buyers check out, through a multi-worker
gunicorn, requests released together: two edits at once (the village's first terms, then
a change) leave one whole set of terms, never a 500; every order placed meanwhile charges
one consistent set (its shipping is the fee of a set the village had, its total is goods
plus that shipping) and its payment moves exactly that total through the ledger."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.shop import services
from pairing.shop.models import Order, Shipping
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow

# (fee, free from, days): three whole sets; goods of ¥68 are charged the fee of each
SETS = [("5.00", "0", 1, 3), ("12.00", "500", 2, 5), ("20.00", "0", 4, 9)]


def _terms_form(village: int, fee: str, free_from: str, dmin: int, dmax: int) -> dict:
    return {"village_id": village, "fee": fee, "free_from": free_from, "days_min": dmin,
            "days_max": dmax}


def _row(app, village: int) -> tuple | None:  # noqa: ANN001
    with app.app_context():
        r = db.session.get(Shipping, village)
        return None if r is None else (r.fee_fen, r.free_from_fen, r.days_min, r.days_max)


def _as_row(fee: str, free_from: str, dmin: int, dmax: int) -> tuple:
    return (round(float(fee) * 100), round(float(free_from) * 100), dmin, dmax)


def test_edits_at_once_and_during_checkouts_keep_one_set_of_terms(app, database, tmp_path,
                                                                  shop, make_user):
    with app_servers(database, tmp_path, workers=3, threads=3,
                     worker_class="gthread") as (site,):
        desks = [HttpClient(site.url) for _ in range(2)]
        for d in desks:
            d.login(shop.secretary.email)
        # The village's first terms, sent twice at once (no row yet: both would insert it).
        tokens = [d.csrf("/shop/manage/shipping") for d in desks]
        first = release_together(2, lambda i: desks[i].post_form(
            "/shop/manage/shipping", _terms_form(shop.village, *SETS[i]), token=tokens[i]))
        assert server_errors(first) == []
        assert [a.status_code for a in first] == [302, 302]
        assert _row(app, shop.village) in {_as_row(*SETS[0]), _as_row(*SETS[1])}

        buyers = [HttpClient(site.url) for _ in range(6)]
        keys, client_of = [], {}
        for b in buyers:
            donor = make_user("donor")
            b.login(donor.email)
            client_of[donor.id] = b
            b.post_form("/shop/cart", {"product_id": shop.honey, "quantity": 1, "add": "1"})
            page = b.get("/shop/checkout").text
            keys.append(re.search(r'name="key" type="hidden" value="([0-9a-f]+)"',
                                  page).group(1))
        tokens = [d.csrf("/shop/manage/shipping") for d in desks] + [b.csrf() for b in buyers]

        def act(i: int):  # noqa: ANN202
            if i < 2:
                return desks[i].post_form("/shop/manage/shipping",
                                          _terms_form(shop.village, *SETS[1 + i]),
                                          token=tokens[i])
            return buyers[i - 2].post_form("/shop/checkout", {
                "key": keys[i - 2], "recipient": "刘女士", "phone": "13800138000",
                "province": "33", "county": "330106", "address": "文三路 1 号",
                "provider": "sandbox"}, token=tokens[i])

        answers = release_together(2 + len(buyers), act)
        assert server_errors(answers) == []
        assert {a.status_code for a in answers} == {302}
        assert _row(app, shop.village) in {_as_row(*SETS[1]), _as_row(*SETS[2])}
        with app.app_context():
            orders = [(o.id, o.total_fen, o.shipping_fen, o.buyer_id) for o in
                      db.session.scalars(select(Order).order_by(Order.id))]
        assert len(orders) == len(buyers)
        fees = {_as_row(*s)[0] for s in SETS}
        for _id, total, shipping_fen, _buyer in orders:
            assert shipping_fen in fees and total == 6800 + shipping_fen
        for order_id, _total, _shipping, buyer_id in orders:
            paying = client_of[buyer_id]
            assert paying.post_form(f"/shop/orders/{order_id}/pay").status_code == 302
        running(site)
    with app.app_context():
        paid = sum(o.total_fen for o in db.session.scalars(select(Order)) if o.state == "paid")
        assert paid == sum(total for _i, total, *_r in orders)
        assert ledger.balance(services.sales_account(shop.village)) == paid
