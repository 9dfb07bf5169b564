"""The public lists (/offers, /needs, /villages, /enterprises): filters, search, sorting and
a page of rows with a bounded count.

Search matches names and descriptions by substring, so Chinese needs no word splitting:
on PostgreSQL `ILIKE '%…%'` uses the pg_trgm GIN indexes of migration 0003 (patterns of 3
or more characters; shorter ones scan, which the filters keep small); on SQLite it is LIKE.
A name match and a description match are combined as a UNION of ids so each side can use
its own index.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, or_, select, union
from sqlalchemy.orm import Session, contains_eager, selectinload

from ..extensions import db
from ..needs.models import Need
from ..needs.services import public_needs
from ..places.models import County, Village
from ..places.villages import public_villages
from .kinds import KINDS, MECHANISMS, kinds_of
from .models import SECTORS, Enterprise, Offer
from .services import public_enterprises, public_offers

COUNT_CAP = 100_000  # pages beyond this are not offered: narrow the search instead
WINDOW = 9  # pages counted ahead of the current one


@dataclass
class Filters:
    province: str = ""
    county: str = ""
    mechanism: str = ""
    kind: str = ""
    sector: str = ""
    q: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        def digits(name: str, size: int) -> str:
            value = (args.get(name) or "").strip()
            return value if value.isdigit() and len(value) == size else ""

        page = args.get("page", "1")
        kind = args.get("kind", "")
        mech = args.get("mechanism", "")
        sector = args.get("sector", "")
        return cls(province=digits("province", 2), county=digits("county", 6),
                   mechanism=mech if mech in MECHANISMS else "",
                   kind=kind if kind in KINDS else "",
                   sector=sector if sector in SECTORS else "",
                   q=(args.get("q") or "").strip()[:50], sort=(args.get("sort") or "")[:20],
                   page=max(1, min(int(page) if page.isdigit() else 1, 100_000)))

    @property
    def kinds(self) -> list[str]:
        if self.kind:
            return [self.kind]
        return kinds_of(self.mechanism) if self.mechanism else []


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _pattern(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _like(column, q: str) -> ColumnElement[bool]:  # noqa: ANN001
    return column.ilike(_pattern(q), escape="\\")


def _in_place(county_column, f: Filters) -> list[ColumnElement[bool]]:  # noqa: ANN001
    if f.county:
        return [county_column == f.county]
    if f.province:
        return [county_column.in_(select(County.code).where(County.province_code == f.province))]
    return []


def _page(session: Session, query: Select, f: Filters, per_page: int) -> Page:
    """Counting every match is what makes big lists slow, so rows are counted only up to
    a window of pages ahead of this one: the pager offers those and says "more than"."""
    cap = min(COUNT_CAP, (f.page + WINDOW) * per_page)
    ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap + 1)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    page = min(f.page, max(1, math.ceil(min(total, cap) / per_page)))
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items, page, per_page, min(total, cap), capped=total > cap)


def offers(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_offers().options(contains_eager(Offer.enterprise).selectinload(
        Enterprise.county).selectinload(County.province))
    q = q.where(*_in_place(Enterprise.county_code, f))
    if f.kinds:
        q = q.where(Offer.kind.in_(f.kinds))
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        by_name = select(Offer.id).where(Offer.enterprise_id.in_(
            select(Enterprise.id).where(_like(Enterprise.name, f.q))))
        q = q.where(Offer.id.in_(union(select(Offer.id).where(_like(Offer.description, f.q)),
                                       by_name)))
    order = {"quantity": (Offer.quantity.desc(), Offer.id.desc()),
             "name": (Enterprise.name, Offer.id)}.get(f.sort, (Offer.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def needs(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_needs().options(contains_eager(Need.village).selectinload(
        Village.county).selectinload(County.province))
    q = q.where(*_in_place(Village.county_code, f))
    if f.kinds:
        q = q.where(Need.kind.in_(f.kinds))
    if f.sector:
        q = q.where(Need.sector == f.sector)
    if f.q:
        by_name = select(Need.id).where(Need.village_id.in_(
            select(Village.id).where(_like(Village.name, f.q))))
        q = q.where(Need.id.in_(union(select(Need.id).where(_like(Need.description, f.q)),
                                      by_name)))
    order = {"quantity": (Need.quantity.desc(), Need.id.desc()),
             "priority": (Need.priority.desc(), Need.id.desc())}.get(f.sort, (Need.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def villages(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_villages().options(selectinload(Village.county).selectinload(County.province))
    q = q.where(*_in_place(Village.county_code, f))
    if f.kinds:
        # The outer query already keeps verified villages only: no second join needed.
        q = q.where(Village.id.in_(select(Need.village_id).where(
            Need.kind.in_(f.kinds), Need.status.in_(("open", "partly_met")))))
    if f.q:
        q = q.where(or_(_like(Village.name, f.q), _like(Village.description, f.q)))
    order = {"poor": (Village.poor_population.desc(), Village.id),
             "name": (Village.name, Village.id)}.get(f.sort, (Village.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def enterprises(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_enterprises().options(selectinload(Enterprise.county)
                                     .selectinload(County.province))
    q = q.where(*_in_place(Enterprise.county_code, f))
    if f.kinds:
        q = q.where(Enterprise.id.in_(select(Offer.enterprise_id).where(
            Offer.kind.in_(f.kinds), Offer.status == "active")))
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        q = q.where(or_(_like(Enterprise.name, f.q), _like(Enterprise.description, f.q)))
    order = {"employees": (Enterprise.employees.desc(), Enterprise.id),
             "name": (Enterprise.name, Enterprise.id)}.get(f.sort, (Enterprise.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)
