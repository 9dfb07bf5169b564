"""The appeals' codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .forms import LEVELS, STATES

register_values("appeals", {"status": STATES, "level": LEVELS})
