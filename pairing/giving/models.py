"""Households, their help requests (household_models.py), donations, disbursements,
complaints and matched giving.

Money columns are integer fen. `raised_fen` of a request is kept beside the ledger in the
same transaction (see services): raised_fen - disbursed_fen always equals the balance
of the request's ledger account "request:<id>".
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
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
from ..enterprises.models import Enterprise
from ..extensions import db
from ..places.models import Village

# Households and help requests live in household_models.py; imported here for everyone.
from .household_models import (  # noqa: F401
    CAUSES,
    PURPOSES,
    STATUSES,
    HelpRequest,
    Household,
    RequestStatus,
)


class DonationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUNDED = "refunded"
    MOVED = "moved"
    CANCELLED = "cancelled"


class Donation(db.Model):
    __tablename__ = "donations"
    # A guest's address for the receipt (never shown publicly, never in the audit log).
    __personal_fields__ = frozenset({"guest_email"})
    __table_args__ = (
        UniqueConstraint("donor_id", "idempotency_key", name="uq_donations_donor_key"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status in ('pending','confirmed','refunded','moved','cancelled')",
                        name="status"),
        Index("ix_donations_request_status", "request_id", "status"),
        # A donor's own gifts, newest first, by keyset (/giving/my-gifts).
        Index("ix_donations_donor_created", "donor_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"))
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(String(200), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default=DonationStatus.PENDING)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    # Where the gift goes if the request misses its deadline (donor's choice; else refund).
    fallback_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id"))
    moved_from_id: Mapped[int | None] = mapped_column(ForeignKey("donations.id"))
    # A matched gift: the enterprise's pool doubling a public gift (donor_id is null).
    match_id: Mapped[int | None] = mapped_column(ForeignKey("giving_matches.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # A guest's gift (no account, donor_id null, match_id null): the name it is shown
    # under ("" when anonymous), the receipt's address and the form's idempotency key,
    # unique because uq_donations_donor_key does not hold for a null donor.
    guest_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    request: Mapped[HelpRequest] = relationship(foreign_keys=[request_id])
    donor: Mapped[User | None] = relationship()
    fallback_request: Mapped[HelpRequest | None] = relationship(
        foreign_keys=[fallback_request_id])
    match: Mapped[Match | None] = relationship()

    @property
    def public_name(self) -> str | None:
        """The name a public list shows: None for an anonymous gift."""
        if self.anonymous:
            return None
        return (self.donor.display_name if self.donor else self.guest_name) or None


class GivingFile(db.Model):
    """An uploaded evidence file or invoice, stored under UPLOAD_DIR by a generated name."""

    __tablename__ = "giving_files"
    # A file's own name often names the patient ("龙德成诊断书.pdf").
    __personal_fields__ = frozenset({"original_name"})
    __table_args__ = (CheckConstraint("kind in ('evidence','invoice')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Disbursement(db.Model):
    __tablename__ = "disbursements"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status in ('requested','approved','rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(300), default="")  # public: what it paid for
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("giving_files.id"))
    status: Mapped[str] = mapped_column(String(10), default="requested")
    reason: Mapped[str] = mapped_column(String(300), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    request: Mapped[HelpRequest] = relationship()
    invoice: Mapped[GivingFile | None] = relationship()


class RequestUpdate(db.Model):
    """A public progress note on a request (surgery done, school term paid)."""

    __tablename__ = "help_request_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"), index=True)
    body: Mapped[str] = mapped_column(String(1000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# What a "report a problem" says is wrong. A serious one from a logged-in person stops a
# request's gifts until a verifier decides; see complaints.pausing.
COMPLAINT_KINDS = ("fraud", "misuse", "privacy", "other")
SERIOUS_COMPLAINTS = ("fraud", "misuse")


class Complaint(db.Model):
    """A "report a problem" of the public, for the verifiers' queue."""

    __tablename__ = "giving_complaints"
    # The reporter's contact and the report's own words (names, phones, a household's
    # circumstances), should the log ever record them.
    __personal_fields__ = frozenset({"contact", "body"})
    __table_args__ = (
        CheckConstraint("status in ('open','upheld','dismissed')", name="status"),
        # exactly one subject: a request (or project), a village or an enterprise
        CheckConstraint("(case when request_id is null then 0 else 1 end)"
                        " + (case when village_id is null then 0 else 1 end)"
                        " + (case when enterprise_id is null then 0 else 1 end) = 1",
                        name="one_subject"),
        CheckConstraint("kind in ('" + "','".join(COMPLAINT_KINDS) + "')", name="kind"),
        Index("ix_giving_complaints_request_status", "request_id", "status"),
        Index("ix_giving_complaints_village_status", "village_id", "status"),
        Index("ix_giving_complaints_enterprise_status", "enterprise_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    body: Mapped[str] = mapped_column(String(1000))
    contact: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(10), default="other", server_default="other")
    # The logged-in reporter; None for an anonymous visitor, whose report stops nothing.
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    decision: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    request: Mapped[HelpRequest | None] = relationship()
    village: Mapped[Village | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    @property
    def county_code(self) -> str:
        """The county whose verifiers decide the complaint."""
        if self.request is not None:
            return self.request.village.county_code
        subject = self.village or self.enterprise
        return subject.county_code if subject is not None else ""


class Match(db.Model):
    """An enterprise doubles public gifts to chosen requests: 1:1 from a pool it paid in
    advance, for a period; what is left returns to it at the end."""

    __tablename__ = "giving_matches"
    __table_args__ = (
        CheckConstraint("pool_fen > 0", name="pool_positive"),
        CheckConstraint("used_fen >= 0 and used_fen + returned_fen <= pool_fen", name="used"),
        CheckConstraint("status in ('active','ended')", name="status"),
        CheckConstraint("ends_at > starts_at", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"))
    pool_fen: Mapped[int] = mapped_column(BigInteger)
    used_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    returned_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(8), default="active")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    enterprise: Mapped[Enterprise] = relationship()

    @property
    def ledger_code(self) -> str:
        return f"match:{self.id}"


class MatchTarget(db.Model):
    __tablename__ = "giving_match_targets"
    __table_args__ = (UniqueConstraint("match_id", "request_id",
                                       name="uq_giving_match_targets_match_request"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("giving_matches.id"))
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"), index=True)
