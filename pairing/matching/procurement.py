"""Procurement through the shop: the pairing an enterprise's order from a village counts
toward, the delivery its receipt reports on that pairing (same transaction), and the
shop's orders of a pairing. The shop builds on matching, not the other way round."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..db import utcnow
from ..enterprises.models import Offer
from ..needs.models import Need
from .delivery import outstanding
from .models import Pairing, ProgressReport
from .notify import notify
from .policy import REPORT_AUDIT, _link, _lock, _s


def procurement_pairing(enterprise_ids: list[int], village_id: int,
                        session: Session | None = None) -> Pairing | None:
    """The active procurement pairing of these enterprises with the village that an order
    counts toward: the one with most left to deliver (then the oldest), or None."""
    session = _s(session)
    if not enterprise_ids:
        return None
    found = session.scalars(
        select(Pairing).join(Pairing.offer).join(Pairing.need)
        .where(Offer.enterprise_id.in_(enterprise_ids), Offer.kind == "procurement",
               Need.village_id == village_id, Pairing.status == "active")
        .order_by(Pairing.id))
    best = max(((outstanding(p, session), -p.id, p) for p in found), default=None,
               key=lambda t: t[:2])
    return best[2] if best is not None and best[0] > 0 else None


def report_order(actor: User | None, order_id: int, pairing_id: int, total_fen: int,
                 delivered_on: date, session: Session) -> ProgressReport | None:
    """A received shop order on a procurement pairing reports its total (fen) as delivery,
    capped at what is left; the village confirms or disputes it like any report.

    The caller holds the order's lock in the same transaction (shop.confirm_delivery), and
    the unique order_id makes a second report for one order impossible.
    """
    pairing = _lock(session, Pairing, pairing_id)
    if pairing is None or pairing.status != "active" or pairing.offer.kind != "procurement":
        return None
    if session.scalar(select(ProgressReport.id).where(ProgressReport.order_id == order_id)):
        return None
    amount = min(total_fen, outstanding(pairing, session))
    if amount <= 0:
        return None
    report = ProgressReport(pairing_id=pairing.id, order_id=order_id, quantity=amount,
                            delivered_on=delivered_on, note=f"Village shop order #{order_id}",
                            status="reported", reported_by_id=actor.id if actor else None,
                            created_at=utcnow())
    session.add(report)
    session.flush()
    audit.record(actor, "report.create", report, after=audit.snapshot(report, REPORT_AUDIT)
                 | {"order_id": order_id}, session=session)
    notify(session, pairing.need.village.secretary_id, "report.new",
           _link("matching.pairing", pairing_id=pairing.id), id=pairing.id)
    return report


def orders_of_pairing(pairing: Pairing, session: Session | None = None) -> list:
    """The village-shop orders that count toward the pairing, newest first."""
    from ..shop.models import Order  # the shop builds on matching, not the other way round

    return list(_s(session).scalars(select(Order).where(Order.pairing_id == pairing.id)
                                    .order_by(Order.placed_at.desc(), Order.id.desc())))
