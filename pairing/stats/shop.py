"""Figures and open-data table of the village shop (消费扶贫): sales paid for."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..db import local_date
from ..extensions import db
from ..places.models import County, Village
from ..shop.models import Order, OrderState
from .figures import Figure, _grouped
from .figures import register as register_figure
from .opendata import PLACE, Dataset, Row
from .opendata import register as register_dataset

SOLD = (OrderState.PAID, OrderState.SHIPPED, OrderState.DELIVERED)


def _sold():  # noqa: ANN202
    return select(Order).where(Order.state.in_([s.value for s in SOLD]))


def sale_rows(args: dict[str, str]) -> Iterator[Row]:
    query = (_sold().join(Order.village).join(Village.county)
             .options(selectinload(Order.village).selectinload(Village.county)
                      .selectinload(County.province)).order_by(Order.id))
    if args.get("county"):
        query = query.where(Village.county_code == args["county"])
    elif args.get("province"):
        query = query.where(County.province_code == args["province"])
    for o in db.session.scalars(query.execution_options(yield_per=1000)):
        v = o.village
        yield [o.id, v.id, v.name, v.county.province_code, v.county.province.name,
               v.county_code, v.county.name, o.state, o.total_fen,
               local_date(o.paid_at).isoformat() if o.paid_at else ""]


FIGURES = [
    Figure("shop_sales", _l("Village shop sales (yuan)"),
           _l("Sum of the village shop's orders that were paid for (paid, shipped or "
              "delivered); cancelled and refunded orders are not counted. Counted in the "
              "selling village's province."),
           "sales", lambda: _grouped(
               select(Village.county_code, func.sum(Order.total_fen))
               .select_from(Order).join(Order.village)
               .where(Order.state.in_([s.value for s in SOLD]))
               .group_by(Village.county_code)), "yuan", group=4),
]
SALES = Dataset("sales", ["order_id", "village_id", "village", *PLACE, "state", "total_fen",
                          "paid_on"], sale_rows,
                _l("A village shop order that was paid for: village, state and total in fen; nothing about "
                   "the buyer."))

for _figure in FIGURES:
    register_figure(_figure)
register_dataset(SALES)
