"""The needs' codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .forms import PRIORITY_LABELS

register_values("needs", {"priority": PRIORITY_LABELS})
