"""Two-way evaluation: village and enterprise rate each other's part in a pairing; a
household rates its cadre once a year and may complain about the cadre to the county.

A household acts without an account through the code printed on its contact card.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..accounts.models import COUNTRY, Role, User
from ..audit import services as audit
from ..db import begin_write, is_sqlite, utcnow
from ..enterprises.models import Enterprise, Offer
from ..giving.models import Household
from ..matching import delivery
from ..matching.models import Pairing, ProgressReport
from ..matching.services import _link
from ..places.models import Village
from . import alerts
from .models import CadreComplaint, CadreRating, MonitoredHousehold, PairingRating
from .policy import MonitoringError, _s, is_secretary, is_verifier_for, require

PUBLIC_AFTER = 3  # an enterprise's ratings are summarised publicly from this many on
COUNTED = ("confirmed", "upheld")


def _lock(session: Session, query: Select) -> None:
    """Two answers at once (a double click, two phones): the second waits for the first and
    then sees its row (SQLite: begin_write already holds the database's write lock)."""
    if not is_sqlite(session):
        session.execute(query.with_for_update())


def side_of(actor: User, pairing: Pairing) -> str:
    if delivery.is_village_of(actor, pairing):
        return "village"
    if delivery.is_enterprise_of(actor, pairing):
        return "enterprise"
    return ""


def open_stages(pairing: Pairing, session: Session | None = None) -> list[str]:
    """The stages at which the pairing may be rated: once delivery has been confirmed, and
    again when the pairing has ended (fulfilled or lapsed)."""
    stages = []
    if _s(session).scalar(select(func.count(ProgressReport.id)).where(
            ProgressReport.pairing_id == pairing.id, ProgressReport.status.in_(COUNTED))):
        stages.append("delivery")
    if pairing.status in ("fulfilled", "lapsed"):
        stages.append("end")
    return stages


def may_see_ratings(actor: User, pairing: Pairing) -> bool:
    return bool(actor.is_authenticated and (side_of(actor, pairing)
                or delivery.is_verifier_of(actor, pairing)))


def ratings_of(pairing: Pairing, session: Session | None = None) -> list[PairingRating]:
    return list(_s(session).scalars(select(PairingRating).where(
        PairingRating.pairing_id == pairing.id).order_by(PairingRating.id)))


@dataclass
class Scores:
    on_time: int | None = None
    as_promised: int | None = None
    useful: int | None = None
    cooperation: int | None = None
    comment: str = ""


def rate_pairing(actor: User, pairing: Pairing, stage: str, scores: Scores,
                 session: Session | None = None) -> PairingRating:
    session = _s(session)
    side = side_of(actor, pairing)
    require(bool(side))
    if stage not in open_stages(pairing, session):
        raise MonitoringError(_l("This pairing cannot be rated at this stage yet."))
    wanted = ((scores.on_time, scores.as_promised, scores.useful) if side == "village"
              else (scores.cooperation,))
    if any(s is None or not 1 <= s <= 5 for s in wanted):
        raise MonitoringError(_l("Give every score from 1 to 5."))
    begin_write(session)
    _lock(session, select(Pairing.id).where(Pairing.id == pairing.id))
    if session.scalar(select(PairingRating.id).where(
            PairingRating.pairing_id == pairing.id, PairingRating.stage == stage,
            PairingRating.side == side)):
        raise MonitoringError(_l("Your side has already rated this stage."))
    rating = PairingRating(pairing_id=pairing.id, stage=stage, side=side,
                           comment=scores.comment.strip()[:500], rater_id=actor.id)
    if side == "village":
        rating.on_time, rating.as_promised, rating.useful = wanted
    else:
        rating.cooperation = scores.cooperation
    session.add(rating)
    session.flush()
    audit.record(actor, "monitoring.pairing_rated", rating, after=audit.snapshot(rating),
                 session=session)
    return rating


@dataclass(frozen=True)
class Summary:
    count: int
    on_time: float
    as_promised: float
    useful: float


def enterprise_summary(enterprise: Enterprise, session: Session | None = None,
                       ) -> Summary | None:
    """The villages' ratings of an enterprise, averaged; None under PUBLIC_AFTER ratings
    (a single village's opinion is not shown as the enterprise's standing)."""
    row = _s(session).execute(
        select(func.count(PairingRating.id), func.avg(PairingRating.on_time),
               func.avg(PairingRating.as_promised), func.avg(PairingRating.useful))
        .join(Pairing, Pairing.id == PairingRating.pairing_id)
        .join(Offer, Offer.id == Pairing.offer_id)
        .where(Offer.enterprise_id == enterprise.id, PairingRating.side == "village")).one()
    if row[0] < PUBLIC_AFTER:
        return None
    return Summary(row[0], float(row[1]), float(row[2]), float(row[3]))


# --- households and their cadre ---------------------------------------------------------

def by_card(household_id: int, code: str, session: Session | None = None,
            ) -> MonitoredHousehold | None:
    """The household whose contact card carries this code, or None."""
    state = _s(session).get(MonitoredHousehold, household_id)
    given = code.strip().upper().replace(" ", "")
    if state is None or not hmac.compare_digest(state.card_code.encode(), given.encode()):
        return None
    return state


def rate_cadre(actor: User | None, state: MonitoredHousehold, visits: int, help_: int,
               comment: str, session: Session | None = None) -> CadreRating:
    """`actor` is the village's secretary writing down the household's answer, or None when
    the household rates through its card code (the caller checked the code)."""
    session = _s(session)
    household = state.household
    if actor is not None:
        require(is_secretary(actor, household))
    if state.cadre_id is None:
        raise MonitoringError(_l("No cadre is named for this household yet."))
    if not (1 <= visits <= 5 and 1 <= help_ <= 5):
        raise MonitoringError(_l("Give every score from 1 to 5."))
    year = utcnow().year
    begin_write(session)
    _lock(session, select(MonitoredHousehold.household_id).where(
        MonitoredHousehold.household_id == household.id))
    if session.scalar(select(CadreRating.id).where(CadreRating.household_id == household.id,
                                                   CadreRating.year == year)):
        raise MonitoringError(_l("This household has already rated its cadre this year."))
    rating = CadreRating(household_id=household.id, cadre_id=state.cadre_id, year=year,
                         visits=visits, help=help_, comment=comment.strip()[:500],
                         via="secretary" if actor is not None else "card")
    session.add(rating)
    session.flush()
    audit.record(actor, "monitoring.cadre_rated", rating, after=audit.snapshot(rating),
                 session=session)
    return rating


def complain(state: MonitoredHousehold, body: str, session: Session | None = None,
             ) -> CadreComplaint:
    """Through the card code only: the county's verifiers hear it, not the village first."""
    session = _s(session)
    if not 10 <= len(body.strip()) <= 1000:
        raise MonitoringError(_l("Describe the problem in 10 to 1000 characters."))
    complaint = CadreComplaint(household_id=state.household_id, cadre_id=state.cadre_id,
                               body=body.strip())
    session.add(complaint)
    session.flush()
    audit.record(None, "monitoring.cadre_complaint", complaint,
                 after=audit.snapshot(complaint), session=session)
    alerts.tell_complaint(session, state.household, _link("monitoring.complaints"))
    return complaint


def complaints_for(actor: User, session: Session | None = None) -> list[CadreComplaint]:
    """Complaints about cadres of the verifier's jurisdiction, open ones first."""
    if actor.role != Role.VERIFIER or not actor.jurisdiction:
        return []
    query = (select(CadreComplaint).join(Household).join(Village)
             .order_by(CadreComplaint.status != "open", CadreComplaint.created_at.desc()))
    if actor.jurisdiction != COUNTRY:
        query = query.where(Village.county_code.startswith(actor.jurisdiction))
    return list(_s(session).scalars(query))


def decide_complaint(actor: User, complaint: CadreComplaint, uphold: bool, decision: str,
                     session: Session | None = None) -> None:
    session = _s(session)
    household: Household = complaint.household
    require(is_verifier_for(actor, household.village.county_code)
            and actor.id not in (complaint.cadre_id, household.village.secretary_id))
    if complaint.status != "open":
        raise MonitoringError(_l("This complaint is already decided."))
    if not decision.strip():
        raise MonitoringError(_l("Say what was decided."))
    complaint.status = "upheld" if uphold else "dismissed"
    complaint.decision, complaint.decided_by_id = decision.strip()[:500], actor.id
    complaint.decided_at = utcnow()
    audit.record(actor, "monitoring.complaint_decided", complaint,
                 after=audit.snapshot(complaint, ["status"]), session=session)
