"""Matched gifts: an enterprise turns a donation offer into a pool that doubles public
gifts to chosen requests (1:1, never beyond what remains of a goal, for a period); the
unused rest returns to the enterprise when the period ends (housekeeping)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..db import lock, utcnow
from ..enterprises import services as enterprises
from ..enterprises.models import Enterprise, Offer
from ..extensions import db
from ..ledger import services as ledger
from .models import Donation, DonationStatus, HelpRequest, Match, MatchTarget
from .policy import Forbidden, GivingError
from .reading import is_public


def _s(session: Session | None) -> Session:
    return session or db.session


def enterprise_account(enterprise_id: int, session: Session):
    return ledger.account(f"external:enterprise:{enterprise_id}", name="Enterprise",
                          owner_type="enterprise", owner_id=enterprise_id, session=session)


def _pool_account(match: Match, session: Session):
    return ledger.account(match.ledger_code, name=f"Match pool {match.id}",
                          owner_type="giving_match", owner_id=match.id, session=session)


def create_match(actor: User, offer: Offer | None, pool_fen: int, ends_at: datetime,
                 request_ids: list[int], session: Session | None = None) -> Match:
    """The enterprise pays the pool in advance: one ledger transaction into the pool.

    The pool holds its amount of the offer as an accepted proposal does (the offer's
    paired quantity, read and changed under the offer's lock), so two pools, or a pool and
    a pairing, never promise the same yuan twice; what the pool does not use returns to
    the offer when the match ends."""
    session = _s(session)
    actor_id = actor.id
    offer = lock(session, Offer, offer.id) if offer is not None else None
    if offer is None:
        raise GivingError(_l("Only an active donation offer can be turned into a match."))
    actor = session.get(User, actor_id)
    enterprise: Enterprise = offer.enterprise
    if enterprise.officer_id != actor.id or enterprise.status != "verified":
        raise Forbidden(_l("You may not do this."))
    if offer.kind != "donation" or offer.status != "active":
        raise GivingError(_l("Only an active donation offer can be turned into a match."))
    if not 100 <= pool_fen <= offer.remaining:
        raise GivingError(_l("The pool must be at least 1 yuan and at most what the offer "
                             "has left."))
    if ends_at <= utcnow():
        raise GivingError(_l("The match must end in the future."))
    targets = [session.get(HelpRequest, rid) for rid in set(request_ids)]
    if not targets or any(t is None or not is_public(t) for t in targets):
        raise GivingError(_l("Choose at least one public request."))
    enterprises.change_paired(actor, offer, pool_fen, session)
    match = Match(enterprise_id=enterprise.id, offer_id=offer.id, pool_fen=pool_fen,
                  ends_at=ends_at, created_by_id=actor.id)
    session.add(match)
    session.flush()
    session.add_all(MatchTarget(match_id=match.id, request_id=t.id) for t in targets)
    ledger.transfer("match.pool", enterprise_account(enterprise.id, session),
                    _pool_account(match, session), pool_fen, subject=("giving_match", match.id),
                    actor=actor, session=session)
    audit.record(actor, "giving_match.created", match, after=audit.snapshot(match),
                 session=session)
    return match


def active_matches(request_id: int, now: datetime | None = None,
                   session: Session | None = None) -> list[Match]:
    now = now or utcnow()
    return list(_s(session).scalars(
        select(Match).join(MatchTarget, MatchTarget.match_id == Match.id)
        .where(MatchTarget.request_id == request_id, Match.status == "active",
               Match.starts_at <= now, Match.ends_at > now, Match.used_fen < Match.pool_fen)
        .order_by(Match.id)))


def apply(req: HelpRequest, gift: Donation, session: Session) -> int:
    """Double a confirmed public gift from the first match with money left; the request
    is locked by the caller. Returns the matched amount (0 when none)."""
    if gift.match_id is not None:  # a matched gift is never matched again
        return 0
    now = utcnow()
    for candidate in active_matches(req.id, now, session=session):
        match = lock(session, Match, candidate.id)
        # It may have ended (its rest returned) while we waited for its lock.
        if match is None or match.status != "active" or not match.starts_at <= now < match.ends_at:
            continue
        extra = min(gift.amount_fen, match.pool_fen - match.used_fen - match.returned_fen,
                    req.remaining_fen)
        if extra <= 0:
            continue
        doubled = Donation(request_id=req.id, donor_id=None, amount_fen=extra,
                           idempotency_key=f"match-{gift.id}", match_id=match.id,
                           status=DonationStatus.CONFIRMED, confirmed_at=utcnow())
        session.add(doubled)
        session.flush()
        ledger.transfer("match.gift", _pool_account(match, session),
                        ledger.account(req.ledger_code, session=session), extra,
                        subject=("donation", doubled.id), session=session)
        match.used_fen += extra
        req.raised_fen += extra
        session.flush()
        report_delivery(match, req, extra, session, donation_id=doubled.id)
        return extra
    return 0


def end_matches(session: Session, now: datetime) -> int:
    """Matches past their end: the unused pool goes back to the enterprise."""
    ended = 0
    for match_id in session.scalars(select(Match.id).where(Match.status == "active",
                                                           Match.ends_at <= now)).all():
        match = lock(session, Match, match_id)
        if match is None or match.status != "active":
            continue  # another housekeeping run ended it meanwhile
        left = match.pool_fen - match.used_fen - match.returned_fen
        if left > 0:
            # The match, then its offer, then the balances: the lock order.
            offer = lock(session, Offer, match.offer_id) if match.offer_id else None
            back = min(left, offer.paired_quantity) if offer is not None else 0
            if back:  # the unused rest is the offer's to pair again
                enterprises.change_paired(None, offer, -back, session)
            ledger.transfer("match.return", _pool_account(match, session),
                            enterprise_account(match.enterprise_id, session), left,
                            subject=("giving_match", match.id), session=session)
            match.returned_fen += left
        match.status = "ended"
        session.flush()
        audit.record(None, "giving_match.ended", match, after={"returned_fen": left},
                     session=session)
        ended += 1
    return ended


def badges(request_ids: list[int], session: Session | None = None) -> dict[int, list[str]]:
    """Enterprise names doubling gifts, by request id, for the cards (one query)."""
    now = utcnow()
    out: dict[int, list[str]] = {}
    if not request_ids:
        return out
    rows = _s(session).execute(
        select(MatchTarget.request_id, Enterprise.name).join(Match, Match.id == MatchTarget.match_id)
        .join(Enterprise, Enterprise.id == Match.enterprise_id)
        .where(MatchTarget.request_id.in_(request_ids), Match.status == "active",
               Match.ends_at > now, Match.used_fen < Match.pool_fen))
    for rid, name in rows:
        out.setdefault(rid, []).append(name)
    return out


def report_delivery(match: Match, req: HelpRequest, amount_fen: int, session: Session,
                    donation_id: int | None = None):
    """Matched money that reached a request of village V counts as the enterprise's delivery
    on the active pairing of the match's donation offer with a need of V (the one with most
    left to deliver): a progress report of the amount, capped at what is outstanding.

    The village confirms it like any report: the money sits on the request's account until a
    verifier approves the payout, and an upheld complaint can still send it back, so the
    ledger alone does not prove the village received it; a refund of the matched gift
    withdraws the report (`withdraw_delivery`). Returns the report or None.
    """
    from ..matching.delivery import outstanding
    from ..matching.models import Pairing, ProgressReport
    from ..matching.notify import notify
    from ..matching.services import REPORT_AUDIT, _link, _lock, today
    from ..needs.models import Need

    if match.offer_id is None:
        return None
    found = session.scalars(select(Pairing).join(Pairing.need).where(
        Pairing.offer_id == match.offer_id, Need.village_id == req.village_id,
        Pairing.status == "active").order_by(Pairing.id)).all()
    best = max(((outstanding(p, session), -p.id, p) for p in found), default=None,
               key=lambda t: t[:2])
    if best is None or best[0] <= 0:
        return None
    pairing = _lock(session, Pairing, best[2].id)
    amount = min(amount_fen, outstanding(pairing, session))
    if amount <= 0:
        return None
    report = ProgressReport(pairing_id=pairing.id, quantity=amount, delivered_on=today(),
                            note=f"Matched gifts · crowdfunding #{req.id}", status="reported",
                            reported_by_id=None, created_at=utcnow(), donation_id=donation_id)
    session.add(report)
    session.flush()
    audit.record(None, "report.create", report, after=audit.snapshot(report, REPORT_AUDIT)
                 | {"match_id": match.id, "request_id": req.id}, session=session)
    notify(session, pairing.need.village.secretary_id, "report.new",
           _link("matching.pairing", pairing_id=pairing.id), id=pairing.id)
    return report


def withdraw_delivery(actor: User | None, donation: Donation, session: Session) -> None:
    """A matched gift went back to the enterprise: the delivery it reported is withdrawn."""
    from ..matching.delivery import withdraw_report
    from ..matching.models import ProgressReport

    report_id = session.scalar(select(ProgressReport.id).where(
        ProgressReport.donation_id == donation.id))
    if report_id is not None:
        withdraw_report(actor, report_id, f"Matched gift refunded · crowdfunding #{donation.request_id}",
                        session)


def matched_total(enterprise_id: int, session: Session | None = None) -> int:
    """Fen the enterprise's matches put into requests, read from the ledger: what left its
    pools as matched gifts, less matched gifts refunded to it."""
    from ..ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction

    session = _s(session)

    def total(*where) -> int:  # noqa: ANN002
        return int(session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(*where)) or 0)

    pools = select(Match.id).where(Match.enterprise_id == enterprise_id)
    out = -total(LedgerAccount.owner_type == "giving_match", LedgerAccount.owner_id.in_(pools),
                 LedgerTransaction.kind == "match.gift")
    refunded = total(LedgerAccount.code == f"external:enterprise:{enterprise_id}",
                     LedgerTransaction.kind == "refund")
    return out - refunded
