"""Keeps the columns the public lists filter on right, on every flush.

Offers and needs carry copies of their owner's place (county, province), their kind's
mechanism and a `public` flag (owner verified, row active/open), so /offers and /needs are
served by one composite index without a join; villages and enterprises carry their
province. A before-flush hook sets them whenever an owner is verified, rejected,
resubmitted or moved, or a row is created or changes status, whichever service (or area)
made the change. Bulk loads that bypass the ORM (pairing/needs/national.py) fill the
columns themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from solver.taxonomy import KINDS

from ..enterprises.models import Enterprise, Offer, SearchGram
from ..places.models import Village
from .models import Need

OPEN_NEEDS = ("open", "partly_met")
SEARCHED: dict[type, tuple[str, ...]] = {
    Offer: ("description",), Need: ("description",),
    Village: ("name", "description"), Enterprise: ("name", "description")}
PENDING = "listing_grams"  # session.info key: rows whose grams are rewritten after flush


def grams(text: str | None) -> set[str]:
    """The distinct 1- and 2-character pieces of a text, lower case, without blanks."""
    text = (text or "").lower()
    pieces = {c for c in text} | {text[i:i + 2] for i in range(len(text) - 1)}
    return {p for p in pieces if p.strip() == p and p}


def gram_rows(table: str, ref_id: int, values: dict[str, str | None]) -> Iterator[dict]:
    for column, value in values.items():
        for gram in grams(value):
            yield {"source": f"{table}.{column}", "gram": gram, "ref_id": ref_id}


def _sources(model: type) -> list[str]:
    return [f"{model.__tablename__}.{c}" for c in SEARCHED[model]]  # type: ignore[attr-defined]


def _write_grams(session: Session, objs: Iterable[object], deleted: Iterable[object]) -> None:
    conn = session.connection()
    for obj in list(objs) + list(deleted):
        model = type(obj)
        conn.execute(delete(SearchGram).where(SearchGram.source.in_(_sources(model)),
                                              SearchGram.ref_id == obj.id))  # type: ignore[attr-defined]
    rows = [row for obj in objs for row in gram_rows(
        type(obj).__tablename__, obj.id,  # type: ignore[attr-defined]
        {c: getattr(obj, c) for c in SEARCHED[type(obj)]})]
    if rows:
        conn.execute(insert(SearchGram), rows)


def place_offer(offer: Offer, enterprise: Enterprise) -> None:
    offer.county_code = enterprise.county_code
    offer.province_code = enterprise.county_code[:2]
    offer.mechanism = KINDS[offer.kind][0] if offer.kind in KINDS else ""
    # A new row's status may still be None: the column default applies at INSERT.
    offer.public = enterprise.status == "verified" and (offer.status or "active") == "active"


def place_need(need: Need, village: Village) -> None:
    need.county_code = village.county_code
    need.province_code = village.county_code[:2]
    need.mechanism = KINDS[need.kind][0] if need.kind in KINDS else ""
    need.public = village.status == "verified" and (need.status or "open") in OPEN_NEEDS


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


@event.listens_for(Session, "before_flush")
def _keep_listing_columns(session: Session, _context: object, _instances: object) -> None:
    with session.no_autoflush:
        for obj in list(session.new) + list(session.dirty):
            if type(obj) in SEARCHED and (obj in session.new
                                          or _changed(obj, *SEARCHED[type(obj)])):
                session.info.setdefault(PENDING, set()).add(obj)
            if isinstance(obj, Enterprise | Village) and obj.county_code:
                obj.province_code = obj.county_code[:2]
            if isinstance(obj, Offer):
                owner = obj.enterprise or session.get(Enterprise, obj.enterprise_id)
                if owner is not None:
                    place_offer(obj, owner)
            elif isinstance(obj, Need):
                owner = obj.village or session.get(Village, obj.village_id)
                if owner is not None:
                    place_need(obj, owner)
            elif isinstance(obj, Enterprise) and obj not in session.new \
                    and _changed(obj, "status", "county_code"):
                for offer in obj.offers:
                    place_offer(offer, obj)
            elif isinstance(obj, Village) and obj not in session.new \
                    and _changed(obj, "status", "county_code"):
                for need in session.scalars(select(Need).where(Need.village_id == obj.id)):
                    place_need(need, obj)


@event.listens_for(Session, "after_flush")
def _keep_grams(session: Session, _context: object) -> None:
    objs = session.info.pop(PENDING, set())
    deleted = [o for o in session.deleted if type(o) in SEARCHED]
    if objs or deleted:
        _write_grams(session, [o for o in objs if o not in session.deleted], deleted)
