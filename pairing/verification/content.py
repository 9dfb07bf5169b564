"""The light review of offers and needs, as two sections of the verifier's queue.

Enterprises and villages are verified before anything of theirs is public. Their offers
and needs are then public at once, marked "not yet checked" until a verifier of their
county has read them; they enter pairing rounds meanwhile (the owner is verified and
answerable, and a proposal binds nobody until both sides accept). A verifier either marks
one checked or withdraws it with a reason its owner reads. A change of its substance
(kind, quantity, description, ...) asks for a new check.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, event, inspect, or_, select
from sqlalchemy.orm import Session, contains_eager

from ..accounts.models import User
from ..audit import services as audit
from ..auth import place_filter
from ..db import utcnow
from ..enterprises.models import Enterprise, Offer
from ..enterprises.rules import Invalid
from ..enterprises.services import check_verifier
from ..extensions import db
from ..needs.models import Need
from ..needs.services import status_for
from ..places.models import Village
from .registry import Section, count_upto, register

SUBSTANCE = {Offer: ("kind", "quantity", "max_villages", "provinces", "starts_on", "ends_on",
                     "description"),
             Need: ("kind", "quantity", "priority", "sector", "description")}
CHECK_AUDIT = ("checked_at", "status", "quantity", "check_note")


@event.listens_for(Session, "before_flush")
def _ask_for_a_new_check(session: Session, _context: object, _instances: object) -> None:
    for obj in session.dirty:
        fields = SUBSTANCE.get(type(obj))
        if fields is None or obj.checked_at is None:
            continue
        state = inspect(obj)
        # The pairing services change only paired/met quantities; an owner lowering a paired
        # offer's quantity to what is paired (withdrawal) is no new substance either.
        changed = [n for n in fields if state.attrs[n].history.has_changes()]
        if changed and not (changed == ["quantity"] and _withdrawal(obj)):
            obj.checked_at, obj.checked_by_id = None, None


def _withdrawal(obj: Offer | Need) -> bool:
    done = obj.paired_quantity if isinstance(obj, Offer) else obj.met_quantity
    return obj.quantity == done


def _owner(obj: Offer | Need) -> tuple[str, tuple[int | None, ...], int | None]:
    """(county, people who may not check it, whom to tell)."""
    if isinstance(obj, Offer):
        e = obj.enterprise
        return e.county_code, (obj.created_by_id, e.officer_id, e.created_by_id), e.officer_id
    v = obj.village
    return v.county_code, (obj.created_by_id, v.secretary_id, v.created_by_id), v.secretary_id


def _waiting(model: type[Offer] | type[Need]) -> Callable[[User], Select]:
    """The query of what waits for this verifier: public, unchecked, not their own, inside
    their jurisdiction, oldest first."""
    owner_model = Enterprise if model is Offer else Village
    owner_fk = model.enterprise_id if model is Offer else model.village_id  # type: ignore[union-attr]
    person = Enterprise.officer_id if model is Offer else Village.secretary_id

    def query(actor: User) -> Select:
        # The order and the copied places meet the partial indexes of what waits
        # (check_queue_indexes).
        return (select(model).join(owner_model, owner_model.id == owner_fk)
                .where(model.public, model.checked_at.is_(None),
                       or_(model.created_by_id.is_(None), model.created_by_id != actor.id),
                       or_(person.is_(None), person != actor.id),
                       *place_filter(actor, model.county_code, model.province_code))
                .order_by(model.created_at, model.id))
    return query


def _pending(model: type[Offer] | type[Need]):  # noqa: ANN202
    owner = model.enterprise if model is Offer else model.village  # type: ignore[union-attr]
    query = _waiting(model)
    # The owner comes in the queue's own query (its county with the page's: queue()).
    eager = contains_eager(owner)
    return lambda actor, limit: list(db.session.scalars(
        query(actor).options(eager).limit(limit)).unique())


def check(actor: User, obj: Offer | Need, approve: bool, reason: str,
          session: Session | None = None) -> None:
    session = session or db.session
    county, owners, tell = _owner(obj)
    check_verifier(actor, county, owners)
    if not obj.public or obj.checked_at is not None:
        raise Invalid({"status": _l("This entry is not waiting for a check.")})
    reason = (reason or "").strip()
    if not approve and not reason:
        raise Invalid({"reason": _l("Give the reason for the rejection: the owner reads it.")})
    if len(reason) > 500:
        raise Invalid({"reason": _l("At most %(n)d characters.", n=500)})
    before = audit.snapshot(obj, CHECK_AUDIT)
    kind = "offer" if isinstance(obj, Offer) else "need"
    if approve:
        obj.checked_at, obj.checked_by_id = utcnow(), actor.id
    else:  # withdrawn as its owner would withdraw it: what is paired or met stays
        obj.check_note = reason
        if isinstance(obj, Offer):
            if obj.paired_quantity == 0:
                obj.status = "withdrawn"
            else:
                obj.quantity = obj.paired_quantity
        else:
            if obj.met_quantity == 0:
                obj.status = "withdrawn"
            else:
                obj.quantity = obj.met_quantity
                obj.status = status_for(obj)
    session.flush()
    audit.record(actor, f"{kind}.{'checked' if approve else 'check_withdrawn'}", obj,
                 before=before, after=audit.snapshot(obj, CHECK_AUDIT), session=session)
    if not approve:
        _tell_owner(session, tell, kind, obj)


def _tell_owner(session: Session, user_id: int | None, kind: str, obj: Offer | Need) -> None:
    """The one place the owner hears of a withdrawal (the matching inbox and e-mail)."""
    from ..matching import notify
    from ..matching.services import _link

    link = (_link("enterprises.show", ident=obj.enterprise_id) if isinstance(obj, Offer)
            else _link("places.village", ident=obj.village_id))
    notify.notify(session, user_id, f"check.{kind}_withdrawn", link, id=obj.id,
                  reason=obj.check_note)


def _notices() -> None:
    from ..notices import kinds

    kinds.register("check.offer_withdrawn", _l("A verifier withdrew your offer"),
                   _l("A verifier withdrew your offer %(id)s: %(reason)s"), kinds.DECISIONS,
                   ("enterprise",))
    kinds.register("check.need_withdrawn", _l("A verifier withdrew your need"),
                   _l("A verifier withdrew your need %(id)s: %(reason)s"), kinds.DECISIONS,
                   ("secretary",))


_notices()

register(Section(
    key="offers", title=_l("Offers not yet checked"), template="verification/_offer.html",
    pending=_pending(Offer), warnings=lambda items: {},
    count=lambda user, cap: count_upto(_waiting(Offer)(user), cap),
    load=lambda ident: db.session.get(Offer, ident),
    decide=lambda user, obj, ok, reason: check(user, obj, ok, reason), order=15))
register(Section(
    key="needs", title=_l("Needs not yet checked"), template="verification/_need.html",
    pending=_pending(Need), warnings=lambda items: {},
    count=lambda user, cap: count_upto(_waiting(Need)(user), cap),
    load=lambda ident: db.session.get(Need, ident),
    decide=lambda user, obj, ok, reason: check(user, obj, ok, reason), order=25))
