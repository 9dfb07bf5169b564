"""Shop rules: checkout, order states, the ledger, payouts, badge, housekeeping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.db import utcnow
from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.places.models import Village
from pairing.shop import badge, payouts, services
from pairing.shop.models import Order, OrderState, Product

from .shop_helpers import delivery, make_village, stock_of


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def _checkout(app, buyer_id: int, cart: dict[int, int], key: str = "k1",  # noqa: ANN001
              provider: str = "sandbox") -> list[int]:
    with app.app_context():
        record = services.checkout(_user(buyer_id), cart, delivery(), key, provider)
        db.session.commit()
        return [o.id for o in record.orders]


def test_two_villages_make_two_orders_at_checkout_prices(app, shop, make_user):
    buyer = make_user("donor")
    ids = _checkout(app, buyer.id, {shop.honey: 2, shop.tea: 1})
    assert len(ids) == 2
    with app.app_context():
        db.session.get(Product, shop.honey).price_fen = 9900  # a later price change
        db.session.commit()
        orders = {o.village_id: o for o in db.session.scalars(select(Order))}
        assert orders[shop.village].total_fen == 2 * 6800
        assert orders[shop.village].lines[0].unit_price_fen == 6800
        assert orders[shop.other_village].total_fen == 3900
    assert stock_of(app, shop.honey) == 18 and stock_of(app, shop.tea) == 19


def test_the_same_idempotency_key_places_the_orders_once(app, shop, make_user):
    buyer = make_user("donor")
    first = _checkout(app, buyer.id, {shop.honey: 3}, key="same")
    again = _checkout(app, buyer.id, {shop.honey: 3}, key="same")
    assert first == again
    assert stock_of(app, shop.honey) == 17
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_out_of_stock_takes_nothing(app, shop, make_user):
    buyer = make_user("donor")
    with app.app_context():
        with pytest.raises(services.OutOfStock):
            services.checkout(_user(buyer.id), {shop.tea: 1, shop.honey: 21}, delivery(), "k")
        db.session.rollback()
    assert stock_of(app, shop.honey) == 20 and stock_of(app, shop.tea) == 20
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_pay_ship_deliver_and_the_ledger(app, shop, make_user):
    buyer = make_user("donor")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 2})
    with app.app_context():
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        assert ledger.balance(services.sales_account(shop.village)) == 13600
        with pytest.raises(services.Forbidden):
            services.ship(_user(shop.other_secretary.id), order_id, "顺丰", "SF1")
        db.session.rollback()
        services.ship(_user(shop.secretary.id), order_id, "顺丰速运", "SF1234567890")
        db.session.commit()
        with pytest.raises(services.ShopError):
            services.cancel(_user(buyer.id), order_id)
        db.session.rollback()
        services.confirm_delivery(_user(buyer.id), order_id)
        db.session.commit()
        order = db.session.get(Order, order_id)
        assert order.state == OrderState.DELIVERED and order.tracking_number == "SF1234567890"
        actions = set(db.session.scalars(select(AuditEvent.action)
                                          .where(AuditEvent.object_type == "shop_orders")))
        assert {"shop.order.place", "shop.order.pay", "shop.order.ship",
                "shop.order.deliver"} <= actions


def test_cancelled_paid_order_returns_stock_and_money(app, shop, make_user):
    buyer = make_user("donor")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 5})
    with app.app_context():
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        services.cancel(_user(buyer.id), order_id)
        db.session.commit()
        assert db.session.get(Order, order_id).state == OrderState.REFUNDED
        assert ledger.balance(services.sales_account(shop.village)) == 0
    assert stock_of(app, shop.honey) == 20


def test_personal_data_never_reaches_the_audit_log(app, shop, make_user):
    buyer = make_user("donor")
    _checkout(app, buyer.id, {shop.honey: 1})
    with app.app_context():
        for event in db.session.scalars(select(AuditEvent)):
            text = repr(event.before) + repr(event.after)
            assert "13800138000" not in text and "文三路" not in text and "刘女士" not in text


def test_a_bank_transfer_pays_the_order_when_staff_confirm_it(app, shop, make_user):
    from pairing.db import begin_write
    from pairing.payments import services as payments

    buyer = make_user("donor")
    staff = make_user("coordinator")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 1}, provider="manual")
    with app.app_context():
        started = services.pay(_user(buyer.id), order_id)
        db.session.commit()
        assert not started.confirmed and started.transfer_code
        assert db.session.get(Order, order_id).state == OrderState.PLACED
        assert ledger.balance(services.sales_account(shop.village)) == 0
        begin_write()
        payments.confirm(db.session.get(payments.Payment, started.id), _user(staff.id))
        db.session.commit()
        assert db.session.get(Order, order_id).state == OrderState.PAID
        assert ledger.balance(services.sales_account(shop.village)) == 6800


def test_a_transfer_given_up_by_staff_cancels_the_order_and_returns_stock(app, shop, make_user):
    from pairing.db import begin_write
    from pairing.payments import services as payments

    buyer = make_user("donor")
    staff = make_user("coordinator")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 3}, provider="manual")
    with app.app_context():
        started = services.pay(_user(buyer.id), order_id)
        db.session.commit()
        begin_write()
        payments.cancel(db.session.get(payments.Payment, started.id), _user(staff.id))
        db.session.commit()
        assert db.session.get(Order, order_id).state == OrderState.CANCELLED
    assert stock_of(app, shop.honey) == 20


def test_a_late_transfer_for_a_cancelled_order_is_refunded(app, shop, make_user):
    from pairing.db import begin_write
    from pairing.payments import services as payments
    from pairing.payments.models import PaymentStatus

    buyer = make_user("donor")
    staff = make_user("coordinator")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 1}, provider="manual")
    with app.app_context():
        started = services.pay(_user(buyer.id), order_id)
        db.session.commit()
        services.cancel(_user(buyer.id), order_id)  # cancels the pending payment too
        db.session.commit()
        payment = db.session.get(payments.Payment, started.id)
        assert payment.status == PaymentStatus.CANCELLED
        # Staff find the money after all: it is booked and sent straight back.
        payment.status = PaymentStatus.PENDING
        db.session.commit()
        begin_write()
        payments.confirm(db.session.get(payments.Payment, started.id), _user(staff.id))
        db.session.commit()
        assert db.session.get(Order, order_id).state == OrderState.REFUNDED
        assert ledger.balance(services.sales_account(shop.village)) == 0


def test_a_secretary_cannot_change_another_villages_product(app, shop):
    with app.app_context():
        product = db.session.get(Product, shop.tea)
        other = _user(shop.secretary.id)
        data = services.ProductData(name="x", category="tea", unit="盒", price_fen=1)
        for attempt in (lambda: services.update_product(other, product, data),
                        lambda: services.set_paused(other, product, True),
                        lambda: services.restock(other, product, 5)):
            with pytest.raises(services.Forbidden):
                attempt()
            db.session.rollback()
    assert stock_of(app, shop.tea) == 20


def test_unverified_village_cannot_list(app, make_user):
    sec = make_user("secretary")
    village_id = make_village(app, sec.id, "待核村", status="pending")
    with app.app_context(), pytest.raises(services.ShopError):
        services.create_product(_user(sec.id), db.session.get(Village, village_id),
                                services.ProductData("米", "grain", "袋", 100), 3)


def test_housekeeping_cancels_unpaid_orders_and_returns_stock(app, shop, make_user):
    buyer = make_user("donor")
    [old] = _checkout(app, buyer.id, {shop.honey: 4}, key="old")
    [fresh] = _checkout(app, buyer.id, {shop.honey: 1}, key="fresh")
    with app.app_context():
        db.session.get(Order, old).placed_at = utcnow() - timedelta(hours=30)
        db.session.commit()
        from pairing.shop.jobs import cancel_unpaid

        assert cancel_unpaid(db.session, utcnow()) == 1
        db.session.commit()
        assert db.session.get(Order, old).state == OrderState.CANCELLED
        assert db.session.get(Order, fresh).state == OrderState.PLACED
    assert stock_of(app, shop.honey) == 19


def test_housekeeping_waits_longer_for_a_bank_transfer(app, shop, make_user):
    from pairing.shop.jobs import cancel_unpaid

    buyer = make_user("donor")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 2}, key="bank", provider="manual")
    with app.app_context():
        services.pay(_user(buyer.id), order_id)
        db.session.get(Order, order_id).placed_at = utcnow() - timedelta(hours=30)
        db.session.commit()
        assert cancel_unpaid(db.session, utcnow()) == 0
        db.session.get(Order, order_id).placed_at = utcnow() - timedelta(hours=80)
        db.session.commit()
        assert cancel_unpaid(db.session, utcnow()) == 1
        db.session.commit()
        assert db.session.get(Order, order_id).state == OrderState.CANCELLED
    assert stock_of(app, shop.honey) == 20


def test_payout_needs_delivered_sales_and_a_verifier_in_jurisdiction(app, shop, make_user):
    buyer = make_user("donor")
    far = make_user("verifier", jurisdiction="51")
    near = make_user("verifier", jurisdiction="43")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 3})
    with app.app_context():
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        with pytest.raises(services.ShopError):  # paid, not delivered: held for refunds
            payouts.request(_user(shop.secretary.id), shop.village, 100, "花垣十八洞村合作社")
        db.session.rollback()
        services.ship(_user(shop.secretary.id), order_id, "EMS", "E1")
        services.confirm_delivery(_user(buyer.id), order_id)
        db.session.commit()
        payout = payouts.request(_user(shop.secretary.id), shop.village, 20400,
                                 "花垣十八洞村农民专业合作社")
        db.session.commit()
        with pytest.raises(services.Forbidden):
            payouts.decide(_user(far.id), payout.id, True)
        db.session.rollback()
        with pytest.raises(services.Forbidden):
            payouts.decide(_user(shop.secretary.id), payout.id, True)
        db.session.rollback()
        payouts.decide(_user(near.id), payout.id, True)
        db.session.commit()
        assert ledger.balance(services.sales_account(shop.village)) == 0
        assert ledger.balance(ledger.account(f"village:{shop.village}:cooperative")) == 20400


def test_badge_follows_thresholds_a_coordinator_sets(app, shop, make_user):
    buyer = make_user("donor")
    coordinator = make_user("coordinator")
    [order_id] = _checkout(app, buyer.id, {shop.honey: 2})
    with app.app_context():
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        assert badge.badge_villages([shop.village]) == set()
        badge.change(_user(coordinator.id), {"taobao_sales_fen": 10000,
                                             "taobao_active_products": 1})
        db.session.commit()
        assert badge.badge_villages([shop.village, shop.other_village]) == {shop.village}
        with pytest.raises(PermissionError):
            badge.change(_user(buyer.id), {"taobao_sales_fen": 0})


def test_an_enterprise_officer_buys_for_the_enterprise(app, shop, make_user):
    from pairing.enterprises.models import Enterprise

    officer = make_user("enterprise")
    with app.app_context():
        enterprise = Enterprise(name="绿源茶业", credit_code="91330106MA2B3C4D5E",
                                county_code="330106", sector="C", officer_id=officer.id)
        db.session.add(enterprise)
        db.session.commit()
        enterprise_id = enterprise.id
    [order_id] = _checkout(app, officer.id, {shop.tea: 10})
    with app.app_context():
        assert db.session.get(Order, order_id).enterprise_id == enterprise_id
