"""Account rules: registration, log-in sessions, passwords, staff management."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import services as audit
from ..db import utcnow
from ..extensions import db
from . import passwords
from .models import COUNTRY, SELF_REGISTER_ROLES, STAFF_ROLES, LoginSession, Role, User

SESSION_MAX_AGE = timedelta(days=30)


class AccountError(ValueError):
    """A rule was broken; the message is a translatable English sentence."""


# A hash to compare against when the e-mail is unknown, so timing does not reveal it.
_DUMMY_HASH: str | None = None


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_new_password(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse short, common or personal passwords (see passwords.py)."""
    problem = passwords.problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem)


def find_by_email(email: str, session: Session | None = None) -> User | None:
    session = session or db.session
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def check_jurisdiction(code: str, session: Session | None = None) -> str:
    """Validate "CN", a province code or a county code."""
    from ..places.models import County, Province  # places sit above accounts (areas.ORDER)

    session = session or db.session
    code = code.strip().upper()
    if code == COUNTRY:
        return code
    if len(code) == 2 and session.get(Province, code):
        return code
    if len(code) == 6 and session.get(County, code):
        return code
    raise AccountError(_l("Unknown jurisdiction: use CN, a province code or a county code."))


def within(outer: str | None, inner: str | None) -> bool:
    """Whether jurisdiction `inner` lies inside `outer` ("CN" contains every other)."""
    if outer is None or inner is None:
        return False
    return outer == COUNTRY or (inner != COUNTRY and inner.startswith(outer))


def _check_within(actor: User | None, jurisdiction: str | None) -> str | None:
    # A coordinator manages staff only inside their own jurisdiction; the CLI (no actor)
    # is the operator and may do anything.
    if actor is not None and not within(actor.jurisdiction, jurisdiction):
        raise AccountError(_l("That jurisdiction lies outside your own."))
    return jurisdiction


def create_user(
    *,
    email: str,
    password: str | None,
    display_name: str,
    role: str,
    jurisdiction: str | None = None,
    actor: User | None = None,
    self_registration: bool = False,
    password_hash: str | None = None,
    language: str = "zh",
    session: Session | None = None,
) -> User:
    """A new account; `password_hash` instead of `password` when a confirmed registration
    brings the hash it was started with."""
    session = session or db.session
    if role not in {r.value for r in Role}:
        raise AccountError(_l("Unknown role."))
    if self_registration and role not in SELF_REGISTER_ROLES:
        raise AccountError(_l("This role cannot register itself."))
    if find_by_email(email, session):
        raise AccountError(_l("An account with this e-mail address already exists."))
    if role in STAFF_ROLES:
        if not jurisdiction:
            raise AccountError(_l("Verifiers and coordinators need a jurisdiction."))
        jurisdiction = check_jurisdiction(jurisdiction, session)
        _check_within(actor, jurisdiction)
    else:
        jurisdiction = None
    if password_hash is None:
        check_new_password(password or "", email=email, name=display_name)
        password_hash = hash_password(password or "")
    user = User(email=normalise_email(email), password_hash=password_hash,
                display_name=display_name.strip(), role=role, jurisdiction=jurisdiction,
                language=language)
    session.add(user)
    session.flush()
    audit.record(actor or user, "user.create", user,
                 after=audit.snapshot(user, ["role", "jurisdiction", "active"]),
                 changed=["email", "display_name"], session=session)
    return user


def authenticate(email: str, password: str,
                 session: Session | None = None) -> tuple[User | None, bool]:
    """(the active user with these credentials or None, whether the e-mail has an account)."""
    global _DUMMY_HASH
    user = find_by_email(email, session)
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password)
        return None, False
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None, True
    return user, True


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user: User, user_agent: str = "", session: Session | None = None) -> str:
    """Record a new log-in; returns the token the cookie carries."""
    session = session or db.session
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_token_hash(token), user_id=user.id,
                             user_agent=user_agent[:200]))
    session.flush()
    return token


def session_user(user_id: str, token: str | None, session: Session | None = None) -> User | None:
    """The user of a live login session, or None when it was ended."""
    session = session or db.session
    if not token or not user_id.isdigit():
        return None
    # The user in the same query: every signed-in request asks this first.
    row = session.scalar(select(LoginSession).options(joinedload(LoginSession.user))
                         .where(LoginSession.token_hash == _token_hash(token)))
    if row is None or row.user_id != int(user_id):
        return None
    if row.created_at < utcnow() - SESSION_MAX_AGE:
        return None  # expired, even if housekeeping has not deleted the row yet
    user = row.user
    return user if user.active else None


def close_session(token: str | None, session: Session | None = None) -> None:
    session = session or db.session
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))


def close_all_sessions(user: User, session: Session | None = None) -> None:
    session = session or db.session
    session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def end_api_tokens(user: User, session: Session | None = None) -> int:
    """Revoke every active API token of the user; returns how many were active."""
    from ..api.models import ApiToken  # the API area builds on accounts, not the reverse

    session = session or db.session
    ended = session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(
        revoked_at=utcnow())).rowcount or 0
    if ended:
        audit.record(user, "user.api_tokens_ended", user, changed=["api_tokens"],
                     session=session)
    return ended


def log_out_everywhere(user: User, session: Session | None = None) -> None:
    """Every login session and every API token of the user end."""
    session = session or db.session
    close_all_sessions(user, session)
    end_api_tokens(user, session)
    session.flush()


def change_password(user: User, current: str, new: str, *, end_tokens: bool,
                    session: Session | None = None) -> None:
    session = session or db.session
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_l("The current password is wrong."))
    set_password(user, new, end_tokens=end_tokens, session=session)


def set_password(user: User, new: str, *, end_tokens: bool = True,
                 session: Session | None = None) -> None:
    """New password; every login session of the user ends, and (always after a reset,
    on request after a change) every API token."""
    session = session or db.session
    check_new_password(new, email=user.email, name=user.display_name)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    close_all_sessions(user, session)
    if end_tokens:
        end_api_tokens(user, session)
    audit.record(user, "user.password", user, changed=["password_hash"], session=session)
    session.flush()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # The hash fragment makes the link single-use: a new password changes it.
    return _serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})


def user_for_reset(token: str, session: Session | None = None) -> User | None:
    session = session or db.session
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE_S"])
    except (BadSignature, SignatureExpired):
        return None
    user = session.get(User, data.get("u"))
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        return None
    return user


def set_active(actor: User, user: User, active: bool, session: Session | None = None) -> None:
    session = session or db.session
    if user.role in STAFF_ROLES:
        _check_within(actor, user.jurisdiction)
    if user.id == actor.id and not active:
        raise AccountError(_l("You cannot deactivate your own account."))
    if active and user.deleted_at is not None:
        raise AccountError(_l("This account was deleted by its owner and cannot be "
                              "activated again."))
    before = audit.snapshot(user, ["active"])
    user.active = active
    if not active:
        close_all_sessions(user, session)
    audit.record(actor, "user.activate" if active else "user.deactivate", user,
                 before=before, after=audit.snapshot(user, ["active"]), session=session)
    session.flush()


def set_jurisdiction(actor: User, user: User, code: str, session: Session | None = None) -> None:
    session = session or db.session
    if user.role not in STAFF_ROLES:
        raise AccountError(_l("Only verifiers and coordinators have a jurisdiction."))
    _check_within(actor, user.jurisdiction)
    before = audit.snapshot(user, ["jurisdiction"])
    user.jurisdiction = _check_within(actor, check_jurisdiction(code, session))
    audit.record(actor, "user.jurisdiction", user, before=before,
                 after=audit.snapshot(user, ["jurisdiction"]), session=session)
    session.flush()
