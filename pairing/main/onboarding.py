"""First steps per role, on the home page after log-in. Each step's state is read from the
data (never stored), with the link to the action that moves it on."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..enterprises.models import Enterprise, Offer
from ..needs.models import Need
from ..places.models import Village

DONE, TODO, WAIT, BLOCKED = "done", "todo", "wait", "blocked"


@dataclass(frozen=True)
class Step:
    title: object
    state: str  # DONE, TODO (the person acts), WAIT (someone else acts), BLOCKED (refused)
    note: object = ""
    link: str = ""


def _count(session: Session, query) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _owner_steps(session: Session, owners: list, kind: str) -> list[Step]:
    """The enterprise's or the village's first two steps: registered, then verified."""
    is_ent = kind == "enterprise"
    new = url_for("enterprises.new" if is_ent else "places.new_village")
    mine = url_for("enterprises.mine" if is_ent else "places.my_villages")
    if not owners:
        return [Step(_l("Register your enterprise") if is_ent else _l("Register your village"),
                     TODO, link=new)]
    steps = [Step(_l("Register your enterprise") if is_ent else _l("Register your village"),
                  DONE, link=mine)]
    statuses = {o.status for o in owners}
    if "verified" in statuses:
        steps.append(Step(_l("Verification by the county"), DONE, _l("Public."), mine))
    elif "rejected" in statuses:
        reason = next(o.reject_reason for o in owners if o.status == "rejected")
        steps.append(Step(_l("Verification by the county"), BLOCKED,
                          _l("Refused: %(why)s. Correct the entry and save it to send it "
                             "again.", why=reason), mine))
    else:
        steps.append(Step(_l("Verification by the county"), WAIT,
                          _l("Waiting for verification, not public yet: nothing you post is "
                             "shown or proposed until a verifier of your county approves."),
                          mine))
    return steps


def _proposal_step(session: Session, user: User) -> Step:
    from ..matching.models import Proposal

    q = (select(Proposal.id).join(Offer, Offer.id == Proposal.offer_id)
         .join(Enterprise, Enterprise.id == Offer.enterprise_id)
         .join(Need, Need.id == Proposal.need_id).join(Village, Village.id == Need.village_id)
         .where(Proposal.status == "pending"))
    if user.role == Role.ENTERPRISE:
        q = q.where(Enterprise.officer_id == user.id, Proposal.enterprise_answer.is_(None))
    else:
        q = q.where(Village.secretary_id == user.id, Proposal.village_answer.is_(None))
    waiting = _count(session, q)
    return Step(_l("Answer proposed pairings"), TODO if waiting else DONE,
                _l("%(n)s proposals wait for your answer.", n=waiting) if waiting
                else _l("Nothing waits; a pairing round proposes partners."),
                url_for("matching.proposals"))


def enterprise_steps(session: Session, user: User) -> list[Step]:
    owners = list(session.scalars(select(Enterprise).where(Enterprise.officer_id == user.id)))
    steps = _owner_steps(session, owners, "enterprise")
    if not owners:
        return steps
    offers = session.scalar(select(func.count(Offer.id)).where(
        Offer.enterprise_id.in_([e.id for e in owners]), Offer.status == "active")) or 0
    first = owners[0]
    steps.append(Step(_l("Post an offer"), DONE if offers else TODO,
                      _l("%(n)s active offers.", n=offers) if offers else "",
                      url_for("enterprises.show", ident=first.id) if offers
                      else url_for("enterprises.new_offer", ident=first.id)))
    if any(o.status == "verified" for o in owners):
        steps.append(_proposal_step(session, user))
    return steps


def secretary_steps(session: Session, user: User) -> list[Step]:
    from ..giving.models import Household

    owners = list(session.scalars(select(Village).where(Village.secretary_id == user.id)))
    steps = _owner_steps(session, owners, "village")
    if not owners:
        return steps
    ids = [v.id for v in owners]
    needs = session.scalar(select(func.count(Need.id)).where(
        Need.village_id.in_(ids), Need.status.in_(("open", "partly_met")))) or 0
    steps.append(Step(_l("Post the village's needs"), DONE if needs else TODO,
                      _l("%(n)s open needs.", n=needs) if needs else "",
                      url_for("places.village", ident=owners[0].id) if needs
                      else url_for("needs.new", ident=owners[0].id)))
    households = session.scalar(select(func.count(Household.id)).where(
        Household.village_id.in_(ids))) or 0
    steps.append(Step(_l("Register households that need help"), DONE if households else TODO,
                      _l("%(n)s households registered.", n=households) if households else "",
                      url_for("giving.households") if households
                      else url_for("giving.new_household")))
    if any(v.status == "verified" for v in owners):
        steps.append(_proposal_step(session, user))
    return steps


def donor_steps(session: Session, user: User) -> list[Step]:
    from ..giving.models import Donation

    gifts = session.scalar(select(func.count(Donation.id)).where(
        Donation.donor_id == user.id)) or 0
    return [Step(_l("Choose a verified request and give"), DONE if gifts else TODO,
                 _l("%(n)s gifts so far.", n=gifts) if gifts else "",
                 url_for("giving.crowdfunding")),
            Step(_l("Follow where your gifts went"), DONE if gifts else TODO, "",
                 url_for("giving.my_gifts"))]


def verifier_steps(session: Session, user: User) -> list[Step]:
    from ..verification import services

    waiting, more = services.waiting(user, services.HOME_CAP)
    if not waiting:
        told = _l("Nothing waits.")
    elif more:
        told = _l("More than %(n)s entries wait; the oldest come first.", n=waiting)
    else:
        told = _l("%(n)s entries wait.", n=waiting)
    return [Step(_l("Decide what waits in your jurisdiction"), TODO if waiting else DONE,
                 told, url_for("verification.queue"))]


def coordinator_steps(session: Session, user: User) -> list[Step]:
    from ..matching.models import Round

    last = session.scalar(select(Round).where(Round.status == "done")
                          .order_by(Round.finished_at.desc()).limit(1))
    return [Step(_l("Run a pairing round"), DONE if last else TODO,
                 _l("Last finished: round %(n)s.", n=last.id) if last else "",
                 url_for("matching.rounds")),
            Step(_l("Watch the dashboard"), DONE, "", url_for("stats.dashboard"))]


STEPS = {Role.ENTERPRISE: enterprise_steps, Role.SECRETARY: secretary_steps,
         Role.DONOR: donor_steps, Role.VERIFIER: verifier_steps,
         Role.COORDINATOR: coordinator_steps}


def steps_for(session: Session, user: User) -> list[Step]:
    if not getattr(user, "is_authenticated", False) or user.role not in STEPS:
        return []
    return STEPS[user.role](session, user)
