"""The public lists (/offers, /needs, /villages, /enterprises): filters, search, sorting and
a page of rows with a bounded count.

Search matches names and descriptions by substring, so Chinese needs no word splitting:
3+ characters go through a trigram index (pg_trgm GIN with `ILIKE '%…%'` on PostgreSQL,
FTS5 trigram tables of migration 0009 on SQLite); 1–2 characters, which trigrams cannot
serve, are looked up in search_grams (every 1- and 2-character piece of the texts). Filters use the columns copied
onto offers and needs (place, mechanism, `public`), one composite index per filter + sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, literal_column, select, union
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session, selectinload

from .. import inputs
from ..extensions import db
from ..needs.models import Need
from ..places.models import County, Village
from ..places.villages import public_villages
from .kinds import KINDS, MECHANISMS, kinds_of
from .models import SECTORS, Enterprise, Offer, SearchGram
from .services import offer_is_public, public_enterprises

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

        kind = args.get("kind", "")
        mech = args.get("mechanism", "")
        sector = args.get("sector", "")
        return cls(province=digits("province", 2), county=digits("county", 6),
                   mechanism=mech if mech in MECHANISMS else "",
                   kind=kind if kind in KINDS else "",
                   sector=sector if sector in SECTORS else "",
                   q=(args.get("q") or "").strip()[:50], sort=(args.get("sort") or "")[:20],
                   page=inputs.number(args.get("page"), hi=inputs.MAX_PAGE) or 1)

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


def _short(model, column: str, q: str) -> Select:  # noqa: ANN001
    """Ids whose column contains q of 1–2 characters: the exact pieces in search_grams
    (an index-only lookup; no second look at the texts, which is what made it slow)."""
    return select(SearchGram.ref_id).where(
        SearchGram.source == f"{model.__tablename__}.{column}", SearchGram.gram == q.lower())


def _fts(table: str, q: str, column: str = "") -> Select:
    """SQLite: row ids whose text contains q, from the FTS5 trigram table of migration
    0009 (a quoted phrase: no query syntax reaches FTS5)."""
    phrase = '"' + q.replace('"', '""') + '"'
    return select(literal_column("rowid")).select_from(sa_table(f"{table}_fts")).where(
        literal_column(f"{table}_fts").op("MATCH")(f"{column} : {phrase}" if column
                                                   else phrase))


def _text(model, q: str, columns: tuple[str, ...] = ("name", "description")) -> Select:  # noqa: ANN001
    """Ids of `model` rows whose columns contain q: 3+ characters through a trigram index
    (pg_trgm, or FTS5 trigram on SQLite), 1–2 characters through search_grams."""
    if len(q) < 3:
        parts = [_short(model, c, q) for c in columns]
    elif db.session.get_bind().dialect.name == "sqlite":
        return _fts(model.__tablename__, q, columns[0] if len(columns) == 1 else "")
    else:
        parts = [select(model.id).where(_like(getattr(model, c), q)) for c in columns]
    return union(*parts) if len(parts) > 1 else parts[0]


def _in_place(model, f: Filters) -> list[ColumnElement[bool]]:  # noqa: ANN001
    if f.county:
        return [model.county_code == f.county]
    if f.province:
        return [model.province_code == f.province]
    return []


def _of_kind(model, f: Filters) -> list[ColumnElement[bool]]:  # noqa: ANN001
    if f.kind:
        return [model.kind == f.kind]
    return [model.mechanism == f.mechanism] if f.mechanism else []


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
    q = select(Offer).where(offer_is_public(), *_in_place(Offer, f), *_of_kind(Offer, f)) \
        .options(selectinload(Offer.enterprise).selectinload(Enterprise.county)
                 .selectinload(County.province))
    if f.sector or f.sort == "name":
        q = q.join(Offer.enterprise)
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        by_name = select(Offer.id).where(Offer.enterprise_id.in_(
            _text(Enterprise, f.q, ("name",))))
        q = q.where(Offer.id.in_(union(_text(Offer, f.q, ("description",)), by_name)))
    order = {"quantity": (Offer.quantity.desc(), Offer.id.desc()),
             "name": (Enterprise.name, Offer.id)}.get(f.sort, (Offer.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def needs(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = select(Need).where(Need.public, *_in_place(Need, f), *_of_kind(Need, f)) \
        .options(selectinload(Need.village).selectinload(Village.county)
                 .selectinload(County.province))
    if f.sector:
        q = q.where(Need.sector == f.sector)
    if f.q:
        by_name = select(Need.id).where(Need.village_id.in_(_text(Village, f.q, ("name",))))
        q = q.where(Need.id.in_(union(_text(Need, f.q, ("description",)), by_name)))
    order = {"quantity": (Need.quantity.desc(), Need.id.desc()),
             "priority": (Need.priority.desc(), Need.id.desc())}.get(f.sort, (Need.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def villages(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_villages().options(selectinload(Village.county).selectinload(County.province))
    q = q.where(*_in_place(Village, f))
    if f.kind or f.mechanism:
        # Public needs are those of verified villages: no second status check needed.
        q = q.where(Village.id.in_(select(Need.village_id).where(
            Need.public, *_in_place(Need, f), *_of_kind(Need, f))))
    if f.q:
        q = q.where(Village.id.in_(_text(Village, f.q)))
    order = {"poor": (Village.poor_population.desc(), Village.id.desc()),
             "name": (Village.name, Village.id)}.get(f.sort, (Village.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)


def enterprises(f: Filters, per_page: int = 20, session: Session | None = None) -> Page:
    session = session or db.session
    q = public_enterprises().options(selectinload(Enterprise.county)
                                     .selectinload(County.province))
    q = q.where(*_in_place(Enterprise, f))
    if f.kind or f.mechanism:
        q = q.where(Enterprise.id.in_(select(Offer.enterprise_id).where(
            offer_is_public(), *_in_place(Offer, f), *_of_kind(Offer, f))))
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        q = q.where(Enterprise.id.in_(_text(Enterprise, f.q)))
    order = {"employees": (Enterprise.employees.desc(), Enterprise.id.desc()),
             "name": (Enterprise.name, Enterprise.id)}.get(f.sort, (Enterprise.id.desc(),))
    return _page(session, q.order_by(*order), f, per_page)
