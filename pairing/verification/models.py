"""What a verifier decided, kept so that the decision can be undone for a short while
(decisions.py) and its overridden warnings are on record beside the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db


class VerificationDecision(db.Model):
    __tablename__ = "verification_decisions"
    __table_args__ = (Index("ix_verification_decisions_actor_created", "actor_id",
                            "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section: Mapped[str] = mapped_column(String(30))  # a key of verification.registry
    object_id: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approve: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(500), default="")
    # The warnings shown when the verifier approved anyway, and why they did.
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    override_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
