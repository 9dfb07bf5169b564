"""The public lists of offers and enterprises, and what /needs and /villages share with them
(pairing/needs/browse.py): filters, search, sorting and a page of rows with a bounded count.

Search matches names and descriptions by substring, so Chinese needs no word splitting:
3+ characters go through a trigram index (pg_trgm GIN with `ILIKE '%…%'` on PostgreSQL,
FTS5 trigram tables of migration 0009 on SQLite); 1–2 characters, which trigrams cannot
serve, are looked up in search_grams (every 1- and 2-character piece of the texts). Filters use the columns copied
onto offers and needs (place, mechanism, `public`), one composite index per filter + sort.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select
from sqlalchemy import table as sa_table
from sqlalchemy.orm import Session, joinedload

from ..extensions import db
from ..pages import KeysetPage, keyset_page
from ..places.models import County
from .kinds import KINDS, MECHANISMS, kinds_of
from .models import SECTORS, Enterprise, Offer, SearchGram, grams, search_source
from .services import offer_is_public, public_enterprises


@dataclass
class Filters:
    province: str = ""
    county: str = ""
    mechanism: str = ""
    kind: str = ""
    sector: str = ""
    q: str = ""
    sort: str = ""
    after: str = ""  # the keyset cursor of the page (pairing/pages.py)

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
                   after=args.get("after") or "")

    @property
    def kinds(self) -> list[str]:
        if self.kind:
            return [self.kind]
        return kinds_of(self.mechanism) if self.mechanism else []


def _pattern(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _like(column, q: str) -> ColumnElement[bool]:  # noqa: ANN001
    return column.ilike(_pattern(q), escape="\\")


def _with_gram(model, gram: str) -> ColumnElement[bool]:  # noqa: ANN001
    return model.id.in_(select(SearchGram.ref_id).where(
        SearchGram.source == search_source(model), SearchGram.gram == gram))


def _fts(table: str, q: str, column: str = "") -> Select:
    """SQLite: row ids whose text contains q, from the FTS5 trigram table of migration
    0009 (a quoted phrase: no query syntax reaches FTS5)."""
    phrase = '"' + q.replace('"', '""') + '"'
    return select(literal_column("rowid")).select_from(sa_table(f"{table}_fts")).where(
        literal_column(f"{table}_fts").op("MATCH")(f"{column} : {phrase}" if column
                                                   else phrase))


def matches(model, q: str, columns: tuple[str, ...],  # noqa: ANN001
            owner: tuple[ColumnElement[int], type] | None = None) -> ColumnElement[bool]:
    """Rows of `model` whose searched text contains q: its `columns` and, for offers and
    needs, the name of the `owner` (foreign key, model) (pairing/needs/listing.py).

    1–2 characters: the row ids under that gram in search_grams, which the primary key
    keeps in id order, so the newest matches come first without gathering them all.
    PostgreSQL, 3+ characters: rows holding every 2-character piece of q (the same index,
    walked together), then the texts themselves confirm the whole of q. SQLite, 3+: its
    FTS5 trigram tables (migration 0009)."""
    q = q.lower()
    if len(q) < 3:
        return _with_gram(model, q)
    if db.session.get_bind().dialect.name == "sqlite":
        found = [model.id.in_(_fts(model.__tablename__, q, columns[0] if len(columns) == 1
                                   else ""))]
        if owner:
            found.append(owner[0].in_(_fts(owner[1].__tablename__, q, "name")))
        return or_(*found)
    texts = [_like(getattr(model, c), q) for c in columns]
    if owner:
        texts.append(owner[0].in_(select(owner[1].id).where(_like(owner[1].name, q))))
    return and_(*[_with_gram(model, p) for p in _pieces(q)], or_(*texts))


def _pieces(q: str, most: int = 3) -> list[str]:
    """Up to `most` 2-character pieces of q, spread over it (first, middle, last): each
    one joined narrows the rows, but the planner's time grows with every join (four
    pieces took 10 ms to plan a query that ran in 1); the texts confirm q anyway. Pieces
    with a blank are never stored, so they are not asked for."""
    usable = [q[i:i + 2] for i in range(len(q) - 1) if q[i:i + 2] in grams(q[i:i + 2])]
    if len(usable) > most:
        usable = [usable[round(k * (len(usable) - 1) / (most - 1))] for k in range(most)]
    return sorted(set(usable))


def in_place(model, f: Filters) -> list[ColumnElement[bool]]:  # noqa: ANN001
    if f.county:
        return [model.county_code == f.county]
    if f.province:
        return [model.province_code == f.province]
    return []


def of_kind(model, f: Filters) -> list[ColumnElement[bool]]:  # noqa: ANN001
    if f.kind:
        return [model.kind == f.kind]
    return [model.mechanism == f.mechanism] if f.mechanism else []


# The public lists count their rows up to here ("More than 1,000 found."): on national
# data counting a common character's matches, or a province's ten thousand offers, cost
# more than the page itself (3 ms of PostgreSQL for 10,000 rows; readers page by cursor).
LIST_COUNT_CAP = 1_000
# A search's count stops sooner: each match counted is a join of its text's pieces and a
# check of the text (a 4-character search counting to 1,000 cost 17 ms of PostgreSQL,
# more than the rest of its page); "More than 200 found" says enough to refine it.
SEARCH_COUNT_CAP = 200


def page_of(session: Session, query: Select, f: Filters, per_page: int, name: str,
          orders: dict[str, tuple]) -> KeysetPage:
    """A keyset page (pairing/pages.py): deep pages cost what the first costs, and the
    count stops at a cap instead of counting every match."""
    sort = f.sort if f.sort in orders else ""
    return keyset_page(session, query, orders[sort], scope=f"{name}:{sort}", cursor=f.after,
                       per_page=per_page, cap=SEARCH_COUNT_CAP if f.q else LIST_COUNT_CAP)


def offers(f: Filters, per_page: int = 20, session: Session | None = None) -> KeysetPage:
    session = session or db.session
    q = select(Offer).where(offer_is_public(), *in_place(Offer, f), *of_kind(Offer, f)) \
        .options(joinedload(Offer.enterprise, innerjoin=True)
                 .joinedload(Enterprise.county, innerjoin=True)
                 .joinedload(County.province, innerjoin=True))
    if f.sector or f.sort == "name":
        q = q.join(Offer.enterprise)
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        q = q.where(matches(Offer, f.q, ("description",), (Offer.enterprise_id, Enterprise)))
    orders = {"": (Offer.id.desc(),), "quantity": (Offer.quantity.desc(), Offer.id.desc()),
              "name": (Enterprise.name, Offer.id)}
    return page_of(session, q, f, per_page, "offers", orders)


def enterprises(f: Filters, per_page: int = 20, session: Session | None = None) -> KeysetPage:
    session = session or db.session
    q = public_enterprises().options(joinedload(Enterprise.county, innerjoin=True)
                                     .joinedload(County.province, innerjoin=True))
    q = q.where(*in_place(Enterprise, f))
    if f.kind or f.mechanism:
        q = q.where(Enterprise.id.in_(select(Offer.enterprise_id).where(
            offer_is_public(), *in_place(Offer, f), *of_kind(Offer, f))))
    if f.sector:
        q = q.where(Enterprise.sector == f.sector)
    if f.q:
        q = q.where(matches(Enterprise, f.q, ("name", "description")))
    orders = {"": (Enterprise.id.desc(),),
              "employees": (Enterprise.employees.desc(), Enterprise.id.desc()),
              "name": (Enterprise.name, Enterprise.id)}
    return page_of(session, q, f, per_page, "enterprises", orders)
