"""One appeal per decided thing (the unique key makes concurrent submissions one)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db


class Appeal(db.Model):
    __tablename__ = "appeals"
    __table_args__ = (
        UniqueConstraint("subject", "subject_id", name="uq_appeals_subject"),
        CheckConstraint("status in ('open','granted','refused')", name="status"),
        CheckConstraint("level in ('province','country')", name="level"),
        CheckConstraint("decided_by_id is null or first_decider_id is null "
                        "or decided_by_id <> first_decider_id", name="not_the_first_decider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # enterprise, village, help_request or dispute (a progress report's dispute)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    level: Mapped[str] = mapped_column(String(10))  # the lowest level that may decide
    appellant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    first_decision: Mapped[str] = mapped_column(String(1000), default="")
    first_decider_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    decision: Mapped[str] = mapped_column(String(1000), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
