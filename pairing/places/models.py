"""Provinces, counties (real administrative codes), villages and east–west pairs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db


class Province(db.Model):
    __tablename__ = "provinces"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    lon: Mapped[float]
    lat: Mapped[float]

    counties: Mapped[list[County]] = relationship(back_populates="province")

    def display_name(self, locale: str) -> str:
        return self.name if locale.startswith("zh") else self.name_en


class County(db.Model):
    """County-level division (县, 县级市, 区, 旗); 6-digit code."""

    __tablename__ = "counties"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    city: Mapped[str] = mapped_column(String(60), default="")
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    lon: Mapped[float]
    lat: Mapped[float]

    province: Mapped[Province] = relationship(back_populates="counties")

    def display_name(self, locale: str) -> str:
        """The province in the locale's words, then the county (named in Chinese only)."""
        return f"{self.province.display_name(locale)} · {self.name}"

    @property
    def full_name(self) -> str:
        """Province, city and county as people write them (市辖区 is not a name)."""
        city = "" if self.city in ("", "市辖区", "县", self.name) else self.city
        return "".join(p for p in (self.province.name, city, self.name) if p)


class Status(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Village(db.Model):
    __tablename__ = "villages"
    __table_args__ = (
        UniqueConstraint("county_code", "name", name="uq_villages_county_name"),
        CheckConstraint("status in ('pending','verified','rejected')", name="status"),
        CheckConstraint(
            "population >= 0 and households >= 0 and poor_households >= 0"
            " and poor_population >= 0 and income_per_capita >= 0",
            name="figures_nonnegative",
        ),
        # The verifiers' queue, oldest first (places/villages.py pending_villages).
        Index("ix_villages_pending", "created_at", "id",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        # A county's villages by name (the county page, the API's default order).
        Index("ix_villages_status_county", "status", "county_code", "name", "id"),
        # List pages: filter + sort served by one index each (migration 0009); each ends
        # with id, the keyset's tie-breaker, so a next page is one range (0031).
        Index("ix_villages_status_id", "status", "id"),
        Index("ix_villages_status_name", "status", "name", "id"),
        Index("ix_villages_status_poor", "status", "poor_population", "id"),
        Index("ix_villages_status_province_poor", "status", "province_code",
              "poor_population", "id"),
        Index("ix_villages_status_province_id", "status", "province_code", "id"),
        Index("ix_villages_name_trgm", "name", postgresql_using="gin",
              postgresql_ops={"name": "public.gin_trgm_ops"}),
        Index("ix_villages_description_trgm", "description", postgresql_using="gin",
              postgresql_ops={"description": "public.gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    # county_code[:2], kept by pairing/needs/listing.py so lists filter by province directly.
    province_code: Mapped[str] = mapped_column(String(2), default="", server_default="")
    secretary_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    population: Mapped[int] = mapped_column(default=0)
    households: Mapped[int] = mapped_column(default=0)
    poor_households: Mapped[int] = mapped_column(default=0)
    poor_population: Mapped[int] = mapped_column(default=0)
    # Per-capita net income, yuan per year.
    income_per_capita: Mapped[int] = mapped_column(default=0)
    deep_poverty: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(10), default=Status.PENDING)
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    county: Mapped[County] = relationship()
    secretary: Mapped[User | None] = relationship(foreign_keys=[secretary_id])

    @property
    def poverty_incidence(self) -> float:
        """Share of the population registered as poor (0..1)."""
        if self.population <= 0:
            return 0.0
        return min(1.0, self.poor_population / self.population)


class EastWestPair(db.Model):
    """East–west cooperation (东西部协作): an eastern province helps a western one."""

    __tablename__ = "east_west_pairs"
    __table_args__ = (
        UniqueConstraint("east_code", "west_code", name="uq_east_west_pairs_east_west"),
        CheckConstraint("east_code <> west_code", name="distinct"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    east_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    west_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))

    east: Mapped[Province] = relationship(foreign_keys=[east_code])
    west: Mapped[Province] = relationship(foreign_keys=[west_code])
