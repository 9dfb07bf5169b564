"""The public lists of needs (/needs) and of villages (/villages, filtered by what their
needs ask for), with the filters, search and keyset pages of the marketplace's lists
(pairing/enterprises/browse.py). They live here because they read needs, an area above
enterprises and places."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..enterprises.browse import Filters, in_place, matches, of_kind, page_of
from ..extensions import db
from ..pages import KeysetPage
from ..places.models import County, Village
from ..places.villages import public_villages
from .listing import SEARCHED
from .models import Need


def needs(f: Filters, per_page: int = 20, session: Session | None = None) -> KeysetPage:
    session = session or db.session
    q = select(Need).where(Need.public, *in_place(Need, f), *of_kind(Need, f)) \
        .options(joinedload(Need.village, innerjoin=True)
                 .joinedload(Village.county, innerjoin=True)
                 .joinedload(County.province, innerjoin=True))
    if f.sector:
        q = q.where(Need.sector == f.sector)
    if f.q:
        q = q.where(matches(Need, f.q, SEARCHED[Need], (Need.village_id, Village)))
    orders = {"": (Need.id.desc(),), "quantity": (Need.quantity.desc(), Need.id.desc()),
              "priority": (Need.priority.desc(), Need.id.desc())}
    return page_of(session, q, f, per_page, "needs", orders)


def villages(f: Filters, per_page: int = 20, session: Session | None = None) -> KeysetPage:
    session = session or db.session
    q = public_villages().options(joinedload(Village.county, innerjoin=True)
                                  .joinedload(County.province, innerjoin=True))
    q = q.where(*in_place(Village, f))
    if f.kind or f.mechanism:
        # Public needs are those of verified villages: no second status check needed.
        q = q.where(Village.id.in_(select(Need.village_id).where(
            Need.public, *in_place(Need, f), *of_kind(Need, f))))
    if f.q:
        q = q.where(matches(Village, f.q, SEARCHED[Village]))
    orders = {"": (Village.id.desc(),),
              "poor": (Village.poor_population.desc(), Village.id.desc()),
              "name": (Village.name, Village.id)}
    return page_of(session, q, f, per_page, "villages", orders)
