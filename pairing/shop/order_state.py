"""An order's state changes, made under its lock, and the money of paying and refunding it
in the ledger (the village's sales account against the buyers' outside account). Used by
checkout and cancellation (orders.py) and by the later steps (order_steps.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..db import lock, utcnow
from ..ledger import services as ledger
from ..payments.models import Payment
from .models import Order, OrderState
from .policy import ORDER_FIELDS, _s


def lock_order(order_id: int, session: Session | None = None) -> Order | None:
    """Re-read an order for a state change, holding its lock until commit. Every path
    locks the order before its payment (payments.on_locking below)."""
    return lock(_s(session), Order, order_id)


def _set_state(actor: User | None, order: Order, state: OrderState, action: str,
               session: Session, **extra: object) -> None:
    before = audit.snapshot(order, ORDER_FIELDS)
    order.state = state
    now = utcnow()
    stamp = {OrderState.PAID: "paid_at", OrderState.SHIPPED: "shipped_at",
             OrderState.DELIVERED: "delivered_at", OrderState.CANCELLED: "cancelled_at",
             OrderState.REFUNDED: "refunded_at"}.get(state)
    if stamp:
        setattr(order, stamp, now)
    for key, value in extra.items():
        setattr(order, key, value)
    session.flush()
    audit.record(actor, action, order, before=before, after=audit.snapshot(order, ORDER_FIELDS),
                 session=session)


def sales_code(village_id: int) -> str:
    return f"village:{village_id}:sales"


def sales_account(village_id: int, session: Session | None = None):  # noqa: ANN201
    return ledger.account(sales_code(village_id), name=f"shop sales of village {village_id}",
                          owner_type="village", owner_id=village_id, session=session)


def _buyers(provider: str, session: Session):  # noqa: ANN202
    """Where buyers' money comes from (outside the platform; goes negative)."""
    return ledger.account(f"external:buyers:{provider}", name=f"Shop buyers ({provider})",
                          session=session)


def _mark_paid(actor: User | None, order: Order, reference: str, session: Session) -> None:
    ledger.transfer("shop.payment", _buyers(order.payment_provider, session),
                    sales_account(order.village_id, session), order.total_fen,
                    subject=("shop_order", order.id), actor=actor, memo=f"order {order.id}",
                    session=session)
    _set_state(actor, order, OrderState.PAID, "shop.order.pay", session,
               payment_reference=reference[:80])


def _refund(actor: User | None, order: Order, session: Session) -> None:
    ledger.transfer("shop.refund", sales_account(order.village_id, session),
                    _buyers(order.payment_provider, session), order.total_fen,
                    subject=("shop_order", order.id), actor=actor,
                    memo=f"refund of order {order.id}", session=session)
    _set_state(actor, order, OrderState.REFUNDED, "shop.order.refund", session)


def payment_of(order: Order, session: Session | None = None) -> Payment | None:
    return _s(session).scalar(select(Payment).where(Payment.purpose == "order",
                                                    Payment.reference == f"order:{order.id}"))
