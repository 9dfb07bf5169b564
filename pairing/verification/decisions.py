"""A verifier's decision on an entry of the queue: warnings block approval until the
verifier overrides them with a reason (kept in the audit log), and the decision may be
undone for UNDO_WINDOW.

Undo is "applied and reversible", not "held": the decision takes effect at once (the
owner's page, the public lists and the notices say so), and undoing it puts the entry
back in the queue only while nothing depends on it yet: no pairing round proposed the
verified enterprise's offers or village's needs, no gift or payout touched the request.
Sections that move money (payouts, reported problems that refund gifts) cannot be
undone. Every step locks the entry's row (pairing.db.lock), so an undo and a round, a
gift or a second verifier wait for each other instead of interleaving.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import User
from ..audit import services as audit
from ..db import begin_write, lock, utcnow
from ..enterprises.models import Enterprise, Offer
from ..enterprises.rules import Invalid, NotAllowed
from ..needs.models import Need
from ..places.models import Village
from .models import VerificationDecision
from .registry import Section

UNDO_WINDOW = timedelta(minutes=2)
OVERRIDE_MIN = 10  # characters: "ok" is not a reason


def describe(section: Section, obj: object) -> str:
    """What was decided on, as the flash message and the undo list name it."""
    from ..giving.forms import PURPOSE_LABELS  # giving sits above verification (areas.py)
    from ..giving.models import HelpRequest

    if isinstance(obj, Enterprise):
        return str(_l("the enterprise %(name)s", name=obj.name))
    if isinstance(obj, Village):
        return str(_l("the village %(name)s", name=obj.name))
    if isinstance(obj, Offer):
        return str(_l("offer %(id)s of %(name)s", id=obj.id, name=obj.enterprise.name))
    if isinstance(obj, Need):
        return str(_l("need %(id)s of %(name)s", id=obj.id, name=obj.village.name))
    if isinstance(obj, HelpRequest):
        return str(_l("the %(purpose)s request of %(village)s",
                      purpose=PURPOSE_LABELS.get(obj.purpose, obj.purpose),
                      village=obj.village.name))
    return str(_l("%(section)s number %(id)s", section=section.title,
                  id=getattr(obj, "id", "")))


def may_decide(actor: User, obj: object) -> bool:
    """Whether the actor may decide on the entry at all: asked before the confirmation
    page shows it, with the same rules the services apply when deciding."""
    from ..enterprises.services import check_verifier
    from ..giving import services as giving
    from ..giving.models import Complaint, Disbursement, HelpRequest

    if isinstance(obj, Enterprise | Village):
        owner = obj.officer_id if isinstance(obj, Enterprise) else obj.secretary_id
        try:
            check_verifier(actor, obj.county_code, (obj.created_by_id, owner))
        except NotAllowed:
            return False
        return True
    if isinstance(obj, Offer | Need):
        from .content import _owner

        county, owners, _tell = _owner(obj)
        try:
            check_verifier(actor, county, owners)
        except NotAllowed:
            return False
        return True
    if isinstance(obj, HelpRequest):
        return giving.may_verify(actor, obj)
    if isinstance(obj, Disbursement):
        return giving.may_verify(actor, obj.request)
    if isinstance(obj, Complaint):
        from ..giving.policy import may_decide_complaint

        return may_decide_complaint(actor, obj)
    return False  # a section this module does not know: decided nowhere until it does


def warnings_of(section: Section, obj: object) -> list[str]:
    return [str(w) for w in section.warnings([obj]).get(obj.id, [])]  # type: ignore[attr-defined]


def apply(actor: User, section: Section, obj: object, approve: bool, reason: str,
          override: str, session: Session) -> VerificationDecision:
    """Decide, refusing an approval over warnings without an override reason."""
    begin_write(session)
    obj = lock(session, type(obj), obj.id) or obj  # type: ignore[attr-defined]
    warnings = warnings_of(section, obj) if approve else []
    override = (override or "").strip()
    if warnings and len(override) < OVERRIDE_MIN:
        raise Invalid({"override": _l(
            "This entry has warnings: resolve them (reject it so the owner corrects it) or "
            "say in at least %(n)d characters why you approve it anyway.", n=OVERRIDE_MIN)})
    if len(override) > 500:
        raise Invalid({"override": _l("At most %(n)d characters.", n=500)})
    section.decide(actor, obj, approve, reason)
    decision = VerificationDecision(
        section=section.key, object_id=obj.id, actor_id=actor.id,  # type: ignore[attr-defined]
        approve=approve, reason=(reason or "").strip()[:500], warnings=warnings,
        override_reason=override if warnings else "", created_at=utcnow())
    session.add(decision)
    session.flush()
    if warnings:
        audit.record(actor, "verification.override", decision,
                     after={"section": section.key, "object_id": decision.object_id,
                            "warnings": warnings, "reason": override}, session=session)
    return decision


# Undo ---------------------------------------------------------------------------------

def _entity_undo(model: type, used: Callable[[int, datetime, Session], bool]):  # noqa: ANN202
    def undo(obj: Enterprise | Village, decision: VerificationDecision,
             session: Session) -> None:
        if obj.status != ("verified" if decision.approve else "rejected"):
            raise Invalid({"status": _l("The entry changed since: it cannot be undone.")})
        if decision.approve and used(obj.id, decision.created_at, session):
            raise Invalid({"status": _l("A pairing round has already proposed it: the "
                                        "decision stands.")})
        obj.status, obj.reject_reason = "pending", ""
        obj.verified_by_id, obj.verified_at = None, None
    return undo


def _offers_proposed(enterprise_id: int, since: datetime, session: Session) -> bool:
    from ..matching.models import Proposal

    return bool(session.scalar(select(exists().where(
        Proposal.offer_id == Offer.id, Offer.enterprise_id == enterprise_id,
        Proposal.created_at >= since))))


def _needs_proposed(village_id: int, since: datetime, session: Session) -> bool:
    from ..matching.models import Proposal

    return bool(session.scalar(select(exists().where(
        Proposal.need_id == Need.id, Need.village_id == village_id,
        Proposal.created_at >= since))))


def _request_undo(req: Any, decision: VerificationDecision, session: Session) -> None:
    if req.status != ("notice" if decision.approve else "rejected"):
        raise Invalid({"status": _l("The entry changed since: it cannot be undone.")})
    if req.raised_fen or req.pledged_fen or req.disbursed_fen:
        raise Invalid({"status": _l("Gifts were already made: the decision stands.")})
    req.status, req.reject_reason = "submitted", ""
    req.verified_by_id, req.verified_at, req.notice_until = None, None, None


def _check_undo(obj: Offer | Need, decision: VerificationDecision, session: Session) -> None:
    if not decision.approve:
        raise Invalid({"status": _l("A withdrawal cannot be undone: the owner may post it "
                                    "again.")})
    if obj.checked_at is None or obj.checked_by_id != decision.actor_id:
        raise Invalid({"status": _l("The entry changed since: it cannot be undone.")})
    obj.checked_at, obj.checked_by_id = None, None


# Sections whose decisions may be undone: section key -> (model, revert). Help requests
# are added by undo_table() on first use (giving sits above verification, areas.py).
UNDO_KEYS = ("enterprises", "villages", "help_requests", "offers", "needs")


def undo_table() -> dict[str, tuple[type, Callable[..., None]]]:
    from ..giving.models import HelpRequest

    return {
        "enterprises": (Enterprise, _entity_undo(Enterprise, _offers_proposed)),
        "villages": (Village, _entity_undo(Village, _needs_proposed)),
        "help_requests": (HelpRequest, _request_undo),
        "offers": (Offer, _check_undo),
        "needs": (Need, _check_undo),
    }


def undoable(decision: VerificationDecision, now: datetime | None = None) -> bool:
    return (decision.section in UNDO_KEYS and decision.undone_at is None
            and (now or utcnow()) < decision.created_at + UNDO_WINDOW)


def recent(actor: User, session: Session) -> list[VerificationDecision]:
    """The actor's decisions that may still be undone, newest first."""
    rows = session.scalars(select(VerificationDecision).where(
        VerificationDecision.actor_id == actor.id,
        VerificationDecision.created_at >= utcnow() - UNDO_WINDOW,
        VerificationDecision.undone_at.is_(None)).order_by(VerificationDecision.id.desc()))
    return [d for d in rows if undoable(d)]


def entries_of(decisions: list[VerificationDecision], session: Session
               ) -> dict[tuple[str, int], object]:
    """The entries the decisions were on, by (section, id): one query a section, with what
    describe() names (a verifier working through the queue has a dozen decisions that may
    be undone; loading each, then its owner, cost two queries apiece)."""
    from ..giving.models import HelpRequest

    named = {Offer: Offer.enterprise, Need: Need.village, HelpRequest: HelpRequest.village}
    wanted: dict[str, set[int]] = {}
    for d in decisions:
        wanted.setdefault(d.section, set()).add(d.object_id)
    found: dict[tuple[str, int], object] = {}
    table = undo_table()
    for section, ids in wanted.items():
        model = table[section][0]
        query = select(model).where(model.id.in_(sorted(ids)))
        if model in named:
            query = query.options(joinedload(named[model]))
        found.update(((section, o.id), o) for o in session.scalars(query))
    return found


def undo(actor: User, decision_id: int, session: Session) -> tuple[VerificationDecision, object]:
    begin_write(session)
    decision = lock(session, VerificationDecision, decision_id)
    if decision is None or decision.actor_id != actor.id:
        raise NotAllowed()
    if not undoable(decision):
        raise Invalid({"status": _l("The time to undo this decision has passed.")})
    model, revert = undo_table()[decision.section]
    obj = lock(session, model, decision.object_id)
    if obj is None:
        raise Invalid({"status": _l("The entry changed since: it cannot be undone.")})
    before = audit.snapshot(obj, ("status", "reject_reason"))
    revert(obj, decision, session)
    decision.undone_at = utcnow()
    session.flush()
    audit.record(actor, "verification.undo", obj, before=before,
                 after=audit.snapshot(obj, ("status", "reject_reason")), session=session)
    return decision, obj


def approvals_undone(session: Session) -> tuple[list[int], list[int]]:
    """(enterprise ids, village ids) verified a moment ago and no longer verified: their
    approval was undone while a pairing round solved, so the round must not propose them.
    Every approval still inside its undo window is locked first (FOR SHARE): an undo
    waits until the round commits, then finds its proposals and refuses."""
    cutoff = utcnow() - UNDO_WINDOW - timedelta(minutes=1)  # a margin for two hosts' clocks
    rows = session.execute(select(VerificationDecision.section, VerificationDecision.object_id)
                           .where(VerificationDecision.section.in_(("enterprises", "villages")),
                                  VerificationDecision.approve.is_(True),
                                  VerificationDecision.created_at >= cutoff)
                           .with_for_update(read=True)).all()
    found: dict[str, list[int]] = {"enterprises": [], "villages": []}
    for section, model in (("enterprises", Enterprise), ("villages", Village)):
        ids = [i for s, i in rows if s == section]
        if ids:
            found[section] = list(session.scalars(select(model.id).where(
                model.id.in_(ids), model.status != "verified")))
    return found["enterprises"], found["villages"]
