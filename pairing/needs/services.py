"""Village needs: posting, editing the unmet remainder, withdrawing, the public query."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..enterprises.rules import Invalid, NotAllowed, check_frozen, check_need, raise_if
from ..extensions import db
from ..places.models import Village
from ..places.villages import may_edit_village
from .models import Need

FIELDS = ("kind", "quantity", "priority", "sector", "description")
AUDITED = FIELDS + ("status", "met_quantity")


def _session(session: Session | None) -> Session:
    return session or db.session


def status_for(need: Need) -> str:
    """open / partly_met / met from what pairings have met (withdrawn stays)."""
    if need.status == "withdrawn":
        return "withdrawn"
    if need.met_quantity <= 0:
        return "open"
    return "met" if need.met_quantity >= need.quantity else "partly_met"


def create_need(actor: User, village: Village, data: dict,
                session: Session | None = None) -> Need:
    session = _session(session)
    if not may_edit_village(actor, village):
        raise NotAllowed
    data = {k: data.get(k) for k in FIELDS}
    raise_if(check_need(data))
    need = Need(**data, village=village, created_by_id=actor.id, status="open",
                met_quantity=0)
    session.add(need)
    session.flush()
    audit.record(actor, "need.create", need, after=audit.snapshot(need, AUDITED),
                 session=session)
    return need


def update_need(actor: User, need: Need, data: dict, session: Session | None = None) -> Need:
    """Everything may change while nothing is met; afterwards only the quantity, never
    below what is met."""
    session = _session(session)
    if not may_edit_village(actor, need.village):
        raise NotAllowed
    if need.status in ("withdrawn", "met"):
        raise Invalid({"status": _l("This need can no longer be changed.")})
    data = {k: data.get(k) for k in FIELDS}
    errors = check_need(data)
    check_frozen(errors, need, data, FIELDS, need.met_quantity,
                 frozen=_l("Pairings meet part of this need: only the unmet remainder can "
                           "change."),
                 below=_l("Already met: the quantity cannot go below %(n)s.",
                          n=need.met_quantity))
    raise_if(errors)
    before = audit.snapshot(need, AUDITED)
    for key, value in data.items():
        setattr(need, key, value)
    need.status = status_for(need)
    session.flush()
    audit.record(actor, "need.update", need, before=before,
                 after=audit.snapshot(need, AUDITED), session=session)
    return need


def withdraw_need(actor: User, need: Need, session: Session | None = None) -> Need:
    """Nothing met: withdrawn. Partly met: the unmet remainder is withdrawn (met)."""
    session = _session(session)
    if not may_edit_village(actor, need.village):
        raise NotAllowed
    if need.status in ("withdrawn", "met"):
        raise Invalid({"status": _l("Nothing of this need is left to withdraw.")})
    before = audit.snapshot(need, AUDITED)
    if need.met_quantity == 0:
        need.status = "withdrawn"
    else:
        need.quantity = need.met_quantity
        need.status = status_for(need)
    session.flush()
    audit.record(actor, "need.withdraw", need, before=before,
                 after=audit.snapshot(need, AUDITED), session=session)
    return need


def public_needs() -> Select:
    """Open or partly met needs of verified villages (the copied `public` flag, see
    listing.py): what pages show and rounds use."""
    return select(Need).join(Need.village).where(Need.public)


def change_met(actor: User | None, need: Need, delta: int,
               session: Session | None = None) -> Need:
    """Confirmed deliveries meet (delta > 0) part of a need; the status follows. Called by
    the matching services with the need row already locked."""
    session = _session(session)
    before = audit.snapshot(need, ("met_quantity", "status"))
    need.met_quantity = max(0, min(need.quantity, need.met_quantity + delta))
    need.status = status_for(need)
    session.flush()
    audit.record(actor, "need.met", need, before=before,
                 after=audit.snapshot(need, ("met_quantity", "status")), session=session)
    return need
