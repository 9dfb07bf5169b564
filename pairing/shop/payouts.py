"""Payouts: a village's shop sales paid to its cooperative, like a disbursement.

The secretary requests, a verifier whose jurisdiction covers the village approves (never
the requester). Money of orders not yet delivered stays in the sales account, so a
refund is always covered. A request and an approval both lock the village's sales
account before reading what is available, so five requests at once for the whole amount
give one payout, not five; every change of that balance (a payment, a refund) updates the
same row and so waits for them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import lock, utcnow
from ..extensions import db
from ..ledger import services as ledger
from ..places.models import Village
from .models import Order, OrderState, Payout, PayoutState
from .order_state import sales_account, sales_code
from .policy import Forbidden, ShopError, is_secretary_of, is_staff_over

FIELDS = ("village_id", "amount_fen", "cooperative", "state", "reason")


def available(village: Village, session: Session | None = None) -> int:
    """Sales money that may be paid out: delivered orders, less payouts waiting. Reads
    only: a village that never sold has no sales account and 0 available."""
    session = session or db.session
    held = session.scalar(select(func.coalesce(func.sum(Order.total_fen), 0)).where(
        Order.village_id == village.id, Order.state.in_((OrderState.PAID, OrderState.SHIPPED))))
    waiting = session.scalar(select(func.coalesce(func.sum(Payout.amount_fen), 0)).where(
        Payout.village_id == village.id, Payout.state == PayoutState.REQUESTED))
    return ledger.balance_of(sales_code(village.id), session) - int(held) - int(waiting)


def request(actor: User, village_id: int, amount_fen: int, cooperative: str,
            session: Session | None = None) -> Payout:
    session = session or db.session
    actor_id = actor.id
    sales = ledger.find(sales_code(village_id), session)
    if sales is not None:
        ledger.lock_accounts([sales], session)  # begins the write on SQLite
    actor = session.get(User, actor_id)
    village = session.get(Village, village_id)
    if village is None or not is_secretary_of(actor, village):
        raise Forbidden(_l("Only the village's secretary requests its payouts."))
    if amount_fen <= 0:
        raise ShopError(_l("The amount must be more than zero."))
    if not cooperative.strip():
        raise ShopError(_l("Name the cooperative that receives the money."))
    if sales is None or amount_fen > available(village, session):
        raise ShopError(_l("The amount is more than the sales available for payout."))
    payout = Payout(village_id=village.id, amount_fen=amount_fen,
                    cooperative=cooperative.strip()[:120], requested_by_id=actor.id)
    session.add(payout)
    session.flush()
    audit.record(actor, "shop.payout.request", payout, after=audit.snapshot(payout, FIELDS),
                 session=session)
    return payout


def decide(actor: User, payout_id: int, approve: bool, reason: str = "",
           session: Session | None = None) -> Payout:
    session = session or db.session
    actor_id = actor.id
    payout = lock(session, Payout, payout_id)  # the payout, then the accounts it moves
    actor = session.get(User, actor_id)
    if payout is None or actor.role != Role.VERIFIER or not is_staff_over(actor, payout.village):
        raise Forbidden(_l("Only a verifier of the village's area decides on payouts."))
    if payout.requested_by_id == actor.id:
        raise Forbidden(_l("You cannot approve your own request."))
    if payout.state != PayoutState.REQUESTED:
        raise ShopError(_l("This payout was already decided."))
    before = audit.snapshot(payout, FIELDS)
    if approve:
        sales = sales_account(payout.village_id, session)
        target = ledger.account(f"village:{payout.village_id}:cooperative",
                                name=payout.cooperative, owner_type="village",
                                owner_id=payout.village_id, session=session)
        ledger.lock_accounts([sales, target], session)
        # Other requests are still held; this one is about to leave the account.
        if payout.amount_fen > available(payout.village, session) + payout.amount_fen:
            raise ShopError(_l("The sales account no longer holds this amount."))
        ledger.transfer("shop.payout", sales, target, payout.amount_fen,
                        subject=("shop_payout", payout.id), actor=actor,
                        memo=payout.cooperative, session=session)
        payout.state = PayoutState.APPROVED
    else:
        if not reason.strip():
            raise ShopError(_l("Give a reason for the rejection."))
        payout.state = PayoutState.REJECTED
        payout.reason = reason.strip()[:500]
    payout.decided_by_id, payout.decided_at = actor.id, utcnow()
    session.flush()
    audit.record(actor, "shop.payout.approve" if approve else "shop.payout.reject", payout,
                 before=before, after=audit.snapshot(payout, FIELDS), session=session)
    return payout


def waiting_for(verifier: User, session: Session | None = None) -> list[Payout]:
    session = session or db.session
    stmt = (select(Payout).join(Village, Payout.village_id == Village.id)
            .where(Payout.state == PayoutState.REQUESTED).order_by(Payout.created_at))
    if verifier.jurisdiction != "CN":
        stmt = stmt.where(Village.county_code.startswith(verifier.jurisdiction or "-"))
    return [p for p in session.scalars(stmt) if is_staff_over(verifier, p.village)]


def of_villages(village_ids: list[int], session: Session | None = None) -> list[Payout]:
    session = session or db.session
    if not village_ids:
        return []
    return list(session.scalars(select(Payout).where(Payout.village_id.in_(village_ids))
                                .order_by(Payout.created_at.desc()).limit(50)))
