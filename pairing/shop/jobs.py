"""Housekeeping of the shop: unpaid orders do not hold stock for ever."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from ..housekeeping import job
from . import services


def unpaid_limit() -> timedelta:
    return timedelta(hours=float(current_app.config.get("SHOP_UNPAID_HOURS", 24)))


def transfer_limit() -> timedelta:
    """A bank transfer under way: SHOP_UNPAID_TRANSFER_HOURS (default three days)."""
    return timedelta(hours=float(current_app.config.get("SHOP_UNPAID_TRANSFER_HOURS", 72)))


@job("shop.cancel_unpaid")
def cancel_unpaid(session: Session, now: datetime) -> int:
    return services.cancel_unpaid(session, now, unpaid_limit(), transfer_limit())
