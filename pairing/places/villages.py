"""Villages: registration by a secretary, correction and resubmission, hand-over by a
coordinator, verification, and the public query."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ARRAY, Select, String, and_, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..auth import may_act_on, place_filter
from ..extensions import db
from .models import Village
from .rules import Invalid, NotAllowed, check_village, decide, raise_if

FIELDS = ("name", "county_code", "population", "households", "poor_households",
          "poor_population", "income_per_capita", "deep_poverty", "description")
AUDITED = FIELDS + ("status", "reject_reason", "secretary_id")


def _session(session: Session | None) -> Session:
    return session or db.session


def _clash(session: Session, data: dict, own_id: int | None = None) -> bool:
    q = select(Village.id).where(Village.county_code == data["county_code"],
                                 Village.name == data["name"])
    if own_id is not None:
        q = q.where(Village.id != own_id)
    return session.scalar(q) is not None


def register_village(actor: User, data: dict, session: Session | None = None) -> Village:
    """A secretary registers their village (they become its secretary); a coordinator may
    register one for a secretary named later. It waits for a verifier."""
    session = _session(session)
    if actor.role not in (Role.SECRETARY, Role.COORDINATOR):
        raise NotAllowed
    data = {k: data.get(k) for k in FIELDS}
    errors = check_village(session, data)
    if not errors and _clash(session, data):
        errors["name"] = _l("This county already has a village of this name.")
    raise_if(errors)
    # A coordinator registers villages of their own jurisdiction only (issue 18, item 3).
    if actor.role == Role.COORDINATOR and not may_act_on(actor, data["county_code"]):
        raise NotAllowed
    village = Village(**data, created_by_id=actor.id, status="pending",
                      secretary_id=actor.id if actor.role == Role.SECRETARY else None)
    session.add(village)
    session.flush()
    audit.record(actor, "village.register", village,
                 after=audit.snapshot(village, AUDITED), session=session)
    return village


def may_edit_village(actor: User, village: Village) -> bool:
    return actor.is_authenticated and actor.role == Role.SECRETARY \
        and village.secretary_id == actor.id


def update_village(actor: User, village: Village, data: dict,
                   session: Session | None = None) -> Village:
    """The secretary corrects the figures; the village goes back to the verifier."""
    session = _session(session)
    if not may_edit_village(actor, village):
        raise NotAllowed
    data = {k: data.get(k) for k in FIELDS}
    errors = check_village(session, data)
    if not errors and _clash(session, data, village.id):
        errors["name"] = _l("This county already has a village of this name.")
    raise_if(errors)
    before = audit.snapshot(village, AUDITED)
    for key, value in data.items():
        setattr(village, key, value)
    action = "village.resubmit" if village.status == "rejected" else "village.update"
    village.status = "pending"
    village.reject_reason = ""
    village.verified_by_id = None
    village.verified_at = None
    session.flush()
    audit.record(actor, action, village, before=before,
                 after=audit.snapshot(village, AUDITED), session=session)
    return village


def hand_over(actor: User, village: Village, secretary: User,
              session: Session | None = None) -> Village:
    """A coordinator gives the village to another secretary (one responsible at a time)."""
    session = _session(session)
    if actor.role != Role.COORDINATOR or not actor.covers(village.county_code):
        raise NotAllowed
    if secretary.role != Role.SECRETARY or not secretary.active:
        raise Invalid({"email": _l("No active secretary has this e-mail address.")})
    before = audit.snapshot(village, ("secretary_id",))
    village.secretary_id = secretary.id
    session.flush()
    audit.record(actor, "village.hand_over", village, before=before,
                 after=audit.snapshot(village, ("secretary_id",)), session=session)
    return village


def verify_village(actor: User, village: Village, approve: bool, reason: str = "",
                   session: Session | None = None) -> None:
    decide(actor, village, approve, reason, "village",  # type: ignore[arg-type]
           (village.created_by_id, village.secretary_id), _session(session))


def villages_of(actor: User, session: Session | None = None) -> list[Village]:
    return list(_session(session).scalars(
        select(Village).where(Village.secretary_id == actor.id).order_by(Village.id)))


def pending_villages(actor: User) -> Select:
    q = (select(Village).where(Village.status == "pending")
         .where(or_(Village.created_by_id.is_(None), Village.created_by_id != actor.id))
         .where(or_(Village.secretary_id.is_(None), Village.secretary_id != actor.id))
         .where(*place_filter(actor, Village.county_code, Village.province_code))
         .order_by(Village.created_at, Village.id))
    return q


def _core(name: str) -> str:
    return name.strip().removesuffix("村").removesuffix("行政")


# A name whose _core is c is c with one of these endings (names are stored stripped).
_ENDINGS = ("", "村", "行政", "行政村")


def _villages_named(session: Session, pairs: list[tuple[str, str]]) -> list:
    """(id, county, name) of the villages with these (county, name): probes of the
    (county, name) unique index, not each county's villages read (a national queue page
    read 3,000 names)."""
    columns = (Village.id, Village.county_code, Village.name)
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(select(*columns).where(
            tuple_(Village.county_code, Village.name).in_(pairs))).all()
    # Two arrays unnested into rows: one plan whatever the pairs, 1.5 ms with its building
    # where a row-IN list cost 2.8 and an OR per county 3.2 (40 pairs, national data).
    wanted = select(func.unnest(literal([c for c, _n in pairs], ARRAY(String))).label("c"),
                    func.unnest(literal([n for _c, n in pairs], ARRAY(String))).label("n")
                    ).subquery()
    return session.execute(select(*columns).join(wanted, and_(
        Village.county_code == wanted.c.c, Village.name == wanted.c.n))).all()


def village_warnings(items: list[Village], session: Session | None = None
                     ) -> dict[int, list[object]]:
    """Figures that do not add up, and a village that seems to exist already."""
    session = _session(session)
    warnings: dict[int, list[object]] = {v.id: [] for v in items}
    pairs = sorted({(v.county_code, _core(v.name) + e) for v in items for e in _ENDINGS})
    others = _villages_named(session, pairs) if items else []
    named: dict[tuple[str, str], set[int]] = {}
    for i, c, n in others:
        named.setdefault((c, _core(n)), set()).add(i)
    for v in items:
        w = warnings[v.id]
        if named.get((v.county_code, _core(v.name)), set()) - {v.id}:
            w.append(_l("A village of nearly the same name exists in this county."))
        if v.poor_households > v.households:
            w.append(_l("More poor households than households."))
        if v.poor_population > v.population:
            w.append(_l("Poverty incidence over 100%: more poor people than people."))
        if v.households > v.population:
            w.append(_l("More households than people."))
        if v.poor_households and v.poor_population < v.poor_households:
            w.append(_l("Fewer poor people than poor households."))
        if v.population == 0:
            w.append(_l("No population given."))
        if v.income_per_capita and not 500 <= v.income_per_capita <= 30000:
            w.append(_l("Implausible income per head: %(n)s yuan a year.",
                        n=v.income_per_capita))
    return warnings


def public_villages() -> Select:
    return select(Village).where(Village.status == "verified")


def count_public(session: Session | None = None) -> int:
    return _session(session).scalar(select(func.count()).select_from(public_villages()
                                                                      .subquery())) or 0
