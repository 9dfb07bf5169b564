"""Households, their help requests, donations, disbursements and complaints.

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..enterprises.models import Enterprise
from ..extensions import db
from ..needs.models import Need
from ..places.models import Village

CAUSES = ("illness", "disability", "schooling", "labour", "disaster", "other")
PURPOSES = ("medical", "education", "housing", "other")


class Household(db.Model):
    """A registered poor household (建档立卡贫困户) of a village."""

    __tablename__ = "households"
    # Kept out of the audit log (which names them as changed): who the household is
    # (name, ID number, address, its number in the poverty register), its means and
    # misfortunes (income, causes of poverty), its cadre and the registrant's family tie.
    __personal_fields__ = frozenset({"head_name", "id_number_enc", "id_number_hash",
                                     "id_number_masked", "address", "registration_no",
                                     "income_per_capita", "causes", "cadre_name",
                                     "family_tie"})
    __table_args__ = (
        UniqueConstraint("village_id", "registration_no", name="uq_households_village_reg"),
        CheckConstraint("members >= 1 and members <= 30", name="members"),
        CheckConstraint("income_per_capita >= 0", name="income"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    registration_no: Mapped[str] = mapped_column(String(40))
    head_name: Mapped[str] = mapped_column(String(40))
    # Fernet token of the resident ID number; the HMAC finds duplicates without decrypting.
    id_number_enc: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(200), default="")
    members: Mapped[int] = mapped_column(default=1)
    income_per_capita: Mapped[int] = mapped_column(default=0)  # yuan per year
    causes: Mapped[str] = mapped_column(String(120), default="")  # comma-separated CAUSES
    cadre_name: Mapped[str] = mapped_column(String(80), default="")
    family_tie: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None]
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    village: Mapped[Village] = relationship()
    registered_by: Mapped[User | None] = relationship()
    requests: Mapped[list[HelpRequest]] = relationship(back_populates="household")

    @property
    def cause_list(self) -> list[str]:
        return [c for c in self.causes.split(",") if c]

    @property
    def public_name(self) -> str:
        """Surname with the given name masked: 王** (single-character surnames assumed)."""
        name = self.head_name.strip()
        return (name[:1] + "*" * max(1, len(name) - 1)) if name else "*"


class RequestStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    NOTICE = "notice"        # verified, in public notice (公示) before taking gifts
    OPEN = "open"
    FUNDED = "funded"
    DISBURSED = "disbursed"
    CLOSED = "closed"
    EXPIRED = "expired"      # past its deadline unfunded; gifts refunded or moved


STATUSES = tuple(s.value for s in RequestStatus)


class HelpRequest(db.Model):
    __tablename__ = "help_requests"
    # The illness, and the title and story that tell it with the household's name
    # ("帮龙大叔渡过透析难关"): public only while the household consents, which it may
    # withdraw; the audit log is kept for good.
    __personal_fields__ = frozenset({"diagnosis", "title", "story"})
    __table_args__ = (
        CheckConstraint("amount_needed_fen > 0", name="needed_positive"),
        CheckConstraint("raised_fen >= 0 and raised_fen <= amount_needed_fen", name="raised"),
        CheckConstraint("pledged_fen >= 0 and raised_fen + pledged_fen <= amount_needed_fen",
                        name="pledged"),
        CheckConstraint("disbursed_fen >= 0 and disbursed_fen <= raised_fen", name="disbursed"),
        CheckConstraint("status in ('" + "','".join(STATUSES) + "')", name="status"),
        CheckConstraint("purpose in ('" + "','".join(PURPOSES) + "')", name="purpose"),
        # A household's request, or a village project opened from a verified village need.
        CheckConstraint("(household_id is null) <> (need_id is null)", name="household_or_need"),
        Index("ix_help_requests_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id"), unique=True)
    purpose: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(120))
    story: Mapped[str] = mapped_column(Text, default="")
    # Illness details: for the verifier; public only when show_diagnosis is consented.
    diagnosis: Mapped[str] = mapped_column(String(500), default="")
    show_diagnosis: Mapped[bool] = mapped_column(Boolean, default=False)
    amount_needed_fen: Mapped[int] = mapped_column(BigInteger)
    raised_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    pledged_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # manual transfers pending
    disbursed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    donors_count: Mapped[int] = mapped_column(default=0)
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.DRAFT)
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    notice_until: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    household: Mapped[Household | None] = relationship(back_populates="requests")
    village: Mapped[Village] = relationship()
    need: Mapped[Need | None] = relationship()

    @property
    def is_project(self) -> bool:
        return self.household_id is None

    @property
    def remaining_fen(self) -> int:
        return self.amount_needed_fen - self.raised_fen - self.pledged_fen

    @property
    def ledger_code(self) -> str:
        return f"request:{self.id}"

    # What public pages, downloads and the API show: the household's name, ID and phone
    # numbers masked (giving.disclosure), whatever the secretary wrote.
    @property
    def public_title(self) -> str:
        from .disclosure import masked

        return masked(self, self.title)

    @property
    def public_story(self) -> str:
        from .disclosure import masked

        return masked(self, self.story)


class DonationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUNDED = "refunded"
    MOVED = "moved"
    CANCELLED = "cancelled"


class Donation(db.Model):
    __tablename__ = "donations"
    __table_args__ = (
        UniqueConstraint("donor_id", "idempotency_key", name="uq_donations_donor_key"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status in ('pending','confirmed','refunded','moved','cancelled')",
                        name="status"),
        Index("ix_donations_request_status", "request_id", "status"),
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

    request: Mapped[HelpRequest] = relationship(foreign_keys=[request_id])
    donor: Mapped[User | None] = relationship()
    fallback_request: Mapped[HelpRequest | None] = relationship(
        foreign_keys=[fallback_request_id])
    match: Mapped[Match | None] = relationship()


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
