"""Monitoring of poor households over time (防返贫监测) and two-way evaluation.

Visits are only ever added: a household's figures over the years are its visits in date
order. Its present standing (poor, left poverty, on the watch list) is kept in
`MonitoredHousehold` beside the events that changed it, which the counts are made of.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db
from ..giving.models import Household
from ..matching.models import Pairing

# What a visit can record as newly happened to the household: each puts it on the watch list.
SHOCKS = ("illness", "disability", "disaster", "job_loss")
WATCH_REASONS = ("income",) + SHOCKS
EVENT_KINDS = ("exit", "watch_in", "watch_out")
STANDINGS = ("poor", "exited")


class PovertyLine(db.Model):
    """A year's poverty line as a national coordinator set it (the official figure is the
    default, see services.DEFAULT_LINES), and the watch margin above it in per cent."""

    __tablename__ = "monitoring_poverty_lines"
    __table_args__ = (
        CheckConstraint("line_yuan > 0", name="line_positive"),
        CheckConstraint("margin_pct >= 0 and margin_pct <= 200", name="margin"),
    )

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    line_yuan: Mapped[int]
    margin_pct: Mapped[int] = mapped_column(default=50)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MonitoredHousehold(db.Model):
    """A household's standing in monitoring, its responsible cadre's account and the code
    printed on its contact card (the household's key to rate or complain without an
    account)."""

    __tablename__ = "monitoring_households"
    __personal_fields__ = frozenset({"card_code", "watch_reason"})
    __table_args__ = (
        CheckConstraint("standing in ('poor','exited')", name="standing"),
        CheckConstraint("watch_reason in ('','" + "','".join(WATCH_REASONS) + "')",
                        name="watch_reason"),
        CheckConstraint("watched = (watch_reason <> '')", name="watched_reason"),
    )

    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"),
                                              primary_key=True, autoincrement=False)
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    card_code: Mapped[str] = mapped_column(String(12))
    standing: Mapped[str] = mapped_column(String(8), default="poor")
    exited_on: Mapped[date | None]
    watched: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    watch_reason: Mapped[str] = mapped_column(String(12), default="")
    watched_since: Mapped[datetime | None]

    household: Mapped[Household] = relationship()
    cadre: Mapped[User | None] = relationship()


class Visit(db.Model):
    """One dated visit with the household's figures (两不愁三保障 as yes/no checks)."""

    __tablename__ = "monitoring_visits"
    __personal_fields__ = frozenset({"income_per_capita", "workers_away", "workers_local",
                                     "causes", "food_clothing", "schooling", "medical",
                                     "housing", "water", "shock"})
    __table_args__ = (
        CheckConstraint("income_per_capita >= 0", name="income"),
        CheckConstraint("workers_away >= 0 and workers_local >= 0", name="workers"),
        CheckConstraint("shock in ('','" + "','".join(SHOCKS) + "')", name="shock"),
        Index("ix_monitoring_visits_household_day", "household_id", "visited_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    visited_on: Mapped[date]
    income_per_capita: Mapped[int]  # yuan per person and year
    workers_away: Mapped[int] = mapped_column(default=0)
    workers_local: Mapped[int] = mapped_column(default=0)
    causes: Mapped[str] = mapped_column(String(120), default="")  # giving's CAUSES, comma-separated
    food_clothing: Mapped[bool] = mapped_column(Boolean)  # 不愁吃、不愁穿
    schooling: Mapped[bool] = mapped_column(Boolean)  # compulsory education assured
    medical: Mapped[bool] = mapped_column(Boolean)  # basic medical insurance
    housing: Mapped[bool] = mapped_column(Boolean)  # safe housing
    water: Mapped[bool] = mapped_column(Boolean)  # safe drinking water
    shock: Mapped[str] = mapped_column(String(12), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    recorded_by: Mapped[User | None] = relationship()

    @property
    def guarantees_hold(self) -> bool:
        return all((self.food_clothing, self.schooling, self.medical, self.housing, self.water))


class StandingEvent(db.Model):
    """Exit confirmed, entry to or exit from the watch list; `after_exit` marks a return
    of a household that had left poverty."""

    __tablename__ = "monitoring_events"
    __personal_fields__ = frozenset({"reason"})  # an illness, a disability
    __table_args__ = (
        CheckConstraint("kind in ('exit','watch_in','watch_out')", name="kind"),
        Index("ix_monitoring_events_household_at", "household_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(12), default="")
    after_exit: Mapped[bool] = mapped_column(Boolean, default=False)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_visits.id",
                                                            ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class PairingRating(db.Model):
    """The village rates the enterprise's help, the enterprise the village's cooperation,
    once at confirmed delivery and once at the pairing's end (1 to 5 each)."""

    __tablename__ = "monitoring_pairing_ratings"
    __table_args__ = (
        UniqueConstraint("pairing_id", "stage", "side", name="uq_monitoring_pairing_ratings"),
        CheckConstraint("stage in ('delivery','end')", name="stage"),
        CheckConstraint(
            "(side = 'village' and on_time between 1 and 5 and as_promised between 1 and 5"
            " and useful between 1 and 5 and cooperation is null)"
            " or (side = 'enterprise' and cooperation between 1 and 5 and on_time is null"
            " and as_promised is null and useful is null)", name="scores"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"),
                                            index=True)
    stage: Mapped[str] = mapped_column(String(10))
    side: Mapped[str] = mapped_column(String(10))
    on_time: Mapped[int | None]
    as_promised: Mapped[int | None]
    useful: Mapped[int | None]
    cooperation: Mapped[int | None]
    comment: Mapped[str] = mapped_column(String(500), default="")
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pairing: Mapped[Pairing] = relationship()

    @property
    def score(self) -> float:
        parts = [p for p in (self.on_time, self.as_promised, self.useful, self.cooperation)
                 if p is not None]
        return sum(parts) / len(parts)


class CadreRating(db.Model):
    """A household's yearly rating of its cadre's visits and help."""

    __tablename__ = "monitoring_cadre_ratings"
    __personal_fields__ = frozenset({"comment"})
    __table_args__ = (
        UniqueConstraint("household_id", "year", name="uq_monitoring_cadre_ratings_year"),
        CheckConstraint("visits between 1 and 5 and help between 1 and 5", name="scores"),
        CheckConstraint("via in ('secretary','card')", name="via"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    year: Mapped[int]
    visits: Mapped[int]
    help: Mapped[int]
    comment: Mapped[str] = mapped_column(String(500), default="")
    via: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CadreComplaint(db.Model):
    """A household's complaint about its cadre, straight to the county's verifiers."""

    __tablename__ = "monitoring_cadre_complaints"
    __personal_fields__ = frozenset({"body", "decision"})
    __table_args__ = (
        CheckConstraint("status in ('open','upheld','dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"),
                                              index=True)
    cadre_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10), default="open")
    decision: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    household: Mapped[Household] = relationship()


class Inspection(db.Model):
    """A county's announced inspection (an assessment of exits): exits confirmed in a rush
    just before one are a sign a verifier should look at."""

    __tablename__ = "monitoring_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    held_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
