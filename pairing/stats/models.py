"""Stored aggregates of the public figures (see pairing/stats/snapshot.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class FigureSnapshot(db.Model):
    """Every figure of one place (the nation "CN", a province, a county) as computed from
    its rows at `computed_at`. Money in fen, as `figures.Table` holds it. The nation's row
    also carries the dashboard's other aggregates (deciles, coverage) in `extra`."""

    __tablename__ = "stats_snapshots"
    __table_args__ = (
        CheckConstraint("level in ('nation','province','county')", name="level"),
        Index("ix_stats_snapshots_level_scope", "level", "scope"),
    )

    scope: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    values: Mapped[dict] = mapped_column(JSON)
    extra: Mapped[dict | None] = mapped_column(JSON)
    computed_at: Mapped[datetime]
