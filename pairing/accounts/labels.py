"""The accounts' codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .forms import ROLE_LABELS

register_values("users", {"role": ROLE_LABELS})
