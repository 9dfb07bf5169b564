"""The shop's codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from ..payments.labels import PROVIDER_LABELS
from .forms import CATEGORY_LABELS, PAYOUT_STATE_LABELS, PRODUCT_STATUS_LABELS, STATE_LABELS

register_values("shop_products", {"category": CATEGORY_LABELS, "status": PRODUCT_STATUS_LABELS})
register_values("shop_orders", {"state": STATE_LABELS, "payment_provider": PROVIDER_LABELS})
register_values("shop_payouts", {"state": PAYOUT_STATE_LABELS})
