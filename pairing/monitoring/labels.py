"""The monitoring codes as the audit log shows them (found by pairing.areas)."""

from __future__ import annotations

from ..audit.labels import register_values
from ..giving.forms import CAUSE_LABELS
from . import forms as monitoring

scores = monitoring.SCORE_LABELS
register_values("monitoring_households", {"standing": monitoring.STANDING_LABELS})
register_values("monitoring_visits", {"shock": monitoring.SHOCK_CODES, "causes": CAUSE_LABELS})
register_values("monitoring_events", {"kind": monitoring.EVENT_LABELS})
register_values("monitoring_pairing_ratings", {
    "stage": monitoring.STAGE_LABELS, "side": monitoring.SIDE_LABELS, "on_time": scores,
    "as_promised": scores, "useful": scores, "cooperation": scores})
register_values("monitoring_cadre_ratings", {"visits": scores, "help": scores,
                                             "via": monitoring.VIA_LABELS})
register_values("monitoring_cadre_complaints", {"status": monitoring.COMPLAINT_LABELS})
