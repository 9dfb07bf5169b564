"""Housekeeping: the stored snapshot of the public figures (pairing/stats/snapshot.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..housekeeping import job
from . import snapshot


@job("stats.snapshot")
def refresh_snapshot(session: Session, now: datetime) -> int:
    """Recompute every figure once STATS_REFRESH_S has passed since the last snapshot;
    returns the number of places written (0 when it was not yet due)."""
    if not snapshot.refresh_due(session, now):
        return 0
    return snapshot.refresh(session, now)
