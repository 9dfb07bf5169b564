"""50 buyers, 20 in stock, real threads on the real database: exactly 20 succeed.

The naive variant (read the stock, then write it) runs in the same harness and oversells,
which shows that the harness would catch a checkout that is not atomic.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import func, select

from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.shop import services
from pairing.shop.models import Order, Product

from .shop_helpers import delivery, make_product, stock_of

BUYERS = 50
STOCK = 20


def _buyers(app, n: int) -> list[int]:  # noqa: ANN001
    with app.app_context():
        users = [User(email=f"buyer{i}@example.org", password_hash="x", display_name=f"b{i}",
                      role="donor") for i in range(n)]
        db.session.add_all(users)
        db.session.commit()
        return [u.id for u in users]


def _race(app, buyers: list[int], attempt: Callable[[int], bool]) -> tuple[int, list]:  # noqa: ANN001
    barrier = threading.Barrier(len(buyers))
    wins: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(buyer_id: int) -> None:
        barrier.wait()
        try:
            with app.app_context():
                try:
                    if attempt(buyer_id):
                        with lock:
                            wins.append(buyer_id)
                finally:
                    db.session.rollback()
                    db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in buyers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return len(wins), errors


def test_fifty_buyers_twenty_in_stock_exactly_twenty_succeed(app, shop):
    product = make_product(app, shop.village, name="最后的蜂蜜", stock=STOCK)
    buyers = _buyers(app, BUYERS)

    def checkout(buyer_id: int) -> bool:
        buyer = db.session.get(User, buyer_id)
        try:
            services.checkout(buyer, {product: 1}, delivery(), f"key-{buyer_id}")
        except services.OutOfStock:
            return False
        db.session.commit()
        return True

    won, errors = _race(app, buyers, checkout)
    assert errors == []
    assert won == STOCK
    assert stock_of(app, product) == 0
    with app.app_context():
        orders = db.session.scalar(select(func.count()).select_from(Order)
                                   .where(Order.village_id == shop.village,
                                          Order.total_fen == 6800))
        assert orders == STOCK
        assert db.session.scalar(select(func.min(Product.stock))) >= 0


def test_naive_read_then_write_oversells_and_the_harness_sees_it(app, shop):
    product = make_product(app, shop.village, name="演示蜂蜜", stock=STOCK)
    buyers = _buyers(app, BUYERS)

    def naive(buyer_id: int) -> bool:
        seen = db.session.scalar(select(Product.stock).where(Product.id == product))
        db.session.rollback()  # the check and the write in different transactions
        time.sleep(0.05)  # the gap every real request has between reading and writing
        if seen < 1:
            return False
        begin_write()
        db.session.execute(Product.__table__.update().where(Product.id == product)
                           .values(stock=seen - 1))
        db.session.commit()
        return True

    won, errors = _race(app, buyers, naive)
    assert errors == []
    assert won > STOCK  # sold more than there was: exactly what the real test rules out
