"""Orders: checkout that never oversells, payment and cancellation (an order's state
changes and its money: order_state.py; shipping and delivery: order_steps.py).

Stock is taken by one conditional UPDATE per product (`... WHERE stock >= n`), whose row
count says whether it worked: the database decides, so two buyers of the last item never
both succeed (SQLite: the checkout holds the write lock from its start via begin_write;
PostgreSQL: the UPDATE locks the row and re-checks the condition after a concurrent one
commits). A failed checkout rolls back and takes nothing; a cancelled order puts its
stock back the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .. import phones
from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import lock
from ..enterprises.models import Enterprise
from ..extensions import db
from ..ledger import services as ledger
from ..matching import procurement as pairing_delivery
from ..payments import providers as payment_providers
from ..payments import services as payments
from ..payments.models import Payment, PaymentStatus
from ..places.models import Status
from . import shipping
from .catalogue import clean_cart
from .models import (
    Checkout,
    Order,
    OrderLine,
    OrderState,
    Product,
    ProductStatus,
)
from .order_state import (
    _buyers,
    _mark_paid,
    _refund,
    _set_state,
    lock_order,
    payment_of,
    sales_account,
)
from .policy import (
    ORDER_FIELDS,
    Forbidden,
    OutOfStock,
    ShopError,
    _s,
    is_secretary_of,
)


@dataclass
class Delivery:
    recipient: str
    phone: str
    address: str  # the street, building and door (with county_code), or the whole address
    county_code: str = ""


def _existing(session: Session, buyer: User, key: str) -> Checkout | None:
    return session.scalar(select(Checkout).where(Checkout.buyer_id == buyer.id,
                                                 Checkout.idempotency_key == key))


def checkout(buyer: User, cart: Mapping[int, int], delivery: Delivery, key: str,
             provider: str = "sandbox", session: Session | None = None) -> Checkout:
    """Place one order per selling village and take their stock, or nothing at all.

    Prices come from the products as they are now; nothing the buyer posts sets them. The
    same key from the same buyer returns the first checkout instead of a second one.
    """
    session = _s(session)
    buyer_id = buyer.id
    if not key or len(key) > 64:
        raise ShopError(_l("This form is out of date; please try again."))
    try:
        payment_providers.get(provider)
    except KeyError:
        raise ShopError(_l("This payment method is not available.")) from None
    found = _existing(session, buyer, key)
    if found is not None:
        return found
    items = clean_cart(cart)
    if not items:
        raise ShopError(_l("Your cart is empty."))
    if not (delivery.recipient.strip() and delivery.phone.strip() and delivery.address.strip()):
        raise ShopError(_l("Give the recipient, a phone number and a delivery address."))
    if not phones.is_valid(delivery.phone):
        raise ShopError(_l("Enter a phone number such as 0743-1234567 or 13812345678."))
    address = (shipping.full_address(delivery.county_code, delivery.address, session)
               if delivery.county_code else delivery.address.strip()[:300])
    # The buyer first (lock order): account deletion's "no open order" check locks it too.
    buyer = lock(session, User, buyer_id, others_may_refer=True)
    if buyer is None or not buyer.active:
        raise ShopError(_l("This account is closed: nothing was done."))
    found = _existing(session, buyer, key)  # a twin request may have just committed
    if found is not None:
        return found
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(list(items))).options(selectinload(Product.village)))}
    for pid in items:
        p = products.get(pid)
        if p is None or p.status != ProductStatus.ACTIVE or p.village.status != Status.VERIFIED:
            raise ShopError(_l("A product in your cart is no longer for sale."))
    try:
        with session.begin_nested():
            record = Checkout(buyer_id=buyer_id, idempotency_key=key)
            session.add(record)
    except IntegrityError:  # PostgreSQL: the twin committed while we waited
        found = _existing(session, buyer, key)
        if found is None:
            raise
        return found
    # Lock rows in id order so two checkouts never wait on each other in a circle.
    for pid in sorted(items):
        taken = session.execute(
            update(Product).where(Product.id == pid, Product.stock >= items[pid],
                                  Product.status == ProductStatus.ACTIVE)
            .values(stock=Product.stock - items[pid]).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            raise OutOfStock(_l("Not enough stock of %(name)s left.", name=products[pid].name))
    # An enterprise officer buys for their enterprise; bulk buying from a village it is
    # paired with for procurement counts toward that pairing.
    own = list(session.scalars(select(Enterprise.id).where(
        Enterprise.officer_id == buyer_id).order_by(Enterprise.id))) \
        if buyer.role == Role.ENTERPRISE else []
    enterprise_id = own[0] if own else None
    by_village: dict[int, list[Product]] = defaultdict(list)
    for pid in sorted(items):
        by_village[products[pid].village_id].append(products[pid])
    # Shipping as the villages set it now, read inside the checkout's write transaction.
    terms = shipping.terms_of(by_village, session)
    total = 0
    for village_id, goods in sorted(by_village.items()):
        goods_fen = sum(p.price_fen * items[p.id] for p in goods)
        shipping_fen = terms[village_id].charge(goods_fen)
        pairing = pairing_delivery.procurement_pairing(own, village_id, session)
        order = Order(checkout=record, buyer_id=buyer_id, village_id=village_id,
                      enterprise_id=pairing.offer.enterprise_id if pairing else enterprise_id,
                      pairing_id=pairing.id if pairing else None,
                      total_fen=goods_fen + shipping_fen, shipping_fen=shipping_fen,
                      county_code=delivery.county_code or None,
                      recipient=delivery.recipient.strip()[:60],
                      phone=phones.normalise(delivery.phone)[:30],
                      address=address, payment_provider=provider)
        order.lines = [OrderLine(product_id=p.id, name=p.name, unit=p.unit,
                                 unit_price_fen=p.price_fen, quantity=items[p.id]) for p in goods]
        session.add(order)
        total += order.total_fen
        session.flush()
        audit.record(buyer, "shop.order.place", order, after={
            **audit.snapshot(order, ORDER_FIELDS), "village_id": village_id,
            "pairing_id": order.pairing_id,
            "lines": [[p.id, items[p.id], p.price_fen] for p in goods]}, session=session)
    record.total_fen = total
    for p in products.values():
        session.expire(p, ["stock"])
    session.flush()
    return record


def pay(buyer: User, order_id: int, session: Session | None = None) -> Payment:
    """The buyer pays a placed order through the platform's payment providers.

    Sandbox: paid at once. Manual (bank transfer): the payment waits with a transfer code
    until staff confirm it, which marks the order paid (`_payment_confirmed`).
    """
    session = _s(session)
    buyer_id = buyer.id
    order = lock_order(order_id, session)
    buyer = session.get(User, buyer_id)
    if order is None or order.buyer_id != buyer_id:
        raise Forbidden(_l("This is not your order."))
    if order.state != OrderState.PLACED:
        raise ShopError(_l("This order is not waiting for payment."))
    try:
        started = payments.start_payment("order", order.total_fen, buyer, f"order:{order.id}",
                                         provider=order.payment_provider, session=session)
    except payments.PaymentError as exc:
        raise ShopError(str(exc)) from exc
    if started.confirmed:
        _mark_paid(buyer, order, f"payment:{started.id}", session)
    else:
        order.payment_reference = started.transfer_code
        session.flush()
    return started


@payments.on_locking("order")
def _order_of(payment: Payment, session: Session) -> Order | None:
    """The order a payment of purpose "order" pays for ("order:<id>"), locked."""
    _, _, number = payment.reference.partition(":")
    return lock_order(int(number), session) if number.isdigit() else None


@payments.on_confirmed("order")
def _payment_confirmed(payment: Payment, actor) -> None:  # noqa: ANN001
    """Staff saw a bank transfer arrive (same transaction as the confirmation)."""
    session = db.session
    order = _order_of(payment, session)
    if order is None:
        return
    if order.state == OrderState.PLACED:
        _mark_paid(actor, order, f"payment:{payment.id}", session)
    elif order.state == OrderState.CANCELLED:
        # The money arrived after the order was given up: book it and send it back.
        ledger.transfer("shop.payment", _buyers(order.payment_provider, session),
                        sales_account(order.village_id, session), order.total_fen,
                        subject=("shop_order", order.id), actor=actor,
                        memo=f"late transfer for order {order.id}", session=session)
        _refund(actor, order, session)


@payments.on_cancelled("order")
def _payment_cancelled(payment: Payment, actor) -> None:  # noqa: ANN001
    """Staff gave up on a bank transfer: the order is cancelled and its stock returned."""
    order = _order_of(payment, db.session)
    if order is not None and order.state == OrderState.PLACED:
        cancel(actor, order.id, db.session, system=True)


def _return_stock(order: Order, session: Session) -> None:
    for line in sorted(order.lines, key=lambda line: line.product_id):  # as checkout does
        session.execute(update(Product).where(Product.id == line.product_id)
                        .values(stock=Product.stock + line.quantity)
                        .execution_options(synchronize_session=False))


def cancel(actor: User | None, order_id: int, session: Session | None = None, *,
           system: bool = False) -> Order:
    """Cancel before shipping: the stock goes back and a paid order is refunded."""
    session = _s(session)
    actor_id = actor.id if actor is not None else None
    order = lock_order(order_id, session)
    actor = session.get(User, actor_id) if actor_id is not None else None
    if order is None or not (system or (actor is not None and (
            order.buyer_id == actor.id or is_secretary_of(actor, order.village)))):
        raise Forbidden(_l("You cannot cancel this order."))
    if order.state not in (OrderState.PLACED, OrderState.PAID):
        raise ShopError(_l("An order can be cancelled only before it is shipped."))
    # The order first, then its payment (the lock order), then stock, then the ledger.
    waiting = payment_of(order, session)
    if waiting is not None:
        waiting = lock(session, Payment, waiting.id)
    was_paid = order.state == OrderState.PAID
    _return_stock(order, session)
    _set_state(actor, order, OrderState.CANCELLED, "shop.order.cancel", session)
    if was_paid:
        _refund(actor, order, session)
    elif waiting is not None and waiting.status == PaymentStatus.PENDING:
        payments.cancel(waiting, actor, session)  # its handler sees the order cancelled
    return order


