"""API tokens: create (the plain token is returned once), revoke, authenticate."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..accounts.models import User
from ..audit import services as audit
from ..db import utcnow
from ..extensions import db
from .models import SCOPES, ApiToken

PREFIX = "pt_"
MAX_ACTIVE = 10
# last_used_at is written at most this often, so reads do not all become writes.
TOUCH_EVERY = timedelta(minutes=5)
# Lifetimes offered for new tokens, in days; 0: never expires (an owner's explicit choice).
LIFETIMES = (30, 90, 365, 0)


class TokenError(ValueError):
    """A request about tokens that cannot be done; the message is for the user."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None),
                                             ApiToken.id.desc())))


class TokenRefused(Exception):
    """Why a presented token does not authenticate: `code` goes into the API's error."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def create_token(user: User, name: str, scopes: list[str] | None = None,
                 days: int = 90) -> tuple[ApiToken, str]:
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name, e.g. the program that will use it."))
    if len(name) > 60:
        raise TokenError(_("The name may have at most 60 characters."))
    if scopes is None:  # a program's own call (not the form): what the role allows
        scopes = list(SCOPES)
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen or len(chosen) != len(set(scopes)):
        raise TokenError(_("Choose what the token may read or write."))
    if days not in LIFETIMES:
        raise TokenError(_("Choose how long the token lasts."))
    active = db.session.scalar(select(func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow())))
    if active >= MAX_ACTIVE:
        raise TokenError(_("You have %(n)d active tokens. Revoke one first.", n=MAX_ACTIVE))
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=plain[:10], token_hash=digest(plain),
                     scopes=" ".join(chosen),
                     expires_at=utcnow() + timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    audit.record(user, "api_token.create", token, after=audit.snapshot(token))
    return token, plain


def revoke_token(user: User, token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise LookupError(token_id)
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record(user, "api_token.revoke", token, before=before,
                     after=audit.snapshot(token))
    return token


def authenticate(plain: str) -> tuple[User, ApiToken]:
    """The active user behind an active token; TokenRefused says why not."""
    if not plain.startswith(PREFIX) or len(plain) > 200:
        raise TokenRefused("invalid_token")
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        raise TokenRefused("invalid_token")
    if token.expired:
        raise TokenRefused("token_expired")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
    return token.user, token
