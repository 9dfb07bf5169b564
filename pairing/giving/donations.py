"""Donations: one balanced ledger transaction each, refunds and reallocations, and the
states a request reaches by its money (settle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..auth import may_act_on
from ..db import lock, utcnow
from ..extensions import db
from ..ledger import services as ledger
from ..payments import policy as payment_policy
from ..payments import services as payments
from ..places.models import Village
from .models import (
    Donation,
    DonationStatus,
    HelpRequest,
)
from .policy import GivingError, S, _require, _s, max_gift, min_gift
from .reading import is_public
from .requests import _transition, effective_status, lock_request, paused_by_complaints

CREATED = "giving_donations_created"


@dataclass(frozen=True)
class Guest:
    """Who gives without an account: the name shown (unless anonymous), the receipt's
    address."""

    name: str
    email: str


def settle(req: HelpRequest, now: datetime | None = None,
           session: Session | None = None) -> bool:
    """Apply time-based changes to a LOCKED request: notice over → open; deadline passed
    unfunded → expired, gifts moved or refunded. The same function runs in housekeeping."""
    session = _s(session)
    target = effective_status(req, now)
    if target == req.status:
        return False
    if target == S.OPEN:
        _transition(None, req, "help_request.opened", S.OPEN, session)
    elif target == S.EXPIRED:
        _transition(None, req, "help_request.expired", S.EXPIRED, session)
        for donation in confirmed_donations(req, session):
            _return_gift(None, req, donation, session, allow_move=True)
    return True


def _external(provider: str, session: Session):
    return ledger.account(f"external:donors:{provider}", name=f"Donors ({provider})",
                          owner_type="external", session=session)


def _request_account(req: HelpRequest, session: Session):
    return ledger.account(req.ledger_code, name=f"Help request {req.id}",
                          owner_type="help_request", owner_id=req.id, session=session)


def _book(req: HelpRequest, donation: Donation, provider: str, actor: object | None,
          session: Session) -> None:
    """Money arrived: one ledger transaction and the request's figures, together."""
    ledger.transfer("donation", _external(provider, session), _request_account(req, session),
                    donation.amount_fen, subject=("donation", donation.id), actor=actor,
                    session=session)
    req.raised_fen += donation.amount_fen
    req.donors_count += 1
    donation.status = DonationStatus.CONFIRMED
    donation.confirmed_at = utcnow()
    if req.status == S.OPEN:
        from . import matching

        matching.apply(req, donation, session)
    if req.raised_fen == req.amount_needed_fen and req.status == S.OPEN:
        _transition(None, req, "help_request.funded", S.FUNDED, session)
    session.flush()


def donate(actor: User | None, request_id: int, amount_fen: int, idempotency_key: str, *,
           message: str = "", anonymous: bool = False, provider: str = "sandbox",
           fallback_request_id: int | None = None, now: datetime | None = None,
           guest: Guest | None = None, session: Session | None = None) -> Donation:
    """One gift, of a logged-in donor (actor) or of a guest without an account (actor None,
    guest given). The caller has called begin_write(). The same key again gives the same
    donation; the same key with another amount is refused."""
    session = _s(session)
    if not idempotency_key or len(idempotency_key) > 64:
        raise GivingError(_l("The form has expired; please reload the page."))
    if (actor is None) == (guest is None):
        raise ValueError("a gift has either a donor or a guest")
    if actor is not None:
        # The donor first (the lock order): an account deletion locks it too, so a gift
        # is either made before it (and then anonymised or blocking) or refused after.
        donor = lock(session, User, actor.id, others_may_refer=True)
        if donor is None or not donor.active:
            raise GivingError(_l("This account is closed: nothing was done."))
    req = lock_request(request_id, session)
    settle(req, now, session)
    # Two presses of one guest form wait on the request's lock above, so the second
    # finds the first here (and the unique guest_key backs this up).
    same_key = (Donation.guest_key == idempotency_key if actor is None else and_(
        Donation.donor_id == actor.id, Donation.idempotency_key == idempotency_key))
    existing = session.scalar(select(Donation).where(same_key))
    if existing is not None:
        if existing.amount_fen != amount_fen or existing.request_id != request_id:
            raise GivingError(_l("This form was already sent with another amount."))
        return existing
    if (req.status != S.OPEN or not is_public(req)
            or (now or utcnow()) >= req.deadline):
        raise GivingError(_l("This request does not take gifts now."))
    if paused_by_complaints(req, session):
        raise GivingError(_l("This request takes no gifts while a reported problem is being "
                             "checked."))
    if not isinstance(amount_fen, int) or not min_gift() <= amount_fen <= max_gift():
        raise GivingError(_l("A gift must be between %(low)s and %(high)s yuan.",
                             low=min_gift() // 100, high=max_gift() // 100), field="amount")
    if amount_fen > req.remaining_fen:
        left = f"{req.remaining_fen / 100:.2f}"
        raise GivingError(_l("Only ¥%(left)s is still needed; please give at most that.",
                             left=left), field="amount")
    if fallback_request_id == request_id:
        fallback_request_id = None
    donation = Donation(request_id=req.id, donor_id=actor.id if actor else None,
                        amount_fen=amount_fen, message=message.strip()[:200],
                        anonymous=anonymous, idempotency_key=idempotency_key,
                        fallback_request_id=fallback_request_id)
    if guest is not None:
        donation.guest_key = idempotency_key
        donation.guest_name = "" if anonymous else guest.name.strip()[:80]
        donation.guest_email = guest.email
    session.add(donation)
    session.flush()
    payment = payments.start_payment("donation", amount_fen, actor, f"donation:{donation.id}",
                                     provider=provider, session=session)
    donation.payment_id = payment.id
    if payment.confirmed:
        _book(req, donation, payment.provider, actor, session)
    else:
        req.pledged_fen += amount_fen  # held for the donor until staff see the transfer
    session.flush()
    audit.record(actor, "donation.created", donation, after=audit.snapshot(
        donation, ["request_id", "amount_fen", "anonymous", "status"]), session=session)
    # Tells the caller this call made the gift (a replay returns above): a guest's receipt
    # is mailed once, not once per press of the button.
    session.info.setdefault(CREATED, set()).add(donation.id)
    return donation


def created_now(donation: Donation, session: Session | None = None) -> bool:
    """Did this transaction create the gift (rather than find it by its key)?"""
    return donation.id in _s(session).info.get(CREATED, set())


def _unpledge(payment, session: Session) -> tuple[Donation, HelpRequest]:  # noqa: ANN001
    """The gift a payment was for, and its request, locked, with the pledge taken off."""
    donation = session.scalars(select(Donation).where(Donation.payment_id == payment.id)).one()
    req = lock_request(donation.request_id, session)
    req.pledged_fen -= donation.amount_fen
    return donation, req


@payments.on_locking("donation")
def _lock_request_of(payment, session: Session) -> None:  # noqa: ANN001
    """A gift's payment is locked after the request it is for (the lock order)."""
    request_id = session.scalar(select(Donation.request_id)
                                .where(Donation.payment_id == payment.id))
    if request_id is not None:
        lock_request(request_id, session)


@payments.on_confirmed("donation")
def _payment_confirmed(payment, actor) -> None:  # noqa: ANN001
    session = db.session
    donation, req = _unpledge(payment, session)
    _book(req, donation, payment.provider, actor, session)
    if req.status not in (S.OPEN, S.FUNDED):
        # The request closed while the transfer travelled: the gift goes back.
        _return_gift(actor, req, donation, session, allow_move=req.status == S.EXPIRED)


@payments.on_described("donation")
def _payments_described(batch) -> dict[int, str]:  # noqa: ANN001
    """For staff matching bank transfers: which request each gift is for (one query)."""
    rows = db.session.execute(
        select(Donation.payment_id, Donation.request_id, HelpRequest.household_id)
        .join(Donation.request).where(Donation.payment_id.in_([p.id for p in batch])))
    return {pid: str(_l("Donation to village project #%(number)d", number=rid) if household is None
                     else _l("Donation to request #%(number)d", number=rid))
            for pid, rid, household in rows}


@payment_policy.on_placed("donation")
def _payments_placed(batch) -> dict[int, str]:  # noqa: ANN001
    """The county of the village each gift goes to: its coordinators confirm the transfer."""
    rows = db.session.execute(
        select(Donation.payment_id, Village.county_code).join(Donation.request)
        .join(Village, Village.id == HelpRequest.village_id)
        .where(Donation.payment_id.in_([p.id for p in batch])))
    return {pid: county for pid, county in rows}


@payments.on_cancelled("donation")
def _payment_cancelled(payment, actor) -> None:  # noqa: ANN001
    session = db.session
    donation, _req = _unpledge(payment, session)
    donation.status = DonationStatus.CANCELLED
    session.flush()


def confirmed_donations(req: HelpRequest, session: Session | None = None) -> list[Donation]:
    return list(_s(session).scalars(select(Donation).where(
        Donation.request_id == req.id, Donation.status == DonationStatus.CONFIRMED)
        .order_by(Donation.id)))


def _provider_of(donation: Donation, session: Session) -> str:
    root = donation
    while root.moved_from_id is not None:
        root = session.get(Donation, root.moved_from_id)  # type: ignore[assignment]
    payment = session.get(payments.Payment, root.payment_id) if root.payment_id else None
    return payment.provider if payment else "sandbox"


def _return_gift(actor: object | None, req: HelpRequest, donation: Donation, session: Session,
                 *, allow_move: bool) -> None:
    """Take a confirmed gift off a request: to the donor's chosen request if it is open and
    has room, else back to the donor. The request is locked by the caller."""
    available = req.raised_fen - req.disbursed_fen
    if donation.amount_fen > available:
        raise GivingError(_l("This gift was already paid out and cannot be returned."))
    target = None
    if allow_move and donation.fallback_request_id and donation.match_id is None:
        target = lock_request(donation.fallback_request_id, session)
        settle(target, None, session)
        if (target.status != S.OPEN or target.remaining_fen < donation.amount_fen
                or paused_by_complaints(target, session)):
            target = None
    source = _request_account(req, session)
    req.raised_fen -= donation.amount_fen
    req.donors_count -= donation.match_id is None
    if donation.match_id is not None:
        from . import matching

        match = session.get(matching.Match, donation.match_id)
        ledger.transfer("refund", source, matching.enterprise_account(match.enterprise_id,
                                                                      session),
                        donation.amount_fen, subject=("donation", donation.id), actor=actor,
                        session=session)
        donation.status = DonationStatus.REFUNDED
        matching.withdraw_delivery(actor, donation, session)
    elif target is None:
        ledger.transfer("refund", source, _external(_provider_of(donation, session), session),
                        donation.amount_fen, subject=("donation", donation.id), actor=actor,
                        session=session)
        donation.status = DonationStatus.REFUNDED
    else:
        moved = Donation(request_id=target.id, donor_id=donation.donor_id,
                         amount_fen=donation.amount_fen, message=donation.message,
                         anonymous=donation.anonymous, guest_name=donation.guest_name,
                         guest_email=donation.guest_email,
                         idempotency_key=f"moved-{donation.id}", moved_from_id=donation.id,
                         status=DonationStatus.CONFIRMED, confirmed_at=utcnow())
        session.add(moved)
        session.flush()
        ledger.transfer("reallocation", source, _request_account(target, session),
                        donation.amount_fen, subject=("donation", moved.id), actor=actor,
                        session=session)
        target.raised_fen += donation.amount_fen
        target.donors_count += 1
        if target.raised_fen == target.amount_needed_fen:
            _transition(None, target, "help_request.funded", S.FUNDED, session)
        donation.status = DonationStatus.MOVED
    session.flush()
    audit.record(actor, "donation." + donation.status, donation,
                 after={"status": donation.status}, session=session)


def refund_donation(actor: User, donation: Donation, session: Session | None = None) -> None:
    """Staff give one gift back (the donor asked, or it was made by mistake)."""
    session = _s(session)
    req = lock_request(donation.request_id, session)
    _require(may_act_on(actor, req.village.county_code))
    session.refresh(donation)
    if donation.status != DonationStatus.CONFIRMED:
        raise GivingError(_l("Only a received gift can be refunded."))
    _return_gift(actor, req, donation, session, allow_move=False)
    if req.status == S.FUNDED:
        _transition(actor, req, "help_request.reopened", S.OPEN, session)
        settle(req, None, session)
