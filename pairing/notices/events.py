"""Who hears of which audited event. Each listener runs in the event's transaction (see
pairing.audit.services.on), so the areas' services need no call of their own and a
rolled-back event tells nobody.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.services import on
from ..ledger.money import yuan
from . import catalogue  # noqa: F401 - registers the kinds told here
from .service import tell


def link(endpoint: str, **kw: object) -> str:
    """A site path (mails make it absolute from PUBLIC_URL); outside a request (CLI,
    housekeeping, a worker) through a test request context."""
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:
        with current_app.test_request_context():
            return url_for(endpoint, **kw)


def appeal_link(subject: str, ident: int) -> str:
    return link("appeals.show", key=subject, ident=ident)


# Decisions on enterprises, villages and help requests -------------------------------

@on("enterprise.verify", "enterprise.reject")
def _enterprise(session: Session, event: Any, obj: Any) -> None:
    ok = event.action.endswith("verify")
    tell(session, obj.officer_id, "enterprise.verified" if ok else "enterprise.rejected",
         link("enterprises.show", ident=obj.id) if ok else appeal_link("enterprise", obj.id),
         name=obj.name, reason=obj.reject_reason)


@on("village.verify", "village.reject")
def _village(session: Session, event: Any, obj: Any) -> None:
    ok = event.action.endswith("verify")
    tell(session, obj.secretary_id, "village.verified" if ok else "village.rejected",
         link("places.village", ident=obj.id) if ok else appeal_link("village", obj.id),
         name=obj.name, reason=obj.reject_reason)


@on("help_request.verified", "help_request.rejected")
def _request_decided(session: Session, event: Any, req: Any) -> None:
    ok = event.action.endswith("verified")
    tell(session, req.village.secretary_id, "request.verified" if ok else "request.rejected",
         link("giving.manage_request", request_id=req.id) if ok
         else appeal_link("help_request", req.id),
         id=req.id, title=req.title, reason=req.reject_reason)


@on("verification.undo")
def _decision_undone(session: Session, event: Any, obj: Any) -> None:
    """A verifier took back a decision within its undo window: its owner, who was told of
    the decision, hears that it no longer holds (in the undo's transaction)."""
    kind = obj.__tablename__
    was = (event.before or {}).get("status")
    answer = "undo.rejected" if was == "rejected" else "undo.approved"
    if kind == "enterprises":
        owner, name, where = obj.officer_id, obj.name, link("enterprises.show", ident=obj.id)
    elif kind == "villages":
        owner, name, where = obj.secretary_id, obj.name, link("places.village", ident=obj.id)
    elif kind == "help_requests":
        owner, name = obj.village.secretary_id, f"{obj.id} ({obj.title})"
        where = link("giving.manage_request", request_id=obj.id)
    elif kind == "offers":
        owner, name = obj.enterprise.officer_id, str(obj.id)
        where = link("enterprises.show", ident=obj.enterprise_id)
    elif kind == "needs":
        owner, name = obj.village.secretary_id, str(obj.id)
        where = link("places.village", ident=obj.village_id)
    else:
        return
    tell(session, owner, "decision.undone", where, what=f"subject.{kind[:-1]}", name=name,
         answer=answer)


def _donors(session: Session, request_id: int) -> list[int]:
    from ..giving.models import Donation

    return list(session.scalars(select(Donation.donor_id).where(
        Donation.request_id == request_id, Donation.donor_id.is_not(None),
        Donation.status.in_(("confirmed", "refunded", "moved"))).distinct()))


@on("help_request.funded", "help_request.expired")
def _request_ended(session: Session, event: Any, req: Any) -> None:
    kind = "request.funded" if event.action.endswith("funded") else "request.expired"
    params = {"id": req.id, "title": req.title, "amount": yuan(req.amount_needed_fen)}
    tell(session, req.village.secretary_id, kind,
         link("giving.manage_request", request_id=req.id), **params)
    public = link("giving.public_request", request_id=req.id)
    for donor in _donors(session, req.id):
        if donor != req.village.secretary_id:
            tell(session, donor, kind, public, **params)


@on("disbursement.approved", "disbursement.rejected")
def _disbursement(session: Session, event: Any, disb: Any) -> None:
    ok = disb.status == "approved"
    req = disb.request
    tell(session, disb.requested_by_id or req.village.secretary_id, "disbursement.decided",
         link("giving.manage_request", request_id=req.id), id=req.id,
         amount=yuan(disb.amount_fen), answer="approved" if ok else "rejected_payout",
         reason=disb.reason)


@on("shop.payout.approve", "shop.payout.reject")
def _payout(session: Session, event: Any, payout: Any) -> None:
    ok = event.action.endswith("approve")
    tell(session, payout.requested_by_id or payout.village.secretary_id, "payout.decided",
         link("shop.payouts_page"), amount=yuan(payout.amount_fen),
         cooperative=payout.cooperative, answer="approved" if ok else "rejected_payout",
         reason=payout.reason)


# Gifts ------------------------------------------------------------------------------

@on("donation.refunded", "donation.moved")
def _gift(session: Session, event: Any, donation: Any) -> None:
    from ..giving.models import Donation

    if donation.donor_id is None:
        return
    params: dict[str, Any] = {"id": donation.request_id, "amount": yuan(donation.amount_fen)}
    if event.action.endswith("moved"):
        moved = session.scalar(select(Donation).where(Donation.moved_from_id == donation.id))
        params["target"] = moved.request_id if moved is not None else ""
        tell(session, donation.donor_id, "gift.moved", link("giving.my_gifts"), **params)
    else:
        tell(session, donation.donor_id, "gift.refunded", link("giving.my_gifts"), **params)


# The shop ---------------------------------------------------------------------------

@on("shop.order.pay", "shop.order.ship", "shop.order.deliver", "shop.order.refund")
def _order(session: Session, event: Any, order: Any) -> None:
    step = event.action.rsplit(".", 1)[1]
    kind = {"pay": "order.paid", "ship": "order.shipped", "deliver": "order.delivered",
            "refund": "order.refunded"}[step]
    params = {"id": order.id, "amount": yuan(order.total_fen), "carrier": order.carrier,
              "tracking": order.tracking_number}
    seller = order.village.secretary_id
    if step != "deliver" or event.actor_id != order.buyer_id:
        tell(session, order.buyer_id, kind, link("shop.order", order_id=order.id), **params)
    if step != "ship" and seller is not None and seller != order.buyer_id:
        tell(session, seller, kind, link("shop.village_orders"), **params)


# Complaints -------------------------------------------------------------------------

def _concerned(complaint: Any) -> tuple[str, str, int | None]:
    """(what, name, the party concerned's user id) of a reported problem."""
    if complaint.request_id is not None:
        req = complaint.request
        return "subject.help_request", str(req.id), req.village.secretary_id
    if complaint.village_id is not None:
        return "subject.village", complaint.village.name, complaint.village.secretary_id
    enterprise = complaint.enterprise
    return "subject.enterprise", enterprise.name, enterprise.officer_id


@on("complaint.filed")
def _complaint_filed(session: Session, event: Any, complaint: Any) -> None:
    what, name, party = _concerned(complaint)
    for uid in dict.fromkeys((complaint.reporter_id, party)):
        tell(session, uid, "complaint.filed", "", what=what, name=name)


@on("complaint.upheld", "complaint.dismissed")
def _complaint_decided(session: Session, event: Any, complaint: Any) -> None:
    what, name, party = _concerned(complaint)
    answer = "upheld_complaint" if complaint.status == "upheld" else "dismissed"
    for uid in dict.fromkeys((complaint.reporter_id, party)):
        tell(session, uid, "complaint.decided", "", what=what, name=name, answer=answer,
             reason=complaint.decision)
