"""Self-registration that never tells whether an e-mail address has an account.

Whoever registers gets the same answer: "a link is on its way". A new address gets a link
that creates the account when opened (it proves the address, too); an address that already
has an account gets a note telling its owner, who may log in or reset the password. The link
carries the registration, encrypted (the password only as its hash), so nothing is stored
until the owner of the address confirms.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..extensions import db
from . import services
from .models import SELF_REGISTER_ROLES, Role, User

MAX_AGE_S = 24 * 3600


def _fernet() -> Fernet:
    # A key of its own derived from SECRET_KEY: these links cannot be read or forged
    # without it, and rotating SECRET_KEY ends the pending ones.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"registration:" + secret).digest()))


# Pages whose visitors register to give or to buy: they are donors.
DONOR_PATHS = ("/crowdfunding", "/shop", "/giving/receipts", "/giving/my-gifts")


def role_for(next_url: str, asked: str = "") -> str:
    """The role a registration form starts with: the one asked for (?role=), else a donor
    when they came from a crowdfunding or shop page, else an enterprise."""
    if asked in {r.value for r in SELF_REGISTER_ROLES}:
        return asked
    if next_url.startswith(DONOR_PATHS):
        return Role.DONOR.value
    return Role.ENTERPRISE.value


def start(*, email: str, display_name: str, role: str, password: str, language: str,
          next_url: str = "", session: Session | None = None
          ) -> tuple[User | None, str | None]:
    """(the existing account, None) or (None, the confirmation token); raises AccountError
    for a role or password that can never be accepted (the same for both answers)."""
    if role not in {r.value for r in SELF_REGISTER_ROLES}:
        raise services.AccountError(_l("This role cannot register itself."))
    services.check_new_password(password, email=email, name=display_name)
    pw_hash = services.hash_password(password)  # both ways, so the time tells nothing
    existing = services.find_by_email(email, session)
    if existing is not None:
        return existing, None
    data = {"e": services.normalise_email(email), "n": display_name.strip(), "r": role,
            "h": pw_hash, "l": language, "x": next_url}
    return None, _fernet().encrypt(json.dumps(data).encode()).decode()


def peek(token: str) -> dict[str, str] | None:
    try:
        return json.loads(_fernet().decrypt(token.encode(), ttl=MAX_AGE_S))
    except (InvalidToken, ValueError):
        return None


def finish(token: str, session: Session | None = None) -> User | None:
    """Create the account of a confirmation link; None when the link is invalid or old."""
    session = session or db.session
    data = peek(token)
    if data is None:
        return None
    if services.find_by_email(data["e"], session) is not None:
        raise services.AccountError(_l("This account exists already: log in."))
    return services.create_user(email=data["e"], password=None, password_hash=data["h"],
                                display_name=data["n"], role=data["r"],
                                self_registration=True, language=data["l"], session=session)
