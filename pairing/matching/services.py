"""Pairing rounds, answers to proposals, pairings and their delivery.

Services take the actor and objects, check who may do what, flush and never commit (the
round runner in jobs.py commits its stages itself, as a command does).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

import solver

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import begin_write, utcnow
from ..enterprises import services as offers
from ..enterprises.models import Enterprise, Offer
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..needs.models import Need
from ..places.models import Province, Village
from .models import Pairing, Proposal, Round
from .notify import notify

WEIGHT_FIELDS = ("distance", "east_west", "preferred", "sector", "poverty")
DECLINE_REASONS = {
    "capacity": _l("We cannot take this on at present"),
    "distance": _l("Too far away to work together well"),
    "fit": _l("The help does not fit what is needed"),
    "duplicate": _l("Already arranged with someone else"),
    "other": _l("Another reason (see the note)"),
}
ROUND_AUDIT = ("status", "stage", "province_code", "weights", "error")
PROPOSAL_AUDIT = ("status", "enterprise_answer", "village_answer", "quantity")
REPORT_AUDIT = ("status", "quantity", "dispute_reason", "decision_note")


def _s(session: Session | None) -> Session:
    return session or db.session


def _link(endpoint: str, **kw: object) -> str:
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:  # no request (CLI, worker): a path without the host
        with current_app.test_request_context():
            return url_for(endpoint, **kw)


def today() -> date:
    return utcnow().date()


def proposal_days() -> int:
    return int(current_app.config.get("MATCHING_PROPOSAL_DAYS", 14))


def stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("MATCHING_STALE_MINUTES", 10)))


# Rounds -------------------------------------------------------------------------------

def weights_of(rnd: Round) -> solver.Weights:
    known = {f.name for f in fields(solver.Weights)}
    return solver.Weights(**{k: v for k, v in (rnd.weights or {}).items() if k in known})


def check_weights(data: dict) -> dict[str, int]:
    out, errors = {}, {}
    for name in WEIGHT_FIELDS:
        value = data.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            errors[name] = _l("Enter a whole number from 0 to 100.")
        else:
            out[name] = value
    if errors:
        raise Invalid(errors)
    return out


def _coordinator_for(actor: User, province_code: str | None) -> None:
    if actor.role != Role.COORDINATOR:
        raise NotAllowed
    if province_code is None and actor.jurisdiction != "CN":
        raise NotAllowed
    if province_code is not None and not (actor.jurisdiction == "CN"
                                          or actor.jurisdiction == province_code):
        raise NotAllowed


def create_round(actor: User, province_code: str | None, weights: dict,
                 session: Session | None = None) -> Round:
    session = _s(session)
    province_code = province_code or None
    _coordinator_for(actor, province_code)
    if province_code and session.get(Province, province_code) is None:
        raise Invalid({"province_code": _l("Unknown province.")})
    rnd = Round(province_code=province_code, weights=check_weights(weights), status="draft",
                created_by_id=actor.id, created_at=utcnow())
    session.add(rnd)
    session.flush()
    audit.record(actor, "round.create", rnd, after=audit.snapshot(rnd, ROUND_AUDIT),
                 session=session)
    return rnd


def rounds_for(actor: User) -> Select:
    q = select(Round).order_by(Round.id.desc())
    if actor.jurisdiction and actor.jurisdiction != "CN":
        q = q.where(Round.province_code == actor.jurisdiction[:2])
    return q


def fail_stale(session: Session, now: datetime | None = None) -> int:
    """Rounds whose worker stopped beating are failed, so they can be run again. The rows
    are locked (PostgreSQL), so a round whose proposals are being written is seen done."""
    now = now or utcnow()
    stale = list(session.scalars(select(Round).where(
        Round.status == "running", or_(Round.heartbeat_at.is_(None),
                                       Round.heartbeat_at < now - stale_after()))
        .with_for_update().execution_options(populate_existing=True)))
    for rnd in stale:
        rnd.status = "failed"
        rnd.error = "The worker running this round stopped; run it again."
        rnd.finished_at = now
        audit.record(None, "round.stale", rnd, after=audit.snapshot(rnd, ROUND_AUDIT),
                     session=session)
    session.flush()
    return len(stale)


ANOTHER_RUNNING = _l("Another round is running: wait until it finishes.")


def start_round(actor: User, rnd: Round, session: Session | None = None) -> Round:
    """draft or failed -> running, as a new attempt; the caller runs it (inline or in the
    background). One round runs at a time: two starts at once meet the unique index on
    running rounds, and the second coordinator is told another round is running."""
    session = _s(session)
    _coordinator_for(actor, rnd.province_code)
    begin_write(session)
    fail_stale(session)
    expire_proposals(session, utcnow())  # late answers must not hold capacity in this round
    rnd = _lock(session, Round, rnd.id)
    if rnd.status not in ("draft", "failed"):
        raise Invalid({"status": _l("This round has already run or is running.")})
    if session.scalar(select(Round.id).where(Round.status == "running")):
        raise Invalid({"status": ANOTHER_RUNNING})
    before = audit.snapshot(rnd, ROUND_AUDIT)
    now = utcnow()
    rnd.status, rnd.stage, rnd.error = "running", "queued", ""
    rnd.attempt += 1
    rnd.stage_log = [["queued", now.isoformat()]]
    rnd.started_at = rnd.heartbeat_at = now
    rnd.finished_at = None
    try:
        with session.begin_nested():  # only this flush is undone if another round won
            session.flush()
    except IntegrityError:
        raise Invalid({"status": ANOTHER_RUNNING}) from None
    audit.record(actor, "round.start", rnd, before=before,
                 after=audit.snapshot(rnd, ROUND_AUDIT), session=session)
    return rnd


def round_size(rnd: Round, session: Session | None = None) -> int:
    """Offers plus needs the round would consider: decides inline versus background."""
    session = _s(session)
    from ..enterprises.services import public_offers
    from ..needs.services import public_needs

    nq = public_needs()
    if rnd.province_code:
        nq = nq.where(Village.county_code.startswith(rnd.province_code))
    count = lambda q: session.scalar(select(func.count()).select_from(q.subquery())) or 0  # noqa: E731
    return count(public_offers()) + count(nq)


def fail_round(session: Session, rnd: Round, error: str) -> None:
    before = audit.snapshot(rnd, ROUND_AUDIT)
    rnd.status, rnd.error, rnd.finished_at = "failed", error[:500], utcnow()
    session.flush()
    audit.record(None, "round.fail", rnd, before=before,
                 after=audit.snapshot(rnd, ROUND_AUDIT), session=session)


# Proposals ----------------------------------------------------------------------------

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


def _lock(session: Session, model: type, ident: int):  # noqa: ANN202
    """Re-read a row for update (PostgreSQL row lock; SQLite holds the write lock)."""
    return session.scalar(select(model).where(model.id == ident).with_for_update()
                          .execution_options(populate_existing=True))


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
