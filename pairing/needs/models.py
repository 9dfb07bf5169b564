"""What a village needs, in the same taxonomy as the offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..enterprises.models import KIND_CHECK, check_queue_indexes, listing_indexes
from ..extensions import db
from ..places.models import Village

STATUSES = ("open", "partly_met", "met", "withdrawn")
PRIORITIES = (1, 2, 3)  # low, normal, high


class Need(db.Model):
    """`met_quantity` is maintained by the pairing services; status follows from it."""

    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint(KIND_CHECK, name="kind"),
        CheckConstraint("status in ('open','partly_met','met','withdrawn')", name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("met_quantity >= 0 and met_quantity <= quantity", name="met"),
        CheckConstraint("priority between 1 and 3", name="priority"),
        Index("ix_needs_status_kind", "status", "kind"),
        *listing_indexes("needs"),
        *check_queue_indexes("needs"),
        Index("ix_needs_public_priority", "public", "priority", "id"),
        Index("ix_needs_public_province_priority", "public", "province_code", "priority", "id"),
        Index("ix_needs_description_trgm", "description", postgresql_using="gin",
              postgresql_ops={"description": "public.gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(BigInteger)
    met_quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    priority: Mapped[int] = mapped_column(default=2)
    # GB/T 4754 section letter wanted of the helper (industry needs only).
    sector: Mapped[str | None] = mapped_column(String(1))
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # Copied from the village and the kind so the public lists need no join:
    # public = village verified and need open or partly met. Kept by listing.py.
    county_code: Mapped[str] = mapped_column(String(6), default="", server_default="")
    province_code: Mapped[str] = mapped_column(String(2), default="", server_default="")
    mechanism: Mapped[str] = mapped_column(String(12), default="", server_default="")
    public: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The light review, as for offers (pairing/verification/content.py).
    checked_at: Mapped[datetime | None]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    check_note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    village: Mapped[Village] = relationship()

    @property
    def remaining(self) -> int:
        return self.quantity - self.met_quantity

