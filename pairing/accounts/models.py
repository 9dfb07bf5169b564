"""Users, their roles and jurisdictions, and server-side login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db


class Role(enum.StrEnum):
    ENTERPRISE = "enterprise"
    SECRETARY = "secretary"
    DONOR = "donor"
    VERIFIER = "verifier"
    COORDINATOR = "coordinator"


SELF_REGISTER_ROLES = (Role.ENTERPRISE, Role.SECRETARY, Role.DONOR)
STAFF_ROLES = (Role.VERIFIER, Role.COORDINATOR)
COUNTRY = "CN"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __personal_fields__ = frozenset({"email", "display_name", "password_hash"})
    __table_args__ = (
        CheckConstraint(
            "role in ('enterprise','secretary','donor','verifier','coordinator')", name="role"
        ),
        CheckConstraint(
            "(role in ('verifier','coordinator')) = (jurisdiction is not null)",
            name="staff_jurisdiction",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: e-mail addresses are compared without letter case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    # A staff member's WORK phone (a secretary's is printed on households' contact cards).
    work_phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    role: Mapped[str] = mapped_column(String(16), index=True)
    # "CN" (whole country), a 2-digit province code or a 6-digit county code; staff only.
    jurisdiction: Mapped[str | None] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language of the person's last log-in: their e-mails are written in it.
    language: Mapped[str] = mapped_column(String(5), default="zh", server_default="zh")
    # Set when the person deleted the account (pairing/privacy/services.py): the row only
    # keeps ids for the ledger and the audit log, and is never activated again.
    deleted_at: Mapped[datetime | None]

    sessions: Mapped[list[LoginSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def covers(self, county_code: str | None) -> bool:
        """Whether a county lies inside this staff member's jurisdiction."""
        if self.jurisdiction is None or county_code is None:
            return False
        if self.jurisdiction == COUNTRY:
            return True
        return county_code.startswith(self.jurisdiction)

    @property
    def jurisdiction_level(self) -> str | None:
        if self.jurisdiction is None:
            return None
        if self.jurisdiction == COUNTRY:
            return "country"
        return "province" if len(self.jurisdiction) == 2 else "county"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One row per logged-in browser; the cookie carries its token, the table its hash.

    Deleting the row ends the session: a copied cookie is refused afterwards.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="sessions")
