"""Households and their help requests: the tables the rest of giving builds on.
pairing.giving.models imports them for every other module (they import nothing back)."""

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
                                     "income_per_capita", "causes", "cadre_name", "cadre_phone",
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
    # The cadre's WORK phone, printed on the contact card (never the household's own).
    cadre_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
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
        # A public request has its verification time, which the "newest" lists sort by:
        # a NULL there would have no place in a keyset page (0031).
        CheckConstraint("verified_at is not null or status not in "
                        "('notice','open','funded','disbursed','closed')",
                        name="public_verified"),
        Index("ix_help_requests_status_deadline", "status", "deadline"),
        Index("ix_help_requests_verified", "verified_at", "id"),
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
