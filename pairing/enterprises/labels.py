"""The marketplace's codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .forms import RECORD_STATUS_LABELS, SECTOR_LABELS
from .kinds import KIND_LABELS, MECHANISM_LABELS

register_values("enterprises", {"status": RECORD_STATUS_LABELS, "sector": SECTOR_LABELS})
register_values("villages", {"status": RECORD_STATUS_LABELS})
register_values("offers", {"kind": KIND_LABELS, "mechanism": MECHANISM_LABELS,
                           "status": RECORD_STATUS_LABELS})
register_values("needs", {"kind": KIND_LABELS, "mechanism": MECHANISM_LABELS,
                          "status": RECORD_STATUS_LABELS, "sector": SECTOR_LABELS})
