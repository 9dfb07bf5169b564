"""Enterprises taking part in the programme."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
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
