"""The lock order, without the views' retries: real threads call the services at once on
the test's database. A payment (buyers -> village) and a refund (village -> buyers) move
the same two balances; a staff confirmation and the buyer's cancel touch the same order
and payment. Taken in one order everywhere (the order, then its payment, then balances
by ascending account id), none of them ever fails with a deadlock on PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.payments import services as payments
from pairing.payments.models import Payment
from pairing.shop import services
from pairing.shop.models import Order
from servers import release_together

from .shop_helpers import delivery

PAIRS = 10


def _placed(app, make_user, product: int, n: int, provider: str = "sandbox",  # noqa: ANN001
            paid: bool = False) -> list[tuple[int, int]]:
    """(buyer id, order id) of n orders of one item each."""
    made = []
    buyer_ids = [make_user("donor").id for _ in range(n)]
    with app.app_context():
        for i, buyer_id in enumerate(buyer_ids):
            buyer = db.session.get(User, buyer_id)
            order_id = services.checkout(buyer, {product: 1}, delivery(), f"k{i}",
                                         provider).orders[0].id
            if paid:
                services.pay(buyer, order_id)
            db.session.commit()
            made.append((buyer.id, order_id))
    return made


def _in_context(app, work):  # noqa: ANN001, ANN202
    def run(i: int):  # noqa: ANN202
        with app.app_context():
            try:
                result = work(i)
                db.session.commit()
                return result
            except (services.ShopError, payments.PaymentError) as exc:  # a clear refusal
                db.session.rollback()
                return exc
            finally:
                db.session.remove()
    return run


def test_payments_and_refunds_on_the_same_accounts_never_deadlock(app, shop, make_user):
    to_pay = _placed(app, make_user, shop.honey, PAIRS)
    to_refund = _placed(app, make_user, shop.honey, PAIRS, paid=True)

    def work(i: int):  # noqa: ANN202
        buyer_id, order_id = (to_pay + to_refund)[i]
        buyer = db.session.get(User, buyer_id)
        return services.pay(buyer, order_id) if i < PAIRS else services.cancel(buyer, order_id)

    results = release_together(2 * PAIRS, _in_context(app, work))
    assert [r for r in results if isinstance(r, Exception)] == []
    with app.app_context():
        states = dict(db.session.execute(select(Order.id, Order.state)).all())
    assert {states[o] for _, o in to_pay} == {"paid"}
    assert {states[o] for _, o in to_refund} == {"refunded"}


def test_a_confirmation_and_the_buyers_cancel_never_deadlock(app, shop, make_user):
    orders = _placed(app, make_user, shop.honey, PAIRS, provider="manual", paid=True)
    staff = make_user("coordinator")
    with app.app_context():
        pay_ids = [services.payment_of(db.session.get(Order, o)).id for _, o in orders]

    def work(i: int):  # noqa: ANN202
        buyer_id, order_id = orders[i // 2]
        if i % 2:
            return services.cancel(db.session.get(User, buyer_id), order_id)
        begin_write()
        payment = db.session.get(Payment, pay_ids[i // 2])
        return payments.confirm(payment, db.session.get(User, staff.id))  # refused if cancelled

    results = release_together(2 * PAIRS, _in_context(app, work))
    refusals = (services.ShopError, payments.PaymentError)
    assert [r for r in results if isinstance(r, Exception) and not isinstance(r, refusals)] == []
    with app.app_context():
        for (_, order_id), pay_id in zip(orders, pay_ids, strict=True):
            pair = (db.session.get(Order, order_id).state, db.session.get(Payment, pay_id).status)
            assert pair in {("refunded", "confirmed"), ("cancelled", "cancelled")}
