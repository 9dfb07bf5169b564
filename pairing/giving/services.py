"""The rules of giving: households, requests and their states, donations, refunds,
reallocations, disbursements and complaints.

Services take the actor and objects, flush, never commit. Every movement of money is one
balanced ledger transaction, posted in the same database transaction as the change of
the request's cached figures, after locking the request row (pairing.db.begin_write on
SQLite, SELECT ... FOR UPDATE on PostgreSQL). Hence, always:
    raised_fen - disbursed_fen == ledger balance of "request:<id>".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from .. import uploads
from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import utcnow
from ..enterprises.models import Enterprise
from ..extensions import db
from ..ledger import services as ledger
from ..payments import services as payments
from ..places.models import County, Village
from . import files, idnumber
from .models import (
    CAUSES,
    PURPOSES,
    Complaint,
    Disbursement,
    Donation,
    DonationStatus,
    GivingFile,
    HelpRequest,
    Household,
    RequestStatus,
    RequestUpdate,
)

S = RequestStatus
PUBLIC_STATES = (S.NOTICE, S.OPEN, S.FUNDED, S.DISBURSED, S.CLOSED)
REQUEST_FIELDS = ["status", "raised_fen", "pledged_fen", "disbursed_fen", "reject_reason"]


class GivingError(ValueError):
    pass


class Forbidden(GivingError):
    """The actor may not do this (views answer 403/404)."""


def _s(session: Session | None) -> Session:
    return session or db.session


def setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def min_gift() -> int:
    return setting("GIVING_MIN_GIFT_FEN", 100)


def max_gift() -> int:
    return setting("GIVING_MAX_GIFT_FEN", 5_000_000)


def goal_bounds() -> tuple[int, int]:
    return setting("GIVING_MIN_GOAL_FEN", 10_000), setting("GIVING_MAX_GOAL_FEN", 50_000_000)


def notice_period() -> timedelta:
    return timedelta(days=setting("GIVING_NOTICE_DAYS", 3))


# --- who may do what -------------------------------------------------------------------

def manages(actor: User | None, household: Household) -> bool:
    """The village's secretary manages its households."""
    return bool(actor and actor.is_authenticated and actor.role == Role.SECRETARY
                and household.village.secretary_id == actor.id)


def manages_request(actor: User | None, req: HelpRequest) -> bool:
    """The secretary of the request's village (households' requests and village projects)."""
    return bool(actor and actor.is_authenticated and actor.role == Role.SECRETARY
                and req.village.secretary_id == actor.id)


def may_see_personal(actor: User | None, household: Household) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if manages(actor, household):
        return True
    return actor.role in (Role.VERIFIER, Role.COORDINATOR) and actor.covers(
        household.village.county_code)


def may_verify(actor: User | None, req: HelpRequest) -> bool:
    """Inside the verifier's jurisdiction, never their own, and above the county when the
    secretary declared a family tie to the household."""
    if actor is None or not actor.is_authenticated or actor.role != Role.VERIFIER:
        return False
    household = req.household
    if not actor.covers(req.village.county_code):
        return False
    if actor.id in (req.created_by_id, req.village.secretary_id,
                    household.registered_by_id if household else None):
        return False
    tie = household is not None and household.family_tie
    return not tie or actor.jurisdiction_level in ("province", "country")


def _require(ok: bool) -> None:
    if not ok:
        raise Forbidden(_l("You may not do this."))


# --- households ------------------------------------------------------------------------

@dataclass
class HouseholdData:
    registration_no: str
    head_name: str
    id_number: str
    address: str = ""
    members: int = 1
    income_per_capita: int = 0
    causes: tuple[str, ...] = ()
    cadre_name: str = ""
    family_tie: bool = False
    consent_publish: bool = False
    consent_sensitive: bool = False


def register_household(actor: User, village: Village, data: HouseholdData,
                       session: Session | None = None) -> Household:
    session = _s(session)
    _require(actor.role == Role.SECRETARY and village.secretary_id == actor.id)
    if not idnumber.is_valid(data.id_number):
        raise GivingError(_l("This is not a valid resident ID number (check the last "
                             "character)."))
    if not data.head_name.strip() or not data.registration_no.strip():
        raise GivingError(_l("The registration number and the head of household's name are "
                             "required."))
    if any(c not in CAUSES for c in data.causes):
        raise GivingError(_l("Unknown cause of poverty."))
    if not 1 <= data.members <= 30 or data.income_per_capita < 0:
        raise GivingError(_l("Members must be 1 to 30 and the income not negative."))
    digest = idnumber.keyed_hash(data.id_number)
    if session.scalar(select(Household.id).where(Household.village_id == village.id,
                                                 Household.id_number_hash == digest)):
        raise GivingError(_l("This ID number is already registered in your village."))
    if session.scalar(select(Household.id).where(
            Household.village_id == village.id,
            Household.registration_no == data.registration_no.strip())):
        raise GivingError(_l("This registration number is already used in your village."))
    household = Household(
        village=village, registration_no=data.registration_no.strip(),
        head_name=data.head_name.strip(), id_number_enc=idnumber.encrypt(data.id_number),
        id_number_hash=digest, id_number_masked=idnumber.mask(data.id_number),
        address=data.address.strip(), members=data.members,
        income_per_capita=data.income_per_capita, causes=",".join(data.causes),
        cadre_name=data.cadre_name.strip(), family_tie=data.family_tie,
        consent_publish=data.consent_publish, consent_sensitive=data.consent_sensitive,
        consent_at=utcnow() if data.consent_publish or data.consent_sensitive else None,
        registered_by_id=actor.id)
    session.add(household)
    session.flush()
    audit.record(actor, "household.registered", household, after=audit.snapshot(household),
                 session=session)
    return household


def set_consent(actor: User, household: Household, publish: bool, sensitive: bool,
                session: Session | None = None) -> None:
    """Withdrawn consent takes the household's requests off the public pages at once
    (public queries require it); the ledger stays as it is."""
    _require(manages(actor, household))
    before = audit.snapshot(household, ["consent_publish", "consent_sensitive"])
    household.consent_publish, household.consent_sensitive = publish, sensitive
    household.consent_at = utcnow()
    audit.record(actor, "household.consent", household, before=before,
                 after=audit.snapshot(household, ["consent_publish", "consent_sensitive"]),
                 session=_s(session))


def view_personal(actor: User, household: Household,
                  session: Session | None = None) -> dict[str, object]:
    """The household's personal data for someone allowed to see it; every view logged."""
    _require(may_see_personal(actor, household))
    audit.record(actor, "household.viewed", household, session=_s(session))
    return {"head_name": household.head_name, "id_masked": household.id_number_masked,
            "address": household.address}


def duplicates(household: Household, session: Session | None = None) -> list[Household]:
    """Households of other villages registered with the same ID number."""
    return list(_s(session).scalars(select(Household).where(
        Household.id_number_hash == household.id_number_hash,
        Household.village_id != household.village_id)))


def households_of(actor: User, session: Session | None = None) -> list[Household]:
    return list(_s(session).scalars(
        select(Household).join(Village).where(Village.secretary_id == actor.id)
        .order_by(Household.id)))


# --- requests and their states ---------------------------------------------------------

def create_request(actor: User, household: Household, *, purpose: str, title: str, story: str,
                   amount_needed_fen: int, deadline: datetime, diagnosis: str = "",
                   show_diagnosis: bool = False, session: Session | None = None) -> HelpRequest:
    session = _s(session)
    _require(manages(actor, household))
    low, high = goal_bounds()
    if purpose not in PURPOSES:
        raise GivingError(_l("Unknown purpose."))
    if not low <= amount_needed_fen <= high:
        raise GivingError(_l("The amount needed must be between %(low)s and %(high)s yuan.",
                             low=low // 100, high=high // 100))
    if deadline <= utcnow() + notice_period():
        raise GivingError(_l("The deadline must be after the public notice period."))
    if not title.strip():
        raise GivingError(_l("A title is required."))
    req = HelpRequest(household=household, village_id=household.village_id, purpose=purpose, title=title.strip(),
                      story=story.strip(), diagnosis=diagnosis.strip(),
                      show_diagnosis=show_diagnosis, amount_needed_fen=amount_needed_fen,
                      deadline=deadline, created_by_id=actor.id)
    session.add(req)
    session.flush()
    audit.record(actor, "help_request.created", req, after=audit.snapshot(req), session=session)
    return req


def _transition(actor: User | None, req: HelpRequest, action: str, status: str,
                session: Session, **changes: object) -> None:
    before = audit.snapshot(req, REQUEST_FIELDS)
    req.status = status
    for key, value in changes.items():
        setattr(req, key, value)
    session.flush()
    audit.record(actor, action, req, before=before, after=audit.snapshot(req, REQUEST_FIELDS),
                 session=session)


def submit_request(actor: User, req: HelpRequest, session: Session | None = None) -> None:
    session = _s(session)
    _require(manages_request(actor, req))
    if req.status not in (S.DRAFT, S.REJECTED):
        raise GivingError(_l("Only a draft or rejected request can be submitted."))
    household = req.household
    if household and not (household.consent_publish and household.consent_sensitive):
        raise GivingError(_l("The household's consent to publish and its consent for "
                             "sensitive data must be recorded first."))
    _transition(actor, req, "help_request.submitted", S.SUBMITTED, session,
                submitted_at=utcnow(), reject_reason="")


def verify_request(actor: User, req: HelpRequest, approve: bool, reason: str = "",
                   now: datetime | None = None, session: Session | None = None) -> None:
    session = _s(session)
    _require(may_verify(actor, req))
    if req.status != S.SUBMITTED:
        raise GivingError(_l("Only a submitted request can be verified."))
    now = now or utcnow()
    if approve:
        ledger.account(req.ledger_code, name=f"Help request {req.id}", owner_type="help_request",
                       owner_id=req.id, session=session)
        _transition(actor, req, "help_request.verified", S.NOTICE, session,
                    verified_by_id=actor.id, verified_at=now,
                    notice_until=now + notice_period())
    else:
        if not reason.strip():
            raise GivingError(_l("Please give the reason for the rejection."))
        _transition(actor, req, "help_request.rejected", S.REJECTED, session,
                    reject_reason=reason.strip()[:500])


def effective_status(req: HelpRequest, now: datetime | None = None) -> str:
    """The state housekeeping would give the request now (pages show this one)."""
    now = now or utcnow()
    # Once anything was paid out the household got help: no expiry, only no more gifts.
    if req.status in (S.NOTICE, S.OPEN) and now >= req.deadline and req.disbursed_fen == 0:
        return S.EXPIRED
    if req.status == S.NOTICE and req.notice_until is not None and now >= req.notice_until:
        return S.OPEN
    return req.status


def lock_request(request_id: int, session: Session | None = None) -> HelpRequest:
    session = _s(session)
    req = session.scalars(select(HelpRequest).where(HelpRequest.id == request_id)
                          .with_for_update()).one_or_none()
    if req is None:
        raise GivingError(_l("No such request."))
    session.refresh(req)
    return req


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


def has_open_complaint(req: HelpRequest, session: Session | None = None) -> bool:
    return bool(_s(session).scalar(select(Complaint.id).where(
        Complaint.request_id == req.id, Complaint.status == "open").limit(1)))


# --- donations -------------------------------------------------------------------------

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


def donate(actor: User, request_id: int, amount_fen: int, idempotency_key: str, *,
           message: str = "", anonymous: bool = False, provider: str = "sandbox",
           fallback_request_id: int | None = None, now: datetime | None = None,
           session: Session | None = None) -> Donation:
    """One gift. The caller has called begin_write(). The same key again gives the same
    donation; the same key with another amount is refused."""
    session = _s(session)
    if not idempotency_key or len(idempotency_key) > 64:
        raise GivingError(_l("The form has expired; please reload the page."))
    req = lock_request(request_id, session)
    settle(req, now, session)
    existing = session.scalar(select(Donation).where(Donation.donor_id == actor.id,
                                                     Donation.idempotency_key == idempotency_key))
    if existing is not None:
        if existing.amount_fen != amount_fen or existing.request_id != request_id:
            raise GivingError(_l("This form was already sent with another amount."))
        return existing
    if (req.status != S.OPEN or not is_public(req)
            or (now or utcnow()) >= req.deadline):
        raise GivingError(_l("This request does not take gifts now."))
    if has_open_complaint(req, session):
        raise GivingError(_l("This request takes no gifts while a reported problem is being "
                             "checked."))
    if not isinstance(amount_fen, int) or not min_gift() <= amount_fen <= max_gift():
        raise GivingError(_l("A gift must be between %(low)s and %(high)s yuan.",
                             low=min_gift() // 100, high=max_gift() // 100))
    if amount_fen > req.remaining_fen:
        left = f"{req.remaining_fen / 100:.2f}"
        raise GivingError(_l("Only ¥%(left)s is still needed; please give at most that.",
                             left=left))
    if fallback_request_id == request_id:
        fallback_request_id = None
    donation = Donation(request_id=req.id, donor_id=actor.id, amount_fen=amount_fen,
                        message=message.strip()[:200], anonymous=anonymous,
                        idempotency_key=idempotency_key, fallback_request_id=fallback_request_id)
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
    return donation


def _donation_of(payment, session: Session) -> Donation:
    return session.scalars(select(Donation).where(Donation.payment_id == payment.id)).one()


@payments.on_confirmed("donation")
def _payment_confirmed(payment, actor) -> None:  # noqa: ANN001
    session = db.session
    donation = _donation_of(payment, session)
    req = lock_request(donation.request_id, session)
    req.pledged_fen -= donation.amount_fen
    _book(req, donation, payment.provider, actor, session)
    if req.status not in (S.OPEN, S.FUNDED):
        # The request closed while the transfer travelled: the gift goes back.
        _return_gift(actor, req, donation, session, allow_move=req.status == S.EXPIRED)


@payments.on_cancelled("donation")
def _payment_cancelled(payment, actor) -> None:  # noqa: ANN001
    session = db.session
    donation = _donation_of(payment, session)
    req = lock_request(donation.request_id, session)
    req.pledged_fen -= donation.amount_fen
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
                or has_open_complaint(target, session)):
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
                         anonymous=donation.anonymous,
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
    _require(actor.role in (Role.VERIFIER, Role.COORDINATOR)
             and actor.covers(req.village.county_code))
    session.refresh(donation)
    if donation.status != DonationStatus.CONFIRMED:
        raise GivingError(_l("Only a received gift can be refunded."))
    _return_gift(actor, req, donation, session, allow_move=False)
    if req.status == S.FUNDED:
        _transition(actor, req, "help_request.reopened", S.OPEN, session)
        settle(req, None, session)


# --- disbursements ---------------------------------------------------------------------

def save_file(actor: User, req: HelpRequest, kind: str, data: bytes, filename: str,
              session: Session | None = None) -> GivingFile:
    session = _s(session)
    stored, mime, size = files.store(data)
    uploads.written(session, files.path_of(stored))
    record = GivingFile(request_id=req.id, kind=kind, stored_name=stored, mime=mime, size=size,
                        original_name=(filename or "file")[-200:], uploaded_by_id=actor.id)
    session.add(record)
    session.flush()
    return record


def may_download(actor: User | None, record: GivingFile, session: Session | None = None) -> bool:
    req = _s(session).get(HelpRequest, record.request_id)
    if req is None or actor is None or not actor.is_authenticated:
        return False
    if manages_request(actor, req):
        return True
    return actor.role in (Role.VERIFIER, Role.COORDINATOR) and actor.covers(
        req.village.county_code)


def add_evidence(actor: User, req: HelpRequest, data: bytes, filename: str,
                 session: Session | None = None) -> GivingFile:
    _require(manages_request(actor, req))
    if req.status not in (S.DRAFT, S.SUBMITTED, S.REJECTED):
        raise GivingError(_l("Evidence is added before verification."))
    return save_file(actor, req, "evidence", data, filename, session)


def request_disbursement(actor: User, request_id: int, amount_fen: int, note: str,
                         invoice: bytes, filename: str,
                         session: Session | None = None) -> Disbursement:
    session = _s(session)
    req = lock_request(request_id, session)
    settle(req, None, session)
    _require(manages_request(actor, req))
    if req.status not in (S.OPEN, S.FUNDED):
        raise GivingError(_l("Money can be paid out only from an open or funded request."))
    asked = session.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0)).where(
        Disbursement.request_id == req.id, Disbursement.status == "requested")) or 0
    available = req.raised_fen - req.disbursed_fen - asked
    if not 0 < amount_fen <= available:
        left = f"{max(available, 0) / 100:.2f}"
        raise GivingError(_l("At most ¥%(left)s can be paid out now.", left=left))
    record = save_file(actor, req, "invoice", invoice, filename, session)
    disb = Disbursement(request_id=req.id, amount_fen=amount_fen, note=note.strip()[:300],
                        invoice_id=record.id, requested_by_id=actor.id)
    session.add(disb)
    session.flush()
    audit.record(actor, "disbursement.requested", disb, after=audit.snapshot(disb),
                 session=session)
    return disb


def decide_disbursement(actor: User, disb: Disbursement, approve: bool, reason: str = "",
                        session: Session | None = None) -> None:
    session = _s(session)
    req = lock_request(disb.request_id, session)
    _require(may_verify(actor, req))
    session.refresh(disb)
    if disb.status != "requested":
        raise GivingError(_l("This payout was already decided."))
    before = audit.snapshot(disb, ["status"])
    disb.decided_by_id, disb.decided_at = actor.id, utcnow()
    if approve:
        if disb.amount_fen > req.raised_fen - req.disbursed_fen:
            raise GivingError(_l("Not enough money left on the request."))
        if req.household_id is not None:
            payee = ledger.account(f"household:{req.household_id}", name="Household",
                                   owner_type="household", owner_id=req.household_id,
                                   session=session)
        else:  # a village project pays the village collective
            payee = ledger.account(f"village:{req.village_id}:projects", name="Village projects",
                                   owner_type="village", owner_id=req.village_id,
                                   session=session)
        ledger.transfer("disbursement", _request_account(req, session), payee,
                        disb.amount_fen, subject=("disbursement", disb.id), actor=actor,
                        session=session)
        req.disbursed_fen += disb.amount_fen
        disb.status = "approved"
        if req.status == S.FUNDED and req.disbursed_fen == req.raised_fen:
            _transition(actor, req, "help_request.disbursed", S.DISBURSED, session)
    else:
        if not reason.strip():
            raise GivingError(_l("Please give the reason for the rejection."))
        disb.status, disb.reason = "rejected", reason.strip()[:300]
    session.flush()
    audit.record(actor, "disbursement." + disb.status, disb, before=before,
                 after=audit.snapshot(disb, ["status"]), session=session)


def close_request(actor: User, req: HelpRequest, session: Session | None = None) -> None:
    _require(manages_request(actor, req))
    if req.status != S.DISBURSED:
        raise GivingError(_l("Only a fully paid-out request can be closed."))
    _transition(actor, req, "help_request.closed", S.CLOSED, _s(session))


def add_update(actor: User, req: HelpRequest, body: str,
               session: Session | None = None) -> RequestUpdate:
    _require(manages_request(actor, req))
    if not body.strip():
        raise GivingError(_l("The update is empty."))
    update = RequestUpdate(request_id=req.id, body=body.strip()[:1000], author_id=actor.id)
    _s(session).add(update)
    _s(session).flush()
    return update


# --- complaints ------------------------------------------------------------------------

def file_complaint(req: HelpRequest, body: str, contact: str = "",
                   session: Session | None = None) -> Complaint:
    session = _s(session)
    if not is_public(req):
        raise GivingError(_l("No such request."))
    if len(body.strip()) < 5:
        raise GivingError(_l("Please describe the problem."))
    complaint = Complaint(request_id=req.id, body=body.strip()[:1000], contact=contact.strip()[:120])
    session.add(complaint)
    session.flush()
    audit.record(None, "complaint.filed", complaint, after={"request_id": req.id},
                 session=session)
    return complaint


def file_subject_complaint(subject: Village | Enterprise, body: str, contact: str = "",
                           session: Session | None = None) -> Complaint:
    """A "report a problem" about a public village or enterprise page. It stops nothing by
    itself; it waits for a verifier of the subject's county."""
    session = _s(session)
    if subject.status != "verified":
        raise GivingError(_l("No such page."))
    if len(body.strip()) < 5:
        raise GivingError(_l("Please describe the problem."))
    key = "village_id" if isinstance(subject, Village) else "enterprise_id"
    complaint = Complaint(body=body.strip()[:1000], contact=contact.strip()[:120],
                          **{key: subject.id})
    session.add(complaint)
    session.flush()
    audit.record(None, "complaint.filed", complaint, after={key: subject.id}, session=session)
    return complaint


def may_decide_complaint(actor: User | None, complaint: Complaint) -> bool:
    if complaint.request is not None:
        return may_verify(actor, complaint.request)
    if actor is None or not actor.is_authenticated or actor.role != Role.VERIFIER:
        return False
    own = (complaint.village.secretary_id if complaint.village is not None
           else complaint.enterprise.officer_id if complaint.enterprise is not None else None)
    return actor.id != own and actor.covers(complaint.county_code)


def decide_complaint(actor: User, complaint: Complaint, upheld: bool, decision: str,
                     session: Session | None = None) -> None:
    """Dismissed: the request takes gifts again. Upheld: the request is rejected and every
    gift not yet paid out goes back to its donor. A village's or enterprise's complaint
    changes nothing else; an upheld one warns its later verifications."""
    session = _s(session)
    req = lock_request(complaint.request_id, session) if complaint.request_id else None
    _require(may_decide_complaint(actor, complaint))
    if complaint.status != "open":
        raise GivingError(_l("This report was already decided."))
    if not decision.strip():
        raise GivingError(_l("Please write down the decision."))
    complaint.status = "upheld" if upheld else "dismissed"
    complaint.decision, complaint.decided_by_id = decision.strip()[:500], actor.id
    complaint.decided_at = utcnow()
    session.flush()
    audit.record(actor, "complaint." + complaint.status, complaint,
                 after={"status": complaint.status, "decision": complaint.decision},
                 session=session)
    if req is not None and upheld and req.status in (S.NOTICE, S.OPEN, S.FUNDED):
        for donation in confirmed_donations(req, session):
            if donation.amount_fen <= req.raised_fen - req.disbursed_fen:
                _return_gift(actor, req, donation, session, allow_move=False)
        _transition(actor, req, "help_request.rejected", S.REJECTED, session,
                    reject_reason=complaint.decision)


def upheld_complaints(column, ids: list[int],  # noqa: ANN001
                      session: Session | None = None) -> dict[int, list[Complaint]]:
    """Upheld complaints about these villages or enterprises (column: Complaint.village_id
    or Complaint.enterprise_id), by subject id, in one query."""
    out: dict[int, list[Complaint]] = {}
    if not ids:
        return out
    for c in _s(session).scalars(select(Complaint).where(column.in_(ids),
                                                         Complaint.status == "upheld")
                                 .order_by(Complaint.decided_at)):
        out.setdefault(getattr(c, column.key), []).append(c)
    return out


# --- reading ---------------------------------------------------------------------------

def is_public(req: HelpRequest) -> bool:
    return req.status in PUBLIC_STATES and (req.household is None
                                            or req.household.consent_publish)


def public_query(*, purpose: str = "", province: str = "", sort: str = "urgent",
                 village: str = "", now: datetime | None = None) -> Select:
    """Requests on the crowdfunding page: verified, consented, not effectively expired."""
    now = now or utcnow()
    q = (select(HelpRequest).join(Village, Village.id == HelpRequest.village_id).join(County)
         .outerjoin(Household, Household.id == HelpRequest.household_id)
         .where(or_(HelpRequest.household_id.is_(None), Household.consent_publish.is_(True)),
                HelpRequest.status.in_([s.value for s in (S.NOTICE, S.OPEN, S.FUNDED,
                                                          S.DISBURSED)]))
         .where((HelpRequest.deadline > now)
                | HelpRequest.status.in_([S.FUNDED.value, S.DISBURSED.value])))
    if purpose in PURPOSES:
        q = q.where(HelpRequest.purpose == purpose)
    if province:
        q = q.where(County.province_code == province)
    if village.isdigit():
        q = q.where(HelpRequest.village_id == int(village))
    funded_last = HelpRequest.status.in_([S.FUNDED.value, S.DISBURSED.value])
    if sort == "newest":
        return q.order_by(HelpRequest.verified_at.desc(), HelpRequest.id.desc())
    if sort == "nearly":
        share = HelpRequest.raised_fen * 1.0 / HelpRequest.amount_needed_fen
        return q.order_by(funded_last, share.desc(), HelpRequest.id)
    return q.order_by(funded_last, HelpRequest.deadline, HelpRequest.id)


def public_donors(req: HelpRequest, session: Session | None = None) -> list[Donation]:
    return list(_s(session).scalars(select(Donation).where(
        Donation.request_id == req.id,
        Donation.status.in_([DonationStatus.CONFIRMED, DonationStatus.REFUNDED,
                             DonationStatus.MOVED])).order_by(Donation.id.desc())))


def verifier_queue(actor: User, session: Session | None = None) -> dict[str, list]:
    """What waits for this verifier, inside their jurisdiction."""
    session = _s(session)
    scope = [] if actor.jurisdiction == "CN" else [
        Village.county_code.startswith(actor.jurisdiction or "-")]
    base = select(HelpRequest).join(Village, Village.id == HelpRequest.village_id).where(*scope)
    submitted = [r for r in session.scalars(base.where(HelpRequest.status == S.SUBMITTED)
                                            .order_by(HelpRequest.submitted_at))]
    complaints = open_complaints_for(actor, 200, session)
    disbursements = list(session.scalars(
        select(Disbursement).join(HelpRequest)
        .join(Village, Village.id == HelpRequest.village_id)
        .where(Disbursement.status == "requested", *scope).order_by(Disbursement.created_at)))
    return {"requests": submitted, "complaints": complaints, "disbursements": disbursements}


def open_complaints_for(actor: User, limit: int,
                        session: Session | None = None) -> list[Complaint]:
    """Open complaints this verifier may decide (requests, villages, enterprises) by the
    county of their subject, oldest first."""
    session = _s(session)
    county = func.coalesce(Village.county_code, Enterprise.county_code)
    scope = [] if actor.jurisdiction == "CN" else [
        county.startswith(actor.jurisdiction or "-")]
    q = (select(Complaint)
         .outerjoin(HelpRequest, HelpRequest.id == Complaint.request_id)
         .outerjoin(Village, Village.id == func.coalesce(HelpRequest.village_id,
                                                         Complaint.village_id))
         .outerjoin(Enterprise, Enterprise.id == Complaint.enterprise_id)
         .where(Complaint.status == "open", *scope).order_by(Complaint.created_at)
         .limit(limit))
    return [c for c in session.scalars(q) if may_decide_complaint(actor, c)]


PROJECT_KINDS = ("donation", "infrastructure", "education", "medical")


def create_project(actor: User, need, *, title: str, story: str,  # noqa: ANN001
                   amount_needed_fen: int, deadline: datetime,
                   session: Session | None = None) -> HelpRequest:
    """A verified village's public-welfare need opened as a crowdfunding project: the same
    states, pages, ledger and payout rules as a household's request."""
    session = _s(session)
    village = need.village
    _require(actor.role == Role.SECRETARY and village.secretary_id == actor.id)
    if village.status != "verified" or need.kind not in PROJECT_KINDS or need.status not in (
            "open", "partly_met"):
        raise GivingError(_l("Only an open public-welfare need of a verified village can "
                             "become a project."))
    if session.scalar(select(HelpRequest.id).where(HelpRequest.need_id == need.id)):
        raise GivingError(_l("This need already has a project."))
    low, high = goal_bounds()
    ceiling = min(high, need.remaining)  # money needs are stored in fen, like the goal
    if not low <= amount_needed_fen <= ceiling:
        raise GivingError(_l("The amount needed must be between %(low)s and %(high)s yuan.",
                             low=low // 100, high=ceiling // 100))
    if deadline <= utcnow() + notice_period():
        raise GivingError(_l("The deadline must be after the public notice period."))
    if not title.strip():
        raise GivingError(_l("A title is required."))
    req = HelpRequest(village_id=village.id, need_id=need.id, purpose="other",
                      title=title.strip(), story=story.strip(), amount_needed_fen=amount_needed_fen,
                      deadline=deadline, created_by_id=actor.id)
    session.add(req)
    session.flush()
    audit.record(actor, "help_request.created", req, after=audit.snapshot(req), session=session)
    return req


def projects_of(actor: User, session: Session | None = None) -> list[HelpRequest]:
    return list(_s(session).scalars(
        select(HelpRequest).join(Village, Village.id == HelpRequest.village_id)
        .where(Village.secretary_id == actor.id, HelpRequest.need_id.is_not(None))
        .order_by(HelpRequest.id)))
