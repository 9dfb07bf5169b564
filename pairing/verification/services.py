"""The verifier's queue: enterprises and villages are registered here as sections."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..enterprises import services as enterprises
from ..enterprises.models import Enterprise
from ..extensions import db
from ..places import villages
from ..places.models import County, Village
from .registry import Section, count_upto, register, sections

# Entries shown per section, oldest first: decided ones leave the queue and the next come
# up. Each card costs about 0.5 ms of the server's time and 1.4 kB: a national verifier's
# page of 100 a section took 0.6 s, of 10 (40 cards) 45-55 ms on this 2-core machine and
# 58 kB, which a phone scrolls through before the last section. Five make a batch.
LIMIT = 5
# The home page counts what waits in SQL up to this many a section, loading none of it.
HOME_CAP = 100


def _pending(query_for):  # noqa: ANN001, ANN202
    return lambda user, limit: list(db.session.scalars(query_for(user).limit(limit)).unique())


def _count(query_for):  # noqa: ANN001, ANN202
    return lambda user, cap: count_upto(query_for(user), cap)


register(Section(
    key="enterprises", title=_l("Enterprises"), template="verification/_enterprise.html",
    pending=_pending(enterprises.pending_enterprises),
    count=_count(enterprises.pending_enterprises),
    warnings=enterprises.enterprise_warnings,
    load=lambda ident: db.session.get(Enterprise, ident),
    decide=lambda user, obj, ok, reason: enterprises.verify_enterprise(user, obj, ok, reason),
    order=10))
register(Section(
    key="villages", title=_l("Villages"), template="verification/_village.html",
    pending=_pending(villages.pending_villages),
    count=_count(villages.pending_villages),
    warnings=villages.village_warnings,
    load=lambda ident: db.session.get(Village, ident),
    decide=lambda user, obj, ok, reason: villages.verify_village(user, obj, ok, reason),
    order=20))


def queue(user: User, limit: int | None = None) -> list[tuple[Section, list, dict, bool]]:
    """(section, its oldest waiting entries, warnings by id, whether more wait) for every
    section."""
    limit = LIMIT if limit is None else limit
    out = []
    for section in sections():
        items = section.pending(user, limit + 1)
        more = len(items) > limit
        items = items[:limit]
        out.append((section, items, section.warnings(items), more))
    _load_counties(out)
    return out


def _load_counties(queue: list[tuple[Section, list, dict, bool]]) -> None:
    """The counties (with provinces) of every card, in one query for the page: the cards
    show full place names, and joining them into each section's query cost 1.6 ms a
    section. Entries carry their county's code (offers and needs a copy of their owner's);
    the session's identity map then answers each card's county without SQL, and keeps
    them only while something holds them: the session's info does, for the request."""
    codes = {code for _s, items, _w, _m in queue for i in items
             if (code := getattr(i, "county_code", None))}
    if codes:
        db.session.info["queue_counties"] = db.session.scalars(
            select(County).options(joinedload(County.province))
            .where(County.code.in_(sorted(codes)))).all()


def waiting(user: User, cap: int) -> tuple[int, bool]:
    """Entries waiting for this verifier, summed over the sections each counted up to the
    cap, and whether a section reached it (more wait than the sum)."""
    counts = [s.waiting(user, cap) for s in sections()]
    return sum(counts), any(n >= cap for n in counts)


# The light review of offers and needs registers its two sections when imported.
from . import content  # noqa: E402, F401
