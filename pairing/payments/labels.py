"""The payments' codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .providers import PROVIDERS
from .providers import STATUS_LABELS as PAYMENT_STATUS_LABELS
from .services import PURPOSE_LABELS as PAYMENT_PURPOSE_LABELS

PROVIDER_LABELS = {name: provider.label for name, provider in PROVIDERS.items()}

register_values("payments", {"status": PAYMENT_STATUS_LABELS, "provider": PROVIDER_LABELS,
                             "purpose": PAYMENT_PURPOSE_LABELS})
