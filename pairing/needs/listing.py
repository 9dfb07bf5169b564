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

from ..enterprises.models import Enterprise, Offer, SearchGram, grams, search_source
from ..places.models import Village
from .models import Need

OPEN_NEEDS = ("open", "partly_met")
SEARCHED: dict[type, tuple[str, ...]] = {
    Offer: ("description",), Need: ("description",),
    Village: ("name", "description"), Enterprise: ("name", "description")}
# An offer is found by its enterprise's name too, a need by its village's: the owner's name
# is part of the row's searched text (kept when the owner is renamed), so that a search is
# one run of search_grams in id order instead of a union that must be gathered and sorted.
OWNERS: dict[type, tuple[str, type]] = {Offer: ("enterprise_id", Enterprise),
                                        Need: ("village_id", Village)}
PENDING = "listing_grams"  # session.info key: rows whose grams are rewritten after flush


def gram_rows(table: str, ref_id: int, texts: Iterable[str | None]) -> Iterator[dict]:
    """The rows of one searched row: the grams of each text apart (no piece spans two)."""
    found: set[str] = set()
    for text_ in texts:
        found |= grams(text_)
    for gram in found:
        yield {"source": f"{table}.text", "gram": gram, "ref_id": ref_id}


def searched_texts(session: Session, obj: object) -> list[str | None]:
    texts = [getattr(obj, c) for c in SEARCHED[type(obj)]]
    if type(obj) in OWNERS:
        key, owner_model = OWNERS[type(obj)]
        owner = session.get(owner_model, getattr(obj, key))
        texts.append(owner.name if owner is not None else None)  # type: ignore[attr-defined]
    return texts


def _write_grams(session: Session, objs: Iterable[object], deleted: Iterable[object]) -> None:
    conn = session.connection()
    objs = list(objs)
    for obj in objs + list(deleted):
        conn.execute(delete(SearchGram).where(SearchGram.source == search_source(type(obj)),
                                              SearchGram.ref_id == obj.id))  # type: ignore[attr-defined]
    with session.no_autoflush:
        rows = [row for obj in objs for row in gram_rows(
            type(obj).__tablename__, obj.id, searched_texts(session, obj))]  # type: ignore[attr-defined]
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
                    and _changed(obj, "status", "county_code", "name"):
                for offer in obj.offers:
                    place_offer(offer, obj)
                    if _changed(obj, "name"):
                        session.info.setdefault(PENDING, set()).add(offer)
            elif isinstance(obj, Village) and obj not in session.new \
                    and _changed(obj, "status", "county_code", "name"):
                for need in session.scalars(select(Need).where(Need.village_id == obj.id)):
                    place_need(need, obj)
                    if _changed(obj, "name"):
                        session.info.setdefault(PENDING, set()).add(need)


@event.listens_for(Session, "after_flush")
def _keep_grams(session: Session, _context: object) -> None:
    objs = session.info.pop(PENDING, set())
    deleted = [o for o in session.deleted if type(o) in SEARCHED]
    if objs or deleted:
        _write_grams(session, [o for o in objs if o not in session.deleted], deleted)
