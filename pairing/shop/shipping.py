"""Shipping and delivery terms of a village's shop, and the structured delivery address.

Each village sets one shipping charge per order (free above an amount of goods, if it
wants) and how many days its parcels take. The buyer sees both, per village, in the cart
and at checkout before paying; the charge is fixed inside the checkout's locked
transaction (orders.checkout), added to the order's total_fen and so paid into the
village's sales account through the ledger like the goods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import lock
from ..extensions import db
from ..places.models import County, Village
from .models import Product, Shipping
from .policy import ShopError

DEFAULT_DAYS = (3, 7)  # a village that set nothing: free shipping, 3 to 7 days


@dataclass(frozen=True)
class Terms:
    fee_fen: int = 0
    free_from_fen: int = 0
    days_min: int = DEFAULT_DAYS[0]
    days_max: int = DEFAULT_DAYS[1]

    def charge(self, goods_fen: int) -> int:
        if self.free_from_fen and goods_fen >= self.free_from_fen:
            return 0
        return self.fee_fen


@dataclass(frozen=True)
class Quote:
    village_id: int
    village_name: str
    goods_fen: int
    shipping_fen: int
    days_min: int
    days_max: int
    free_from_fen: int

    @property
    def total_fen(self) -> int:
        return self.goods_fen + self.shipping_fen


def terms_of(village_ids: Iterable[int], session: Session | None = None) -> dict[int, Terms]:
    session = session or db.session
    ids = sorted(set(village_ids))
    rows = session.scalars(select(Shipping).where(Shipping.village_id.in_(ids))) if ids else []
    found = {r.village_id: Terms(r.fee_fen, r.free_from_fen, r.days_min, r.days_max) for r in rows}
    return {v: found.get(v, Terms()) for v in ids}


def quotes(lines: list[tuple[Product, int]], session: Session | None = None) -> list[Quote]:
    """One quote per selling village of the cart, as checkout will charge it."""
    goods: dict[int, int] = {}
    names: dict[int, str] = {}
    for product, quantity in lines:
        goods[product.village_id] = goods.get(product.village_id, 0) + product.price_fen * quantity
        names[product.village_id] = product.village.name
    terms = terms_of(goods, session)
    return [Quote(v, names[v], goods[v], terms[v].charge(goods[v]), terms[v].days_min,
                  terms[v].days_max, terms[v].free_from_fen) for v in sorted(goods)]


def set_terms(actor_id: int, village_id: int, terms: Terms,
              session: Session | None = None) -> Shipping:
    """The secretary's change (the view checks that the village is theirs)."""
    session = session or db.session
    if not (0 <= terms.fee_fen <= 100_000 and terms.free_from_fen >= 0
            and 1 <= terms.days_min <= terms.days_max <= 60):
        raise ShopError(_l("Shipping is 0 to 1,000 yuan and delivery 1 to 60 days, the "
                           "first number of days not above the second."))
    # The village's row, locked, serialises two edits: both would otherwise insert the
    # village's first terms at once (a primary key clash on PostgreSQL, a lost write lock
    # on SQLite). A checkout reads the terms in one statement, so it sees one whole set.
    lock(session, Village, village_id)
    row = session.scalar(select(Shipping).where(Shipping.village_id == village_id)
                         .execution_options(populate_existing=True))
    row = row or Shipping(village_id=village_id)
    row.fee_fen, row.free_from_fen = terms.fee_fen, terms.free_from_fen
    row.days_min, row.days_max, row.updated_by_id = terms.days_min, terms.days_max, actor_id
    session.add(row)
    session.flush()
    return row


def full_address(county_code: str, detail: str, session: Session | None = None) -> str:
    """"湖南省 湘西土家族苗族自治州 花垣县 <detail>", or ShopError for an unknown county."""
    session = session or db.session
    county = session.get(County, county_code or "")
    if county is None:
        raise ShopError(_l("Choose the province and the county of the delivery address."))
    parts = [county.province.name, county.city, county.name, detail.strip()]
    return " ".join(p for p in parts if p)[:300]


def county_choices(province_code: str, session: Session | None = None
                   ) -> list[tuple[str, str]]:
    """The counties of a province as "city · county" options, for the checkout's picker."""
    session = session or db.session
    rows = session.scalars(select(County).where(County.province_code == province_code)
                           .order_by(County.city, County.code)) if province_code else []
    return [(c.code, f"{c.city} · {c.name}" if c.city and c.city != c.name else c.name)
            for c in rows]


def counties_in(province_code: str, session: Session | None = None) -> Mapping[str, str]:
    return dict(county_choices(province_code, session))


def fill_address_choices(form, language: str) -> bool:  # noqa: ANN001 - a CheckoutForm
    """The province and county pickers of the checkout form; False when the posted county
    is not one of the posted province's (the view says so beside the county)."""
    from flask_babel import gettext as _

    from ..places.services import provinces

    form.province.choices = [("", _("Choose…"))] + [
        (p.code, p.display_name(language)) for p in provinces()]
    counties = county_choices(form.province.data or "")
    form.county.choices = [("", _("Choose…"))] + counties
    form.province.validate_choice = form.county.validate_choice = False
    return not form.county.data or form.county.data in dict(counties)
