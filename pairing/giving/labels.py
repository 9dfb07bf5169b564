"""The giving codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from .forms import (
    CAUSE_LABELS,
    COMPLAINT_KIND_LABELS,
    COMPLAINT_STATUS_LABELS,
    DISBURSEMENT_STATUS_LABELS,
    DONATION_STATUS_LABELS,
    MATCH_STATUS_LABELS,
    PURPOSE_LABELS,
)
from .forms import STATUS_LABELS as REQUEST_STATUS_LABELS

register_values("households", {"causes": CAUSE_LABELS})
register_values("help_requests", {"status": REQUEST_STATUS_LABELS, "purpose": PURPOSE_LABELS})
register_values("donations", {"status": DONATION_STATUS_LABELS})
register_values("disbursements", {"status": DISBURSEMENT_STATUS_LABELS})
register_values("giving_complaints", {"status": COMPLAINT_STATUS_LABELS,
                                      "kind": COMPLAINT_KIND_LABELS})
register_values("giving_matches", {"status": MATCH_STATUS_LABELS})
