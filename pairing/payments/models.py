"""Payments: one row per attempt to collect money, whatever it pays for.

The row says who pays how much for what (`purpose`, `reference`: e.g. "donation",
"donation:17" or "order", "order:5"), through which provider, and whether the money has
arrived. What the money then does (a donation booked to a request, an order paid) is the
caller's business: it registers a handler for its purpose (see services.on_confirmed).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import utcnow
from ..extensions import db


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Payment(db.Model):
    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("purpose", "reference", name="uq_payments_purpose_reference"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status in ('pending','confirmed','cancelled')", name="status"),
        CheckConstraint("provider in ('sandbox','manual')", name="provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    status: Mapped[str] = mapped_column(String(12), default=PaymentStatus.PENDING, index=True)
    # What the payer writes on a bank transfer (manual provider), so staff can match it.
    transfer_code: Mapped[str] = mapped_column(String(24), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))

    @property
    def confirmed(self) -> bool:
        return self.status == PaymentStatus.CONFIRMED

    @property
    def is_demo(self) -> bool:
        return self.provider == "sandbox"
