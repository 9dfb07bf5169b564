"""Why an offer got no proposal in the last pairing round: only facts read from the rows
the round used or wrote (its start, its scope, the proposals it made) and the offer's own
history, each saying which. A reason that cannot be read from the data is never given.

A round takes the public offers (active, of a verified enterprise, not ended) and the
public needs of its scope (pairing/matching/to_solver.py); the solver gives each need to
the offers that score best for it."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import local_date
from ..enterprises.forms import SECTOR_LABELS
from ..enterprises.kinds import KIND_LABELS
from ..enterprises.models import Offer
from ..formatting import when
from ..needs.models import Need
from ..places.models import Province
from .models import Proposal, Round


@dataclass(frozen=True)
class Answer:
    round: Round
    reasons: list[str]


def last_round(session: Session) -> Round | None:
    return session.scalar(select(Round).where(Round.status == "done", Round.started_at.is_not(None))
                          .order_by(Round.finished_at.desc(), Round.id.desc()).limit(1))


def why_no_proposal(session: Session, offer: Offer, rnd: Round | None = None) -> Answer | None:
    """None when there was no finished round or the offer had a proposal in it."""
    rnd = rnd or last_round(session)
    if rnd is None or rnd.started_at is None:
        return None
    if session.scalar(select(Proposal.id).where(Proposal.round_id == rnd.id,
                                                Proposal.offer_id == offer.id).limit(1)):
        return None
    started = rnd.started_at
    day = when(started, zone=False)  # Beijing time, as every time a person reads
    enterprise = offer.enterprise
    # Not in the round's input at all: the first fact that kept it out is the reason.
    # verified_at may be unknown for rows loaded in bulk: then only the status speaks.
    if enterprise.status != "verified" or (enterprise.verified_at is not None
                                           and enterprise.verified_at > started):
        return Answer(rnd, [str(_l("Your enterprise was not verified yet when round %(n)s "
                                   "started (%(at)s Beijing time): its offers were not in it.",
                                   n=rnd.id, at=day))])
    if offer.created_at > started:
        return Answer(rnd, [str(_l("The offer was posted after round %(n)s started "
                                   "(%(at)s Beijing time).", n=rnd.id, at=day))])
    if offer.ends_on is not None and offer.ends_on < local_date(started):
        return Answer(rnd, [str(_l("The offer had ended (%(end)s) before round %(n)s.",
                                   end=offer.ends_on.isoformat(), n=rnd.id))])
    reasons: list[str] = []
    if offer.status != "active" or offer.remaining <= 0:
        reasons.append(str(_l("Nothing of the offer is left to pair now (withdrawn or fully "
                              "paired).")))
    if rnd.province_code:
        province = session.get(Province, rnd.province_code)
        reasons.append(str(_l("Round %(n)s covered only the villages of %(p)s.", n=rnd.id,
                              p=province.name if province else rnd.province_code)))
    kind = KIND_LABELS.get(offer.kind, offer.kind)
    made, to_offers = session.execute(
        select(func.count(Proposal.id), func.count(func.distinct(Proposal.offer_id)))
        .join(Offer, Offer.id == Proposal.offer_id)
        .where(Proposal.round_id == rnd.id, Offer.kind == offer.kind)).one()
    if not made:
        reasons.append(str(_l("Round %(n)s proposed no pair of this kind (%(kind)s) to anyone.",
                              n=rnd.id, kind=kind)))
    else:
        reasons.append(str(_l(
            "Round %(n)s proposed %(made)s pairs of this kind (%(kind)s), to %(offers)s other "
            "offers: the solver gives each need to the offers that score best for it (poorer "
            "village, nearer, east–west partner province, preferred province, sector asked "
            "for), and yours was not among them.", n=rnd.id, made=made, kind=kind,
            offers=to_offers)))
    open_needs = session.scalar(select(func.count(Need.id)).where(
        Need.public, Need.kind == offer.kind)) or 0
    if not open_needs:
        reasons.append(str(_l("Now no village has an open need of this kind.")))
    else:
        other_sector = session.scalar(select(func.count(Need.id)).where(
            Need.public, Need.kind == offer.kind, Need.sector.is_not(None),
            Need.sector != enterprise.sector)) or 0
        if other_sector:
            reasons.append(str(_l(
                "Now %(k)s of the %(n)s open needs of this kind ask for another sector than "
                "yours (%(sector)s).", k=other_sector, n=open_needs,
                sector=SECTOR_LABELS.get(enterprise.sector, enterprise.sector))))
    return Answer(rnd, reasons)
