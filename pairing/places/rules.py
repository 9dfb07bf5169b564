"""Errors and checks shared by every register of the site: villages here, and the
enterprises, offers and needs of the areas above, which import them from here.

Checks return {field: message} so that a form shows each message beside its field and an
import preview beside its cell; services raise `Invalid` with the same mapping.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import utcnow
from .models import County


class Invalid(ValueError):
    """Bad input: messages by field name (translatable)."""

    def __init__(self, errors: dict[str, object]) -> None:
        super().__init__(", ".join(errors))  # field names: messages need a locale
        self.errors = errors


class NotAllowed(Exception):
    """The actor may not do this to this object (views answer 403)."""


def raise_if(errors: dict[str, object]) -> None:
    if errors:
        raise Invalid(errors)


def county_exists(session: Session, code: str | None) -> bool:
    return bool(code) and session.get(County, code) is not None


def check_text(errors: dict[str, object], data: dict, field: str, limit: int,
               required: bool = False) -> None:
    value = str(data.get(field) or "").strip()
    data[field] = value
    if required and not value:
        errors[field] = _l("This field is required.")
    elif len(value) > limit:
        errors[field] = _l("At most %(n)d characters.", n=limit)


def check_count(errors: dict[str, object], data: dict, field: str, limit: int) -> None:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors[field] = _l("Enter a whole number, zero or more.")
    elif value > limit:
        errors[field] = _l("The number is implausibly large (at most %(n)d).", n=limit)


def check_village(session: Session, data: dict) -> dict[str, object]:
    errors: dict[str, object] = {}
    check_text(errors, data, "name", 80, required=True)
    if not county_exists(session, data.get("county_code")):
        errors["county_code"] = _l("Unknown county.")
    for field in ("population", "households", "poor_households", "poor_population"):
        check_count(errors, data, field, 200_000)
    check_count(errors, data, "income_per_capita", 1_000_000)
    data["deep_poverty"] = bool(data.get("deep_poverty"))
    check_text(errors, data, "description", 2000)
    return errors


class Registered(Protocol):
    """A row a verifier accepts or rejects: a village or an enterprise."""

    county_code: str
    status: str
    reject_reason: str
    verified_by_id: int | None
    verified_at: datetime | None


def check_verifier(actor: User, county_code: str, owners: tuple[int | None, ...]) -> None:
    """A verifier acts inside their jurisdiction and never on what they created."""
    if actor.role != Role.VERIFIER or not actor.covers(county_code):
        raise NotAllowed
    if actor.id in owners:
        raise NotAllowed


def decide(actor: User, obj: Registered, approve: bool, reason: str, action: str,
           owners: tuple[int | None, ...], session: Session) -> None:
    """Shared by enterprises and villages: pending -> verified or rejected (with reason)."""
    check_verifier(actor, obj.county_code, owners)
    if obj.status != "pending":
        raise Invalid({"status": _l("This entry is not waiting for verification.")})
    reason = (reason or "").strip()
    if not approve and not reason:
        raise Invalid({"reason": _l("Give the reason for the rejection: the owner reads it.")})
    if len(reason) > 500:
        raise Invalid({"reason": _l("At most %(n)d characters.", n=500)})
    before = audit.snapshot(obj, ("status", "reject_reason"))
    obj.status = "verified" if approve else "rejected"
    obj.reject_reason = "" if approve else reason
    obj.verified_by_id = actor.id
    obj.verified_at = utcnow()
    session.flush()
    audit.record(actor, f"{action}.{'verify' if approve else 'reject'}", obj, before=before,
                 after=audit.snapshot(obj, ("status", "reject_reason")), session=session)
