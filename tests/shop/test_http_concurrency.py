"""The shop's money and stock endpoints hit at once over HTTP, through a multi-worker
gunicorn on the test's database (SQLite file or PostgreSQL schema): requests released
together by a barrier on the same object and on objects sharing ledger accounts. Every
answer is a success or a clear refusal (zero 5xx) and the books and their invariants
verify afterwards (the autouse `books_balance` fixture runs ledger.verify)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from pairing.accounts.models import User
from pairing.extensions import db
from pairing.payments.models import Payment
from pairing.shop import payouts, services
from pairing.shop.models import Order, Payout, Product
from servers import HttpClient, app_servers, release_together, running, server_errors

from .shop_helpers import delivery, make_product

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):  # noqa: ANN001, ANN201
    with app_servers(database, tmp_path_factory.mktemp("shop-site"), workers=2, threads=4,
                     worker_class="gthread") as (server,):
        yield server


def _client(site, email: str) -> HttpClient:  # noqa: ANN001
    client = HttpClient(site.url)
    client.login(email)
    return client


def _orders(app, product: int, buyers: list, provider: str = "sandbox", *,  # noqa: ANN001
            paid: bool = False, delivered: bool = False, seller: int | None = None) -> list[int]:
    """One order of `product` per buyer, placed (and paid, and delivered) by the services."""
    ids = []
    with app.app_context():
        for n, buyer in enumerate(buyers):
            user = db.session.get(User, buyer.id)
            record = services.checkout(user, {product: 1}, delivery(), f"k{n}", provider)
            order_id = record.orders[0].id
            if paid:
                services.pay(user, order_id)
            if delivered:
                services.ship(db.session.get(User, seller), order_id, "EMS", f"E{n}")
                services.confirm_delivery(user, order_id)
            db.session.commit()
            ids.append(order_id)
    return ids


def _answers_ok(site, results) -> None:  # noqa: ANN001
    assert server_errors(results) == []
    assert {r.status_code for r in results} <= {200, 302, 303, 403}
    running(site)


def test_staff_confirm_twice_and_give_up_while_the_buyer_cancels(app, site, shop, make_user):
    """Two coordinators confirm each bank transfer, a third gives it up and its buyer
    cancels the order, all at once: each order is either paid then refunded once, or
    cancelled with its payment; never both, never booked twice, never a 500 (every path
    locks the order, then its payment, and reads the payment afresh)."""
    staff = [make_user("coordinator") for _ in range(3)]
    buyers = [make_user("donor") for _ in range(8)]
    orders = _orders(app, shop.honey, buyers, "manual", paid=True)
    with app.app_context():
        payment_ids = [services.payment_of(db.session.get(Order, o)).id for o in orders]
    desks = [_client(site, s.email) for s in staff]
    buyer_clients = [_client(site, b.email) for b in buyers]
    tokens = [c.csrf() for c in desks + buyer_clients]

    def act(i: int):  # noqa: ANN202
        n, what = divmod(i, 4)
        if what < 3:
            action = "cancel" if what == 2 else "confirm"
            return desks[what].post_form(f"/payments/{payment_ids[n]}/{action}",
                                         token=tokens[what])
        return buyer_clients[n].post_form(f"/shop/orders/{orders[n]}/cancel",
                                          token=tokens[3 + n])

    _answers_ok(site, release_together(4 * len(orders), act))
    with app.app_context():
        for order_id, payment_id in zip(orders, payment_ids, strict=True):
            state = db.session.get(Order, order_id).state
            paid = db.session.get(Payment, payment_id).status
            assert (state, paid) in {("refunded", "confirmed"), ("cancelled", "cancelled")}
        assert db.session.scalar(select(Product.stock).where(Product.id == shop.honey)) == 20


def test_buyers_pay_while_others_cancel_paid_orders_of_the_same_village(app, site, shop,
                                                                       make_user):
    """Payments (buyers -> village) and refunds (village -> buyers) on the same two
    accounts at once: ascending account order in ledger.post, so no deadlock, no 500."""
    buyers = [make_user("donor") for _ in range(12)]
    to_pay = _orders(app, shop.honey, buyers[:6])
    to_cancel = _orders(app, shop.honey, buyers[6:], paid=True)
    clients = [_client(site, b.email) for b in buyers]
    tokens = [c.csrf() for c in clients]

    def act(i: int):  # noqa: ANN202
        if i < 6:
            return clients[i].post_form(f"/shop/orders/{to_pay[i]}/pay", token=tokens[i])
        return clients[i].post_form(f"/shop/orders/{to_cancel[i - 6]}/cancel", token=tokens[i])

    _answers_ok(site, release_together(12, act))
    with app.app_context():
        states = {o.id: o.state for o in db.session.scalars(select(Order))}
        assert [states[o] for o in to_pay] == ["paid"] * 6
        assert [states[o] for o in to_cancel] == ["refunded"] * 6


def test_many_buyers_and_double_clicks_for_the_last_items(app, site, shop, make_user):
    last = make_product(app, shop.village, name="最后的腊肉", stock=4)
    buyers = [make_user("donor") for _ in range(8)]
    clients = [_client(site, b.email) for b in buyers]
    forms = []
    for c in clients:
        c.post_form("/shop/cart", {"product_id": last, "quantity": 1, "add": "1"},
                    token=c.csrf("/shop"))
        page = c.get("/shop/checkout")
        key = re.search(r'name="key"[^>]*value="([0-9a-f]+)"', page.text).group(1)
        forms.append({"key": key, "recipient": "刘女士", "phone": "13800138000",
                      "province": "33", "county": "330106", "address": "文三路 1 号",
                      "provider": "sandbox",
                      "csrf_token": c.csrf("/shop/cart")})

    # Each buyer clicks twice: 16 requests, 8 buyers, 4 items.
    results = release_together(16, lambda i: clients[i % 8].post_form("/shop/checkout",
                                                                      forms[i % 8]))
    _answers_ok(site, results)
    with app.app_context():
        sold = db.session.scalar(select(func.count()).select_from(Order)
                                 .where(Order.village_id == shop.village))
        assert sold == 4
        assert db.session.get(Product, last).stock == 0


def test_five_payout_requests_for_the_whole_amount_give_one_payout(app, site, shop,
                                                                  make_user):
    buyers = [make_user("donor") for _ in range(2)]
    _orders(app, shop.honey, buyers, paid=True, delivered=True, seller=shop.secretary.id)
    with app.app_context():
        from pairing.places.models import Village

        whole = payouts.available(db.session.get(Village, shop.village))
    assert whole == 2 * 6800
    secretary = [_client(site, shop.secretary.email) for _ in range(5)]
    tokens = [c.csrf() for c in secretary]
    form = {"village_id": shop.village, "amount": str(whole // 100), "cooperative": "蜂蜜合作社"}

    # Five posts and five reads of the payouts page at once (a read never writes).
    results = release_together(10, lambda i: secretary[i % 5].post_form(
        "/shop/payouts", form, token=tokens[i % 5]) if i < 5 else secretary[i % 5].get(
        "/shop/payouts"))
    _answers_ok(site, results)
    with app.app_context():
        requested = db.session.scalars(select(Payout)).all()
        assert len(requested) == 1
        payout_id = requested[0].id

    verifiers = [_client(site, make_user("verifier", jurisdiction="43").email)
                 for _ in range(3)]
    vtokens = [v.csrf() for v in verifiers]
    results = release_together(3, lambda i: verifiers[i].post_form(
        f"/shop/payouts/{payout_id}/{'reject' if i == 2 else 'approve'}",
        {"reason": "发票不清"}, token=vtokens[i]))
    _answers_ok(site, results)
    with app.app_context():
        assert db.session.get(Payout, payout_id).state in ("approved", "rejected")
