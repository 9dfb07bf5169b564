"""Figures and open-data tables of the marketplace: offers and needs."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..enterprises import services as offers
from ..enterprises.kinds import MONEY_KINDS as MONEY
from ..enterprises.kinds import PEOPLE_KINDS as PEOPLE
from ..enterprises.kinds import is_money
from ..enterprises.models import Enterprise, Offer
from ..extensions import db
from ..needs import services as needs
from ..needs.models import Need
from ..places.models import County, Village
from .figures import Figure, _grouped
from .figures import register as register_figure
from .opendata import PLACE, Dataset, Row
from .opendata import register as register_dataset


def _offers(value, *where):  # noqa: ANN001, ANN202
    sub = offers.public_offers().subquery()
    return _grouped(select(Enterprise.county_code, value(sub))
                    .select_from(sub).join(Enterprise, Enterprise.id == sub.c.enterprise_id)
                    .where(*(w(sub) for w in where)).group_by(Enterprise.county_code))


def _needs(value):  # noqa: ANN001, ANN202
    sub = needs.public_needs().subquery()
    return _grouped(select(Village.county_code, value(sub))
                    .select_from(sub).join(Village, Village.id == sub.c.village_id)
                    .group_by(Village.county_code))


FIGURES = [
    Figure("offers", _l("Active offers"),
           _l("Offers of verified enterprises that are active and have not ended, counted "
              "in the enterprise's province."),
           "offers", lambda: _offers(lambda s: func.count()), group=1),
    Figure("yuan_offered", _l("Yuan offered"),
           _l("Sum of the amounts of active money offers (investment, procurement, "
              "e-commerce, donations, infrastructure, education, medical), in yuan."),
           "offers", lambda: _offers(lambda s: func.sum(s.c.quantity),
                                     lambda s: s.c.kind.in_(MONEY)), "yuan", group=1),
    Figure("places_offered", _l("Jobs and training places offered"),
           _l("Sum of the people of active job and vocational-training offers."),
           "offers", lambda: _offers(lambda s: func.sum(s.c.quantity),
                                     lambda s: s.c.kind.in_(PEOPLE)), "people", group=1),
    Figure("needs", _l("Open needs"),
           _l("Needs of verified villages that are open or partly met, counted in the "
              "village's province."),
           "needs", lambda: _needs(lambda s: func.count()), group=1),
]


def offer_rows(args: dict[str, str]) -> Iterator[Row]:
    query = offers.public_offers().join(Enterprise.county).options(
        selectinload(Offer.enterprise).selectinload(Enterprise.county)
        .selectinload(County.province)).order_by(Offer.id)
    if args.get("county"):
        query = query.where(Enterprise.county_code == args["county"])
    elif args.get("province"):
        query = query.where(County.province_code == args["province"])
    for o in db.session.scalars(query.execution_options(yield_per=1000)):
        e = o.enterprise
        yield [o.id, e.id, e.name, e.county.province_code, e.county.province.name,
               e.county_code, e.county.name, o.kind, o.quantity, o.paired_quantity,
               "fen" if is_money(o.kind) else "people", o.max_villages, o.provinces,
               o.starts_on.isoformat(), o.ends_on.isoformat() if o.ends_on else ""]


def need_rows(args: dict[str, str]) -> Iterator[Row]:
    query = needs.public_needs().join(Village.county).options(
        selectinload(Need.village).selectinload(Village.county)
        .selectinload(County.province)).order_by(Need.id)
    if args.get("county"):
        query = query.where(Village.county_code == args["county"])
    elif args.get("province"):
        query = query.where(County.province_code == args["province"])
    for n in db.session.scalars(query.execution_options(yield_per=1000)):
        v = n.village
        yield [n.id, v.id, v.name, v.county.province_code, v.county.province.name,
               v.county_code, v.county.name, n.kind, n.quantity, n.met_quantity,
               "fen" if is_money(n.kind) else "people", n.priority, n.sector or "", n.status]


DATASETS = [
    Dataset("offers", ["id", "enterprise_id", "enterprise", *PLACE, "kind", "quantity",
                       "paired_quantity", "unit", "max_villages", "preferred_provinces",
                       "starts_on", "ends_on"], offer_rows,
            _l("An active offer of a verified enterprise; money in fen (100 fen = 1 yuan), jobs and "
               "training in people.")),
    Dataset("needs", ["id", "village_id", "village", *PLACE, "kind", "quantity", "met_quantity",
                      "unit", "priority", "sector", "status"], need_rows,
            _l("An open or partly met need of a verified village; money in fen, jobs and training in people.")),
]

for _figure in FIGURES:
    register_figure(_figure)
for _dataset in DATASETS:
    register_dataset(_dataset)
