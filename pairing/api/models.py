"""Per-user API tokens: only a hash is stored; the token itself is shown once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..db import utcnow
from ..extensions import db

# Areas a token may be allowed to read or write; the user's role still decides what each
# area allows (a donor's "shop:write" writes nothing a donor could not write on the site).
AREAS = ("marketplace", "matching", "giving", "shop")
SCOPES = tuple(f"{area}:{mode}" for area in AREAS for mode in ("read", "write"))
# Tokens made before scopes existed keep what they could do: every area, as their role
# allows (the migration's default; see README, API tokens).
ALL_SCOPES = " ".join(SCOPES)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __personal_fields__ = frozenset({"token_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    # The first characters of the token, so that its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    # SHA-256 of the token: tokens are long random strings, so a slow hash adds nothing.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Space-separated "area:read" / "area:write" (SCOPES).
    scopes: Mapped[str] = mapped_column(String(300), default=ALL_SCOPES,
                                        server_default=ALL_SCOPES)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # None: never expires (tokens made before expiries existed).
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in SCOPES]

    def allows(self, scope: str) -> bool:
        """"giving:read" is allowed by "giving:read" or "giving:write" (writing implies
        reading what one writes)."""
        area, _sep, mode = scope.partition(":")
        held = set(self.scope_list)
        return scope in held or (mode == "read" and f"{area}:write" in held)
