"""Settings a coordinator changes, and the Taobao-village badge they govern.

The real title (淘宝村) asks ¥10 million of yearly e-commerce and 100 online stores; the
defaults come from configuration (TAOBAO_SALES_FEN, TAOBAO_ACTIVE_PRODUCTS) and a
coordinator changes them at /shop/settings, stored in shop_settings so that every worker
sees the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..auth import is_national
from ..db import utcnow
from ..extensions import db
from .models import Order, OrderState, Product, ProductStatus, ShopSetting

DEFAULTS = {
    "taobao_sales_fen": ("TAOBAO_SALES_FEN", 10_000_000 * 100),
    "taobao_active_products": ("TAOBAO_ACTIVE_PRODUCTS", 100),
}
LABELS = {
    "taobao_sales_fen": _l("Yearly shop sales for the Taobao-village badge (fen)"),
    "taobao_active_products": _l("Active products for the Taobao-village badge"),
}
SOLD = (OrderState.PAID, OrderState.SHIPPED, OrderState.DELIVERED)


def settings(session: Session | None = None) -> dict[str, int]:
    session = session or db.session
    values = {key: int(current_app.config.get(conf, default))
              for key, (conf, default) in DEFAULTS.items()}
    for row in session.scalars(select(ShopSetting)):
        if row.key in values:
            values[row.key] = row.value
    return values


def change(actor: User, values: dict[str, int], session: Session | None = None) -> None:
    session = session or db.session
    if not is_national(actor):
        raise PermissionError("national coordinators only")
    before = settings(session)
    for key, value in values.items():
        if key not in DEFAULTS:
            continue
        if not isinstance(value, int) or value < 0:
            raise ValueError(_l("Thresholds are whole numbers of at least zero."))
        row = session.get(ShopSetting, key)
        if row is None:
            session.add(ShopSetting(key=key, value=value, updated_by_id=actor.id))
        else:
            row.value, row.updated_by_id = value, actor.id
    session.flush()
    audit.record(actor, "shop.settings.change", object_type="shop_settings", object_id="badge",
                 before=before, after=settings(session), session=session)


def village_figures(village_ids: Iterable[int], session: Session | None = None
                    ) -> dict[int, tuple[int, int]]:
    """Sales of the last 365 days (fen) and active products, per village."""
    session = session or db.session
    ids = sorted(set(village_ids))
    if not ids:
        return {}
    since = utcnow() - timedelta(days=365)
    sales = dict(session.execute(
        select(Order.village_id, func.sum(Order.total_fen))
        .where(Order.village_id.in_(ids), Order.state.in_(SOLD), Order.paid_at >= since)
        .group_by(Order.village_id)).all())
    active = dict(session.execute(
        select(Product.village_id, func.count(Product.id))
        .where(Product.village_id.in_(ids), Product.status == ProductStatus.ACTIVE)
        .group_by(Product.village_id)).all())
    return {v: (int(sales.get(v) or 0), int(active.get(v) or 0)) for v in ids}


def badge_villages(village_ids: Iterable[int], session: Session | None = None) -> set[int]:
    """Which of these villages earn the Taobao-village badge now."""
    limits = settings(session)
    return {v for v, (sold, active) in village_figures(village_ids, session).items()
            if sold >= limits["taobao_sales_fen"] and active >= limits["taobao_active_products"]}
