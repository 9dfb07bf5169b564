"""Enterprises and their offers: registration, resubmission, verification, public queries.

Services take the actor and objects, check who may do what, flush and never commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..auth import place_filter
from ..extensions import db
from ..places.rules import check_verifier as check_verifier  # verification's checks
from ..places.rules import decide
from .models import Enterprise, Offer
from .rules import Invalid, NotAllowed, check_enterprise, check_frozen, check_offer, raise_if, today

ENTERPRISE_FIELDS = ("name", "credit_code", "county_code", "sector", "employees",
                     "contact_name", "contact_phone", "description")
OFFER_FIELDS = ("kind", "quantity", "max_villages", "provinces", "starts_on", "ends_on",
                "description")
AUDITED = ENTERPRISE_FIELDS + ("status", "reject_reason", "officer_id")
OFFER_AUDITED = OFFER_FIELDS + ("status", "paired_quantity")


def _session(session: Session | None) -> Session:
    return session or db.session


# Enterprises --------------------------------------------------------------------------

def register_enterprise(actor: User, data: dict, session: Session | None = None) -> Enterprise:
    """An enterprise officer registers a company; it waits for a verifier."""
    session = _session(session)
    if actor.role != Role.ENTERPRISE:
        raise NotAllowed
    data = {k: data.get(k) for k in ENTERPRISE_FIELDS}
    errors = check_enterprise(session, data)
    if "credit_code" not in errors and session.scalar(
            select(Enterprise.id).where(Enterprise.credit_code == data["credit_code"])):
        errors["credit_code"] = _l("An enterprise with this credit code is already registered.")
    raise_if(errors)
    enterprise = Enterprise(**data, officer_id=actor.id, created_by_id=actor.id,
                            status="pending")
    session.add(enterprise)
    session.flush()
    audit.record(actor, "enterprise.register", enterprise,
                 after=audit.snapshot(enterprise, AUDITED), session=session)
    return enterprise


def may_edit_enterprise(actor: User, enterprise: Enterprise) -> bool:
    return actor.is_authenticated and enterprise.officer_id == actor.id


def update_enterprise(actor: User, enterprise: Enterprise, data: dict,
                      session: Session | None = None) -> Enterprise:
    """The officer corrects the company; any change goes back to the verifier (pending)."""
    session = _session(session)
    if not may_edit_enterprise(actor, enterprise):
        raise NotAllowed
    data = {k: data.get(k) for k in ENTERPRISE_FIELDS}
    errors = check_enterprise(session, data)
    if "credit_code" not in errors and session.scalar(
            select(Enterprise.id).where(Enterprise.credit_code == data["credit_code"],
                                        Enterprise.id != enterprise.id)):
        errors["credit_code"] = _l("An enterprise with this credit code is already registered.")
    raise_if(errors)
    before = audit.snapshot(enterprise, AUDITED)
    for key, value in data.items():
        setattr(enterprise, key, value)
    action = "enterprise.resubmit" if enterprise.status == "rejected" else "enterprise.update"
    enterprise.status = "pending"
    enterprise.reject_reason = ""
    enterprise.verified_by_id = None
    enterprise.verified_at = None
    session.flush()
    audit.record(actor, action, enterprise, before=before,
                 after=audit.snapshot(enterprise, AUDITED), session=session)
    return enterprise


def verify_enterprise(actor: User, enterprise: Enterprise, approve: bool, reason: str = "",
                      session: Session | None = None) -> None:
    decide(actor, enterprise, approve, reason, "enterprise",
           (enterprise.created_by_id, enterprise.officer_id), _session(session))


def enterprises_of(actor: User, session: Session | None = None) -> list[Enterprise]:
    return list(_session(session).scalars(
        select(Enterprise).where(Enterprise.officer_id == actor.id).order_by(Enterprise.id)))


def pending_enterprises(actor: User) -> Select:
    """The verifier's share of the queue, oldest first."""
    q = (select(Enterprise).where(Enterprise.status == "pending")
         .where(or_(Enterprise.created_by_id.is_(None), Enterprise.created_by_id != actor.id))
         .where(or_(Enterprise.officer_id.is_(None), Enterprise.officer_id != actor.id))
         .where(*place_filter(actor, Enterprise.county_code, Enterprise.province_code))
         .order_by(Enterprise.created_at, Enterprise.id))
    return q


# The organisation code inside a credit code, written as its index is (ix_enterprises_org_code):
# bound parameters for 9 and 9 would hide the index from PostgreSQL's planner.
ORG_CODE = func.substr(Enterprise.credit_code, literal_column("9"), literal_column("9"))


def enterprise_warnings(items: list[Enterprise], session: Session | None = None
                        ) -> dict[int, list[object]]:
    """Credit codes or names that already exist elsewhere (one query, not one per row)."""
    session = _session(session)
    warnings: dict[int, list[object]] = {e.id: [] for e in items}
    if not items:
        return warnings
    names = {e.name for e in items}
    orgs = {e.credit_code[8:17] for e in items}
    # One query, each side served by its own index (ix_enterprises_name, _org_code).
    alike = session.execute(select(Enterprise.id, Enterprise.name, ORG_CODE).where(
        or_(Enterprise.name.in_(names), ORG_CODE.in_(orgs)))).all()
    for e in items:
        if any(n == e.name and i != e.id for i, n, _o in alike):
            warnings[e.id].append(_l("Another enterprise has the same name."))
        if any(o == e.credit_code[8:17] and i != e.id for i, _n, o in alike):
            warnings[e.id].append(_l("Another enterprise has the same organisation code "
                                     "inside its credit code."))
    return warnings


def public_enterprises() -> Select:
    return select(Enterprise).where(Enterprise.status == "verified")


# Offers -------------------------------------------------------------------------------

def _offer_data(data: dict) -> dict:
    out = {k: data.get(k) for k in OFFER_FIELDS}
    out["provinces"] = list(out["provinces"] or [])
    return out


def create_offer(actor: User, enterprise: Enterprise, data: dict,
                 session: Session | None = None) -> Offer:
    session = _session(session)
    if not may_edit_enterprise(actor, enterprise):
        raise NotAllowed
    data = _offer_data(data)
    raise_if(check_offer(session, data))
    data["provinces"] = ",".join(data["provinces"])
    offer = Offer(**data, enterprise=enterprise, created_by_id=actor.id, status="active",
                  paired_quantity=0)
    session.add(offer)
    session.flush()
    audit.record(actor, "offer.create", offer, after=audit.snapshot(offer, OFFER_AUDITED),
                 session=session)
    return offer


def update_offer(actor: User, offer: Offer, data: dict,
                 session: Session | None = None) -> Offer:
    """Everything may change while no pairing uses the offer; afterwards only the quantity,
    and never below what is already paired."""
    session = _session(session)
    if not may_edit_enterprise(actor, offer.enterprise):
        raise NotAllowed
    if offer.status != "active":
        raise Invalid({"status": _l("A withdrawn offer cannot be changed.")})
    data = _offer_data(data)
    errors = check_offer(session, data)
    data["provinces"] = ",".join(data["provinces"])
    check_frozen(errors, offer, data, OFFER_FIELDS, offer.paired_quantity,
                 frozen=_l("Pairings use this offer: only the unpaired remainder can change."),
                 below=_l("Already paired: the quantity cannot go below %(n)s.",
                          n=offer.paired_quantity))
    raise_if(errors)
    before = audit.snapshot(offer, OFFER_AUDITED)
    for key, value in data.items():
        setattr(offer, key, value)
    session.flush()
    audit.record(actor, "offer.update", offer, before=before,
                 after=audit.snapshot(offer, OFFER_AUDITED), session=session)
    return offer


def withdraw_offer(actor: User, offer: Offer, session: Session | None = None) -> Offer:
    """Unpaired: the offer is withdrawn. Paired: its unpaired remainder is withdrawn."""
    session = _session(session)
    if not may_edit_enterprise(actor, offer.enterprise):
        raise NotAllowed
    if offer.status != "active" or offer.remaining == 0:
        raise Invalid({"status": _l("Nothing of this offer is left to withdraw.")})
    before = audit.snapshot(offer, OFFER_AUDITED)
    if offer.paired_quantity == 0:
        offer.status = "withdrawn"
    else:
        offer.quantity = offer.paired_quantity
    session.flush()
    audit.record(actor, "offer.withdraw", offer, before=before,
                 after=audit.snapshot(offer, OFFER_AUDITED), session=session)
    return offer


def offer_is_public() -> ColumnElement[bool]:
    """Active offers of verified enterprises (the copied `public` flag, see
    pairing/needs/listing.py) that have not ended."""
    return and_(Offer.public, or_(Offer.ends_on.is_(None), Offer.ends_on >= today()))


def public_offers() -> Select:
    """What pages show and rounds use (a round also checks `starts_on` against its own
    dates); joined to the enterprise for callers that filter or sort on it."""
    return select(Offer).join(Offer.enterprise).where(offer_is_public())


def change_paired(actor: User | None, offer: Offer, delta: int,
                  session: Session | None = None) -> Offer:
    """Pairings take (delta > 0) or give back (delta < 0) part of an offer; called by the
    matching services with the offer row already locked."""
    session = _session(session)
    if not 0 <= offer.paired_quantity + delta <= offer.quantity:
        raise Invalid({"quantity": _l("This offer has not enough unpaired quantity left.")})
    before = audit.snapshot(offer, ("paired_quantity",))
    offer.paired_quantity += delta
    session.flush()
    audit.record(actor, "offer.paired", offer, before=before,
                 after=audit.snapshot(offer, ("paired_quantity",)), session=session)
    return offer
