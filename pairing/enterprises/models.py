"""Enterprises taking part in the programme."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, text
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
        # The verifiers' queue (oldest first) and its warnings: the same name or the same
        # organisation code (the credit code's 9th to 17th characters) elsewhere.
        Index("ix_enterprises_pending", "created_at", "id",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_enterprises_name", "name"),
        Index("ix_enterprises_org_code", text("substr(credit_code, 9, 9)")),
        # List pages: filter + sort served by one index each (migration 0009); each ends
        # with id, the keyset's tie-breaker, so a next page is one range (0031).
        Index("ix_enterprises_status_id", "status", "id"),
        Index("ix_enterprises_status_name", "status", "name", "id"),
        Index("ix_enterprises_status_employees", "status", "employees", "id"),
        Index("ix_enterprises_status_province_sector", "status", "province_code", "sector",
              "employees", "id"),
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
    # county_code[:2], kept by pairing/needs/listing.py so lists filter by province directly.
    province_code: Mapped[str] = mapped_column(String(2), default="", server_default="")
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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    county: Mapped[County] = relationship()
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    offers: Mapped[list[Offer]] = relationship(back_populates="enterprise",
                                               order_by="Offer.id")


KIND_CHECK = "kind in ('investment','procurement','ecommerce','jobs','training','donation'," \
    "'infrastructure','education','medical')"


def listing_indexes(table: str) -> list[Index]:
    """Offers and needs: public rows by place and kind/mechanism, newest or biggest first."""
    shapes = {"id": ("id",), "province": ("province_code", "id"), "county": ("county_code", "id"),
              "kind": ("kind", "id"), "mechanism": ("mechanism", "id"),
              "province_kind": ("province_code", "kind", "id"),
              "province_mechanism": ("province_code", "mechanism", "id"),
              "quantity": ("quantity", "id"), "kind_quantity": ("kind", "quantity", "id"),
              "mechanism_quantity": ("mechanism", "quantity", "id")}
    return [Index(f"ix_{table}_public_{name}", "public", *columns)
            for name, columns in shapes.items()]


def check_queue_indexes(table: str) -> list[Index]:
    """Offers and needs waiting for a verifier's check, oldest first, nationwide or in a
    province or county (pairing/verification/content.py). Partial: only what waits, which
    a working queue keeps small, is indexed."""
    waiting = text("public AND checked_at IS NULL")
    shapes = {"": (), "_province": ("province_code",), "_county": ("county_code",)}
    return [Index(f"ix_{table}_unchecked{name}", *columns, "created_at", "id",
                  postgresql_where=waiting, sqlite_where=waiting)
            for name, columns in shapes.items()]


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
        # One index per filter + sort of /offers (copied columns: see pairing/needs/listing.py).
        *listing_indexes("offers"),
        *check_queue_indexes("offers"),
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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # Copied from the enterprise and the kind so the public lists need no join:
    # public = enterprise verified and offer active. Kept by pairing/needs/listing.py.
    county_code: Mapped[str] = mapped_column(String(6), default="", server_default="")
    province_code: Mapped[str] = mapped_column(String(2), default="", server_default="")
    mechanism: Mapped[str] = mapped_column(String(12), default="", server_default="")
    public: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # The light review of a verified enterprise's offer (pairing/verification/content.py):
    # public at once and marked "not yet checked" until a verifier has read it; a change of
    # its substance asks for a new check. check_note: why a verifier withdrew it.
    checked_at: Mapped[datetime | None]
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    check_note: Mapped[str] = mapped_column(String(500), default="", server_default="")

    enterprise: Mapped[Enterprise] = relationship(back_populates="offers")

    @property
    def remaining(self) -> int:
        return self.quantity - self.paired_quantity

    @property
    def province_codes(self) -> list[str]:
        return [c for c in self.provinces.split(",") if c]


def grams(text: str | None) -> set[str]:
    """The distinct 1- and 2-character pieces of a text, lower case, without blanks."""
    text = (text or "").lower()
    pieces = {c for c in text} | {text[i:i + 2] for i in range(len(text) - 1)}
    return {p for p in pieces if p.strip() == p and p}


def search_source(model: type) -> str:
    """SearchGram.source of a model's rows: all of a row's searched text under one name."""
    return f"{model.__tablename__}.text"  # type: ignore[attr-defined]


class SearchGram(db.Model):
    """Every 1- and 2-character piece of the searched texts (lower case): searches are
    index lookups here, in id order within a (source, gram). `source` is "<table>.text",
    a row's searched columns and, for offers and needs, its owner's name together. Kept by
    pairing/needs/listing.py and the national loader."""

    __tablename__ = "search_grams"

    source: Mapped[str] = mapped_column(String(24), primary_key=True)
    gram: Mapped[str] = mapped_column(String(2), primary_key=True)
    ref_id: Mapped[int] = mapped_column(primary_key=True)
