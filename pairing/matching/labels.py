"""The matching codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..audit.labels import register_keys, register_values
from .forms import WEIGHT_LABELS
from .views import STATUS as MATCHING_STATUS

register_values("rounds", {"status": MATCHING_STATUS, "stage": MATCHING_STATUS})
register_values("proposals", {"status": MATCHING_STATUS, "enterprise_answer": MATCHING_STATUS,
                              "village_answer": MATCHING_STATUS})
register_values("pairings", {"status": MATCHING_STATUS})
register_values("pairing_contacts", {"side": {"enterprise": _l("Enterprise"),
                                              "village": _l("Village")}})
register_values("progress_reports", {"status": MATCHING_STATUS})
register_keys(WEIGHT_LABELS)  # a round's weights, by the round form's labels
