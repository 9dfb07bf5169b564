"""What must hold between the shop's rows and the ledger (run by `flask ledger verify`):
- an order's state agrees with its payment's, and it is booked once when paid, refunded
  once when refunded;
- a village's sales account holds its paid, shipped and delivered orders less approved
  payouts, and payouts requested or approved never exceed its delivered sales.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from ..ledger.models import LedgerAccount, LedgerTransaction
from ..ledger.services import invariant
from ..payments.models import Payment
from .models import Order, OrderState, Payout, PayoutState

S = OrderState
# The states an order may be in, by the status of its payment (None: never paid for).
STATES_BY_PAYMENT = {None: {S.PLACED, S.CANCELLED}, "pending": {S.PLACED},
                     "cancelled": {S.CANCELLED},
                     "confirmed": {S.PAID, S.SHIPPED, S.DELIVERED, S.REFUNDED}}
BOOKED = (S.PAID, S.SHIPPED, S.DELIVERED)  # their money is on the village's sales account


@invariant("shop.orders")
def orders(session: Session) -> list[str]:
    booked = Counter({(k, oid): n for k, oid, n in session.execute(
        select(LedgerTransaction.kind, LedgerTransaction.subject_id, func.count())
        .where(LedgerTransaction.subject_type == "shop_order")
        .group_by(LedgerTransaction.kind, LedgerTransaction.subject_id))})
    reference = "order:" + cast(Order.id, String)
    problems = []
    for oid, state, paid in session.execute(
            select(Order.id, Order.state, Payment.status)
            .outerjoin(Payment, (Payment.purpose == "order") & (Payment.reference == reference))
            .order_by(Order.id)):
        if state not in STATES_BY_PAYMENT[paid]:
            problems.append(f"order {oid} is {state} but its payment is {paid or 'missing'}")
        payments_in = booked[("shop.payment", oid)]
        refunds = booked[("shop.refund", oid)]
        if payments_in != (paid == "confirmed"):
            problems.append(f"order {oid} ({state}): its payment was booked {payments_in} times")
        if refunds != (state == S.REFUNDED):
            problems.append(f"order {oid} ({state}): refunded {refunds} times")
    return problems


@invariant("shop.sales")
def sales(session: Session) -> list[str]:
    def by_village(column, *where) -> dict[int, int]:  # noqa: ANN001
        model = column.class_
        return {v: int(t) for v, t in session.execute(
            select(model.village_id, func.sum(column)).where(*where).group_by(model.village_id))}

    booked = by_village(Order.total_fen, Order.state.in_(BOOKED))
    delivered = by_village(Order.total_fen, Order.state == S.DELIVERED)
    approved = by_village(Payout.amount_fen, Payout.state == PayoutState.APPROVED)
    asked = by_village(Payout.amount_fen, Payout.state == PayoutState.REQUESTED)
    balances = {int(code.split(":")[1]): int(b) for code, b in session.execute(
        select(LedgerAccount.code, LedgerAccount.balance)
        .where(LedgerAccount.code.like("village:%:sales")))}
    problems = []
    for village in sorted(set(booked) | set(approved) | set(asked) | set(balances)):
        want = booked.get(village, 0) - approved.get(village, 0)
        if balances.get(village, 0) != want:
            problems.append(f"village {village}: sales account holds {balances.get(village, 0)}"
                            f" but paid orders less approved payouts are {want}")
        out = approved.get(village, 0) + asked.get(village, 0)
        if out > delivered.get(village, 0):
            problems.append(f"village {village}: payouts requested or approved ({out}) exceed "
                            f"its delivered sales ({delivered.get(village, 0)})")
    return problems
