"""Pairing rounds, proposals, pairings, progress reports, evidence and the inbox.

Quantities are stored like offers and needs: fen for money kinds, people otherwise.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..enterprises.models import Offer
from ..extensions import db
from ..needs.models import Need

ROUND_STATUSES = ("draft", "running", "done", "failed")
PROPOSAL_STATUSES = ("pending", "accepted", "declined", "expired")
PAIRING_STATUSES = ("active", "fulfilled", "lapsed")
REPORT_STATUSES = ("reported", "confirmed", "disputed", "upheld", "rejected", "withdrawn")


class Round(db.Model):
    """One run of the solver over the open offers and needs of a scope."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("status in ('draft','running','done','failed')", name="status"),
        # One round runs at a time, whatever its scope: every round draws on the same
        # (nationwide) offers, so two at once could promise one offer's capacity twice.
        Index("uq_rounds_running", "status", unique=True,
              sqlite_where=text("status = 'running'"), postgresql_where=text("status = 'running'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: nationwide; else a 2-digit province code (the villages' province).
    province_code: Mapped[str | None] = mapped_column(ForeignKey("provinces.code"))
    weights: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    stage: Mapped[str] = mapped_column(String(20), default="")
    # Each start counts one up; a job runs only the attempt it was queued for, so a stalled
    # worker that wakes after the round was restarted does nothing (jobs.py).
    attempt: Mapped[int] = mapped_column(default=0, server_default="0")
    # [[stage, ISO start time], ...] of the current attempt: the page shows each stage's time.
    stage_log: Mapped[list[Any] | None] = mapped_column(JSON)
    # Figures of the solve and the greedy baseline, written when the round finishes.
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()


class Proposal(db.Model):
    """A pair the solver proposed; both sides answer. At most one pending per pair."""

    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("status in ('pending','accepted','declined','expired')", name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("enterprise_answer is null or enterprise_answer in ('accept','decline')",
                        name="enterprise_answer"),
        CheckConstraint("village_answer is null or village_answer in ('accept','decline')",
                        name="village_answer"),
        Index("uq_proposals_pending_pair", "offer_id", "need_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        Index("ix_proposals_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"),
                                          index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"),
                                          index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    score: Mapped[int] = mapped_column(default=0)
    parts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    distance_km: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    enterprise_answer: Mapped[str | None] = mapped_column(String(10))
    enterprise_reason: Mapped[str] = mapped_column(String(500), default="")
    village_answer: Mapped[str | None] = mapped_column(String(10))
    village_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship()
    offer: Mapped[Offer] = relationship()
    need: Mapped[Need] = relationship()


class Pairing(db.Model):
    """Both sides accepted: the enterprise helps the village with `quantity`."""

    __tablename__ = "pairings"
    __table_args__ = (
        UniqueConstraint("proposal_id", name="uq_pairings_proposal_id"),
        CheckConstraint("status in ('active','fulfilled','lapsed')", name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("delivered_quantity >= 0", name="delivered_nonnegative"),
        CheckConstraint("ends_on >= starts_on", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="RESTRICT"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"),
                                          index=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    # Confirmed by the village (or upheld by a verifier); what counts toward the need.
    delivered_quantity: Mapped[int] = mapped_column(BigInteger, default=0)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship()
    offer: Mapped[Offer] = relationship()
    need: Mapped[Need] = relationship()
    reports: Mapped[list[ProgressReport]] = relationship(back_populates="pairing",
                                                        order_by="ProgressReport.id")


class ProgressReport(db.Model):
    """The enterprise says what it delivered; the village confirms or disputes it."""

    __tablename__ = "progress_reports"
    __table_args__ = (
        CheckConstraint("status in ('reported','confirmed','disputed','upheld','rejected',"
                        "'withdrawn')", name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"),
                                            index=True)
    quantity: Mapped[int] = mapped_column(BigInteger)
    # Made by a received village-shop order on a procurement pairing (one report per order).
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_orders.id", ondelete="SET NULL"), unique=True)
    # Made by a matched crowdfunding gift (giving); withdrawn if that gift is refunded.
    donation_id: Mapped[int | None] = mapped_column(
        ForeignKey("donations.id", ondelete="SET NULL"), unique=True)
    delivered_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(2000), default="")
    status: Mapped[str] = mapped_column(String(10), default="reported", index=True)
    dispute_reason: Mapped[str] = mapped_column(String(1000), default="")
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]

    pairing: Mapped[Pairing] = relationship(back_populates="reports")
    files: Mapped[list[EvidenceFile]] = relationship(back_populates="report",
                                                    order_by="EvidenceFile.id")


class EvidenceFile(db.Model):
    """A photo or PDF stored under UPLOAD_DIR under a generated name."""

    __tablename__ = "evidence_files"
    __table_args__ = (
        UniqueConstraint("stored_name", name="uq_evidence_files_stored_name"),
        CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"),
                                           index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(120), default="")
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[ProgressReport] = relationship(back_populates="files")


# The inbox row moved to the notices area (same table); old imports keep working.
from ..notices.models import Notification  # noqa: E402, F401


class PairingContact(db.Model):
    """Who handles a pairing for one side: shown to the two parties only (threads.py).
    Without a row a side's contact is read from its profile (the enterprise's contact or
    officer, the village's secretary); a row records what the side itself set."""

    __tablename__ = "pairing_contacts"
    __personal_fields__ = frozenset({"name", "phone", "email"})
    __table_args__ = (
        UniqueConstraint("pairing_id", "side", name="uq_pairing_contacts_pairing_side"),
        CheckConstraint("side in ('enterprise','village')", name="side"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PairingMessage(db.Model):
    """One message of a pairing's thread between its two parties (plain text)."""

    __tablename__ = "pairing_messages"
    __table_args__ = (
        CheckConstraint("side in ('enterprise','village')", name="side"),
        Index("ix_pairing_messages_pairing_id_id", "pairing_id", "id"),
        # The rate limit counts an author's recent messages.
        Index("ix_pairing_messages_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
