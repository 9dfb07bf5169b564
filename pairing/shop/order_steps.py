"""An order after checkout: shipping, delivery (on a procurement pairing too), paying a
whole checkout, housekeeping's cancelling of unpaid orders, and the order lists. The
order's states are changed under its lock (order_state.lock_order), as in orders.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import Role, User
from ..db import local_date
from ..enterprises.models import Enterprise
from ..matching import procurement as pairing_delivery
from ..payments.models import Payment, PaymentStatus
from ..places.models import Village
from .models import (
    Checkout,
    Order,
    OrderState,
    Product,
)
from .order_state import _set_state, lock_order, payment_of
from .orders import cancel, pay
from .policy import (
    Forbidden,
    ShopError,
    _s,
    is_secretary_of,
)


def ship(actor: User, order_id: int, carrier: str, tracking: str,
         session: Session | None = None) -> Order:
    session = _s(session)
    actor_id = actor.id
    order = lock_order(order_id, session)
    actor = session.get(User, actor_id)
    if order is None or not is_secretary_of(actor, order.village):
        raise Forbidden(_l("Only the selling village ships its orders."))
    if order.state != OrderState.PAID:
        raise ShopError(_l("Only a paid order can be shipped."))
    if not carrier.strip() or not tracking.strip():
        raise ShopError(_l("Give the carrier and the tracking number."))
    _set_state(actor, order, OrderState.SHIPPED, "shop.order.ship", session,
               carrier=carrier.strip()[:60], tracking_number=tracking.strip()[:60])
    return order


def confirm_delivery(buyer: User, order_id: int, session: Session | None = None) -> Order:
    session = _s(session)
    buyer_id = buyer.id
    order = lock_order(order_id, session)
    if order is None or order.buyer_id != buyer_id:
        raise Forbidden(_l("This is not your order."))
    if order.state != OrderState.SHIPPED:
        raise ShopError(_l("Only a shipped order can be confirmed as delivered."))
    buyer = session.get(User, buyer_id)
    _set_state(buyer, order, OrderState.DELIVERED, "shop.order.deliver", session)
    if order.pairing_id is not None:  # procurement: delivery on the pairing, same transaction
        # The goods delivered, not the parcel's postage.
        pairing_delivery.report_order(buyer, order.id, order.pairing_id,
                                      order.total_fen - order.shipping_fen,
                                      local_date(order.delivered_at), session)
    return order


def procurement_preview(buyer: User, lines: list[tuple[Product, int]],
                        session: Session | None = None) -> dict[int, int]:
    """For the checkout page: village id -> the pairing its order would count toward."""
    if not (buyer.is_authenticated and buyer.role == Role.ENTERPRISE):
        return {}
    session = _s(session)
    own = list(session.scalars(select(Enterprise.id).where(Enterprise.officer_id == buyer.id)))
    found = {}
    for village_id in {p.village_id for p, _q in lines}:
        pairing = pairing_delivery.procurement_pairing(own, village_id, session)
        if pairing is not None:
            found[village_id] = pairing.id
    return found


def cancel_unpaid(session: Session, now: datetime, older_than: timedelta,
                  transfer_older_than: timedelta | None = None) -> int:
    """Housekeeping: placed orders nobody paid in time are cancelled, their stock returned.

    An order whose bank transfer is on its way gets `transfer_older_than` instead (banks
    take days); a transfer that arrives later still is refunded (`_payment_confirmed`).
    """
    transfer_older_than = transfer_older_than or older_than
    ids = list(session.scalars(select(Order.id).where(Order.state == OrderState.PLACED,
                                                      Order.placed_at < now - older_than)))
    done = 0
    for order_id in ids:
        order = lock_order(order_id, session)
        if order is None or order.state != OrderState.PLACED:
            continue
        waiting = payment_of(order, session)
        if (waiting is not None and waiting.status == PaymentStatus.PENDING
                and order.placed_at >= now - transfer_older_than):
            continue
        cancel(None, order_id, session, system=True)
        done += 1
    return done


def orders_of_buyer(buyer: User) -> Select:
    return (select(Order).where(Order.buyer_id == buyer.id)
            .options(selectinload(Order.lines), selectinload(Order.village))
            .order_by(Order.placed_at.desc(), Order.id.desc()))


def orders_of_villages(secretary: User, state: str = "") -> Select:
    stmt = (select(Order).join(Village, Order.village_id == Village.id)
            .where(Village.secretary_id == secretary.id)
            .options(selectinload(Order.lines), selectinload(Order.village))
            .order_by(Order.placed_at.desc(), Order.id.desc()))
    if state in set(OrderState):
        stmt = stmt.where(Order.state == state)
    return stmt


def pay_checkout(buyer: User, checkout_id: int,
                 session: Session | None = None) -> list[Payment]:
    """Pay every order of a checkout that still waits for payment."""
    session = _s(session)
    record = session.get(Checkout, checkout_id)
    if record is None or record.buyer_id != buyer.id:
        raise Forbidden(_l("This is not your order."))
    ids = [o.id for o in record.orders if o.state == OrderState.PLACED]
    if not ids:
        raise ShopError(_l("Nothing here is waiting for payment."))
    return [pay(buyer, order_id, session) for order_id in ids]
