"""Answers to proposals: who answers for which side, the lists of proposals, accepting or
declining (both accepting makes a pairing), and housekeeping's expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import begin_write, utcnow
from ..enterprises import services as offers
from ..enterprises.models import Enterprise, Offer
from ..enterprises.rules import Invalid, NotAllowed
from ..needs.models import Need
from ..places.models import Village
from .models import Pairing, Proposal
from .notify import notify
from .policy import DECLINE_REASONS, PROPOSAL_AUDIT, _link, _lock, _s, today


def side_of(actor: User, proposal: Proposal) -> str | None:
    """"enterprise" or "village" when the actor answers for that side of the proposal."""
    if actor.role == Role.ENTERPRISE and proposal.offer.enterprise.officer_id == actor.id:
        return "enterprise"
    if actor.role == Role.SECRETARY and proposal.need.village.secretary_id == actor.id:
        return "village"
    return None


def proposals_for(actor: User, status: str | None = "pending") -> Select:
    q = (select(Proposal).join(Proposal.offer).join(Offer.enterprise)
         .join(Proposal.need).join(Need.village)
         .options(joinedload(Proposal.offer).joinedload(Offer.enterprise)
                  .joinedload(Enterprise.county),
                  joinedload(Proposal.need).joinedload(Need.village)
                  .joinedload(Village.county))
         .order_by(Proposal.created_at.desc(), Proposal.id.desc()))
    if actor.role == Role.ENTERPRISE:
        q = q.where(Enterprise.officer_id == actor.id)
    elif actor.role == Role.SECRETARY:
        q = q.where(Village.secretary_id == actor.id)
    else:
        q = q.where(Proposal.id.is_(None))
    if status:
        q = q.where(Proposal.status == status)
    return q


def answer(actor: User, proposal: Proposal, accept: bool, reason: str = "", note: str = "",
           session: Session | None = None) -> Pairing | None:
    """One side accepts or declines. Both accepted: the pairing (exactly one, even when
    the two accepts arrive at once: the proposal row is locked before it is read)."""
    session = _s(session)
    side = side_of(actor, proposal)
    if side is None:
        raise NotAllowed
    note = (note or "").strip()
    if not accept and reason not in DECLINE_REASONS:
        raise Invalid({"reason": _l("Choose the reason for declining.")})
    if len(note) > 400:
        raise Invalid({"note": _l("At most %(n)d characters.", n=400)})
    begin_write(session)
    proposal = _lock(session, Proposal, proposal.id)
    if proposal.status != "pending" or proposal.expires_at < utcnow():
        raise Invalid({"status": _l("This proposal is no longer open.")})
    if getattr(proposal, f"{side}_answer") is not None:
        raise Invalid({"status": _l("You have already answered this proposal.")})
    before = audit.snapshot(proposal, PROPOSAL_AUDIT)
    word = "accept" if accept else "decline"
    setattr(proposal, f"{side}_answer", word)
    setattr(proposal, f"{side}_reason", (f"{reason}: " if reason else "") + note)
    other = (proposal.need.village.secretary_id if side == "enterprise"
             else proposal.offer.enterprise.officer_id)
    link = _link("matching.proposals")
    pairing = None
    if not accept:
        proposal.status, proposal.closed_at = "declined", utcnow()
        notify(session, other, "proposal.declined", link, id=proposal.id)
    elif proposal.enterprise_answer == proposal.village_answer == "accept":
        pairing = _pair(actor, proposal, session)
    else:
        notify(session, other, "proposal.answered", link, id=proposal.id, party=side,
               answer=word)
    session.flush()
    audit.record(actor, f"proposal.{word}", proposal, before=before,
                 after=audit.snapshot(proposal, PROPOSAL_AUDIT), session=session)
    return pairing


def _pair(actor: User, proposal: Proposal, session: Session) -> Pairing:
    offer = _lock(session, Offer, proposal.offer_id)
    need = _lock(session, Need, proposal.need_id)
    quantity = min(proposal.quantity, offer.remaining)
    if quantity <= 0 or offer.status != "active" or need.status in ("withdrawn", "met"):
        raise Invalid({"status": _l("The offer or the need has changed: this proposal can no "
                                    "longer become a pairing.")})
    start = today()
    end = offer.ends_on if offer.ends_on and offer.ends_on >= start else start + timedelta(days=365)
    pairing = Pairing(proposal_id=proposal.id, offer_id=offer.id, need_id=need.id,
                      quantity=quantity, delivered_quantity=0, starts_on=start, ends_on=end,
                      status="active", created_at=utcnow())
    session.add(pairing)
    session.flush()  # the unique proposal_id is the last word on "one pairing"
    offers.change_paired(actor, offer, quantity, session)
    proposal.status, proposal.closed_at = "accepted", utcnow()
    audit.record(actor, "pairing.create", pairing,
                 after=audit.snapshot(pairing, ("offer_id", "need_id", "quantity", "status")),
                 session=session)
    link = _link("matching.pairing", pairing_id=pairing.id)
    for uid in {offer.enterprise.officer_id, need.village.secretary_id}:
        notify(session, uid, "pairing.created", link, id=pairing.id)
    return pairing


def expire_proposals(session: Session, now: datetime) -> int:
    """Unanswered proposals past their time expire; their capacity returns."""
    begin_write(session)
    late = list(session.scalars(select(Proposal).where(
        Proposal.status == "pending", Proposal.expires_at < now).with_for_update()))
    for p in late:
        before = audit.snapshot(p, PROPOSAL_AUDIT)
        p.status, p.closed_at = "expired", now
        audit.record(None, "proposal.expire", p, before=before,
                     after=audit.snapshot(p, PROPOSAL_AUDIT), session=session)
        link = _link("matching.proposals")
        for uid in {p.offer.enterprise.officer_id, p.need.village.secretary_id}:
            notify(session, uid, "proposal.expired", link, id=p.id)
    session.flush()
    return len(late)
