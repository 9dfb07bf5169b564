"""Tokens with chosen scopes and lifetimes, made by the service the account page uses."""

from __future__ import annotations

from datetime import timedelta

from pairing.api import services
from pairing.api.models import ApiToken
from pairing.db import utcnow
from pairing.extensions import db


def make(app, user_id: int, scopes: list[str] | None, days: int = 90,
         expired: bool = False) -> str:
    """scopes None: every scope."""
    from pairing.accounts.models import User

    with app.app_context():
        token, plain = services.create_token(db.session.get(User, user_id), "t", scopes, days)
        if expired:
            db.session.get(ApiToken, token.id).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    return plain


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
