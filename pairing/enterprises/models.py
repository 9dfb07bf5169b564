"""Enterprises taking part in the programme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db
from ..places.models import County

# Sections of GB/T 4754-2017, the national classification of economic activities.
SECTORS = {
    "A": "Agriculture, forestry, animal husbandry and fishery",
    "B": "Mining",
    "C": "Manufacturing",
    "D": "Electricity, heat, gas and water",
    "E": "Construction",
    "F": "Wholesale and retail trade",
    "G": "Transport, storage and post",
    "H": "Accommodation and catering",
    "I": "Information technology services",
    "J": "Finance",
    "K": "Real estate",
    "L": "Leasing and business services",
    "M": "Scientific research and technical services",
    "N": "Water, environment and public facilities",
    "O": "Resident and repair services",
    "P": "Education",
    "Q": "Health and social work",
    "R": "Culture, sports and entertainment",
    "S": "Public administration and social organisations",
    "T": "International organisations",
}


class Enterprise(db.Model):
    __tablename__ = "enterprises"
    __personal_fields__ = frozenset({"contact_name", "contact_phone"})
    __table_args__ = (
        CheckConstraint("status in ('pending','verified','rejected')", name="status"),
        CheckConstraint("employees >= 0", name="employees_nonnegative"),
        Index("ix_enterprises_status_county", "status", "county_code"),
        # Text search (Chinese has no word spaces): trigram GIN on PostgreSQL; a plain
        # index on SQLite, where searches use LIKE. public.: tests run in their own schema.
        Index("ix_enterprises_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "public.gin_trgm_ops"}),
        Index("ix_enterprises_description_trgm", "description", postgresql_using="gin",
              postgresql_ops={"description": "public.gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Unified social credit code (统一社会信用代码), GB 32100-2015.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    sector: Mapped[str] = mapped_column(String(1))
    employees: Mapped[int] = mapped_column(default=0)
    contact_name: Mapped[str] = mapped_column(String(60), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    description: Mapped[str] = mapped_column(String(2000), default="")
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    county: Mapped[County] = relationship()
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    offers: Mapped[list[Offer]] = relationship(back_populates="enterprise",
                                               order_by="Offer.id")


KIND_CHECK = "kind in ('investment','procurement','ecommerce','jobs','training','donation'," \
    "'infrastructure','education','medical')"


class Offer(db.Model):
    """What an enterprise commits: a quantity of one kind (fen or people).

    `paired_quantity` is maintained by the pairing services; once it is above zero only
    the unpaired remainder (quantity - paired_quantity) may change."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(KIND_CHECK, name="kind"),
        CheckConstraint("status in ('active','withdrawn')", name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("paired_quantity >= 0 and paired_quantity <= quantity", name="paired"),
        CheckConstraint("max_villages >= 1", name="max_villages"),
        CheckConstraint("ends_on is null or ends_on >= starts_on", name="period"),
        Index("ix_offers_status_kind", "status", "kind"),
        Index("ix_offers_description_trgm", "description", postgresql_using="gin",
              postgresql_ops={"description": "public.gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"),
                                               index=True)
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(BigInteger)
    paired_quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    max_villages: Mapped[int] = mapped_column(default=1)
    # Preferred provinces as comma-separated 2-digit codes ("" = anywhere): filterable
    # with LIKE '%43%' since every code has two digits.
    provinces: Mapped[str] = mapped_column(String(120), default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    enterprise: Mapped[Enterprise] = relationship(back_populates="offers")

    @property
    def remaining(self) -> int:
        return self.quantity - self.paired_quantity

    @property
    def province_codes(self) -> list[str]:
        return [c for c in self.provinces.split(",") if c]
