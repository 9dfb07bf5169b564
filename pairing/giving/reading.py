"""What pages read: public requests and donors, the verifier's queue, open complaints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import inputs
from ..accounts.models import User
from ..auth import place_filter
from ..db import utcnow
from ..enterprises.models import Enterprise
from ..places.models import County, Village
from .models import (
    PURPOSES,
    Complaint,
    Disbursement,
    Donation,
    DonationStatus,
    HelpRequest,
    Household,
)
from .policy import PUBLIC_STATES, S, _s, may_decide_complaint


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
    if inputs.number(village) is not None:
        q = q.where(HelpRequest.village_id == inputs.number(village))
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


def submitted_requests(actor: User) -> Select:
    """Requests waiting for this verifier, inside their jurisdiction, oldest submission
    first (then id: one place for every row, so the queue pages by keyset)."""
    return (select(HelpRequest).join(Village, Village.id == HelpRequest.village_id)
            .where(*place_filter(actor, Village.county_code),
                   HelpRequest.status == S.SUBMITTED)
            .options(selectinload(HelpRequest.village).joinedload(Village.county))
            .order_by(func.coalesce(HelpRequest.submitted_at, HelpRequest.created_at),
                      HelpRequest.id))


def verifier_queue(actor: User, session: Session | None = None) -> dict[str, list]:
    """What else waits for this verifier, inside their jurisdiction (the requests are
    paged: submitted_requests)."""
    session = _s(session)
    scope = place_filter(actor, Village.county_code)
    complaints = open_complaints_for(actor, 200, session)
    disbursements = list(session.scalars(
        select(Disbursement).join(HelpRequest)
        .join(Village, Village.id == HelpRequest.village_id)
        .where(Disbursement.status == "requested", *scope).order_by(Disbursement.created_at)))
    return {"complaints": complaints, "disbursements": disbursements}


def open_complaints_for(actor: User, limit: int,
                        session: Session | None = None) -> list[Complaint]:
    """Open complaints this verifier may decide (requests, villages, enterprises) by the
    county of their subject, oldest first."""
    session = _s(session)
    county = func.coalesce(Village.county_code, Enterprise.county_code)
    scope = place_filter(actor, county)
    q = (select(Complaint)
         .outerjoin(HelpRequest, HelpRequest.id == Complaint.request_id)
         .outerjoin(Village, Village.id == func.coalesce(HelpRequest.village_id,
                                                         Complaint.village_id))
         .outerjoin(Enterprise, Enterprise.id == Complaint.enterprise_id)
         .where(Complaint.status == "open", *scope).order_by(Complaint.created_at)
         .limit(limit))
    return [c for c in session.scalars(q) if may_decide_complaint(actor, c)]
