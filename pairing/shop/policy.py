"""The shop's errors, limits and who may do what."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..extensions import db
from ..payments import policy as payment_policy
from ..places.models import Status, Village
from .models import (
    Order,
)

PRODUCT_FIELDS = ("village_id", "name", "category", "unit", "price_fen", "stock", "description",
                  "origin", "status")
ORDER_FIELDS = ("state", "total_fen", "shipping_fen", "payment_provider", "payment_reference", "carrier",
                "tracking_number")
MAX_QUANTITY = 9999
SORTS = ("new", "price_asc", "price_desc")


class ShopError(ValueError):
    """Bad input or a forbidden step; the message is for the person who tried."""


class OutOfStock(ShopError):
    pass


class Forbidden(ShopError):
    pass


def _s(session: Session | None) -> Session:
    return session or db.session


# --- who may do what -------------------------------------------------------------------

def is_secretary_of(user: User, village: Village) -> bool:
    return user.is_authenticated and user.role == Role.SECRETARY and village.secretary_id == user.id


def is_staff_over(user: User, village: Village) -> bool:
    return (user.is_authenticated and user.role in (Role.VERIFIER, Role.COORDINATOR)
            and user.covers(village.county_code))


def can_view_order(user: User, order: Order) -> bool:
    """The buyer, the selling village's secretary and staff in jurisdiction (personal data)."""
    if not user.is_authenticated:
        return False
    return (order.buyer_id == user.id or is_secretary_of(user, order.village)
            or is_staff_over(user, order.village))


def villages_of(user: User, session: Session | None = None) -> list[Village]:
    """The verified villages whose shop this secretary keeps."""
    return list(_s(session).scalars(select(Village).where(
        Village.secretary_id == user.id, Village.status == Status.VERIFIED).order_by(Village.name)))


@payment_policy.on_placed("order")
def _payments_placed(batch) -> dict[int, str]:  # noqa: ANN001
    """The selling village's county ("order:<id>"): its coordinators confirm the transfer."""
    ids = {int(n): p.id for p in batch
           if (n := p.reference.partition(":")[2]).isdigit()}
    rows = db.session.execute(select(Order.id, Village.county_code)
                              .join(Village, Village.id == Order.village_id)
                              .where(Order.id.in_(ids)))
    return {ids[oid]: county for oid, county in rows}
