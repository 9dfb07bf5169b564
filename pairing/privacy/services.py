"""A person's own data (PIPL arts. 44–47): everything the platform holds about a user, as
JSON or CSV, and the deletion of their account.

Deletion keeps what the ledger and the audit log must keep (amounts, ids, who-did-what as
an id) and removes what only identifies the person:
- the user row stays (ledger transactions, audit events, orders and gifts point at it)
  with the e-mail, name and password replaced: nobody can log in as it again;
- rows that are only the person's (API tokens, log-in sessions, notifications and any
  other table whose user column cascades on delete, such as notification settings) go;
- their orders keep amounts and lines, lose recipient, phone and address; their gifts
  keep amounts, lose the message and become anonymous on the public ledger;
- an enterprise they were officer of loses its contact person and its officer; a
  village they were secretary of, its secretary (both remain: they are not the person).
It is refused while something must finish first (BLOCKERS below), with the reason.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..accounts.models import LoginSession, User
from ..api.models import ApiToken
from ..appeals.models import Appeal
from ..audit import services as audit
from ..audit.models import AuditEvent
from ..db import lock, utcnow
from ..downloads import csv_bytes
from ..enterprises.models import Enterprise
from ..extensions import db
from ..giving.models import Donation, HelpRequest
from ..notices.models import NoticeSetting, Notification
from ..places.models import Village
from ..shop.models import Order, OrderState

PLACEHOLDER_NAME = "已注销用户 · deleted user"
ERASED = "[已删除 · erased]"
# Columns never handed out, not even to their owner: secrets, not data about the person.
# A guest gift's key is half of its receipt link (giving/receipts.guest_token).
SECRET = {"password_hash", "token_hash", "id_number_enc", "id_number_hash", "guest_key"}
OPEN_ORDER = (OrderState.PLACED, OrderState.PAID, OrderState.SHIPPED)
# A request with money still to be paid out: its secretary must see it through.
UNDISBURSED = ("notice", "open", "funded")


def _s(session: Session | None) -> Session:
    return session or db.session


def _row(obj: object) -> dict[str, Any]:
    out = {}
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in SECRET:
            continue
        value = getattr(obj, attr.key)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, bytes):
            continue
        out[attr.key] = value
    return out


def _rows(session: Session, stmt) -> list[dict[str, Any]]:  # noqa: ANN001
    return [_row(r) for r in session.scalars(stmt)]


def export(user: User, session: Session | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every row about the user, by section (the same sections in JSON and CSV)."""
    s = _s(session)
    tokens = [{k: v for k, v in _row(t).items()} for t in s.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id))]
    return {
        "account": [_row(user)],
        "enterprises": _rows(s, select(Enterprise).where(Enterprise.officer_id == user.id)),
        "villages": _rows(s, select(Village).where(Village.secretary_id == user.id)),
        "donations": _rows(s, select(Donation).where(Donation.donor_id == user.id)),
        # Gifts given as a guest with the account's address: its holder confirmed the
        # address on registering (or was given the account for it, and its resets go
        # there), so they are theirs to read; no other way finds a guest's gifts.
        "guest_donations": _rows(s, select(Donation).where(
            func.lower(Donation.guest_email) == user.email.lower()).order_by(Donation.id)),
        "orders": _rows(s, select(Order).where(Order.buyer_id == user.id)),
        "notifications": _rows(s, select(Notification).where(Notification.user_id == user.id)),
        "notice_settings": _rows(s, select(NoticeSetting).where(NoticeSetting.user_id == user.id)),
        "appeals": _rows(s, select(Appeal).where(Appeal.appellant_id == user.id)),
        "audit_events": _rows(s, select(AuditEvent).where(AuditEvent.actor_id == user.id)
                              .order_by(AuditEvent.id)),
        "api_tokens": tokens,
        "login_sessions": _rows(s, select(LoginSession).where(LoginSession.user_id == user.id)),
    }


def as_json(data: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def as_csv(data: dict[str, list[dict[str, Any]]]) -> bytes:
    """One table for every section: section, row id, field, value (a spreadsheet opens it
    without knowing each section's columns; cells made inert by pairing/downloads.py)."""
    rows = []
    for section, items in data.items():
        for row in items:
            for field, value in row.items():
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                rows.append([section, row.get("id", ""), field, value])
    return csv_bytes(["section", "id", "field", "value"], rows)


def blockers(user: User, session: Session | None = None) -> list[str]:
    """Why the account cannot be deleted yet; empty: it can."""
    s = _s(session)
    reasons = []
    if s.scalar(select(Order.id).where(Order.buyer_id == user.id,
                                       Order.state.in_(OPEN_ORDER)).limit(1)):
        reasons.append(str(_l("An order of yours is not delivered or cancelled yet: wait "
                              "until it is delivered, or cancel it.")))
    if s.scalar(select(Donation.id).where(Donation.donor_id == user.id,
                                          Donation.status == "pending").limit(1)):
        reasons.append(str(_l("A gift of yours is waiting for its payment: pay or cancel it "
                              "first.")))
    managed = select(HelpRequest.id).join(HelpRequest.village).where(
        Village.secretary_id == user.id, HelpRequest.status.in_(UNDISBURSED))
    if s.scalar(managed.limit(1)):
        reasons.append(str(_l("A help request of your village has money still to be paid "
                              "out: finish its payout, or hand the village to another "
                              "secretary first.")))
    return reasons


class DeletionRefused(Exception):
    def __init__(self, reasons: Iterable[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def _cascading_tables() -> list[tuple[Any, Any]]:
    """(table, column) of every row that is only the user's: user columns that cascade."""
    out = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name == "users" and (fk.ondelete or "").upper() == "CASCADE":
                    out.append((table, column))
    return out


def delete_account(user: User, password: str, session: Session | None = None) -> None:
    """Anonymise and remove (see the module's docstring). The caller commits."""
    s = _s(session)
    # The user's row first, locked (the lock order): a checkout or a gift by the same
    # person locks it too, so none is placed between the check below and the erasure.
    user = lock(s, User, user.id, others_may_refer=True) or user
    if not user.active or user.deleted_at is not None:
        raise DeletionRefused([str(_l("This account is closed: nothing was done."))])
    if not check_password_hash(user.password_hash, password or ""):
        raise DeletionRefused([str(_l("The password is not right."))])
    reasons = blockers(user, s)
    if reasons:
        raise DeletionRefused(reasons)
    uid = user.id
    for table, column in _cascading_tables():
        s.execute(delete(table).where(column == uid))
    s.execute(update(Order).where(Order.buyer_id == uid).values(
        recipient=ERASED, phone="", address=""))
    s.execute(update(Donation).where(Donation.donor_id == uid).values(message="",
                                                                       anonymous=True))
    s.execute(update(Enterprise).where(Enterprise.officer_id == uid).values(
        officer_id=None, contact_name="", contact_phone=""))
    s.execute(update(Village).where(Village.secretary_id == uid).values(secretary_id=None))
    user.email = f"deleted-{uid}@deleted.invalid"
    user.display_name = PLACEHOLDER_NAME
    user.work_phone = ""
    # A hash of a random secret nobody knows: no password opens the account again.
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.active = False
    user.deleted_at = utcnow()
    s.flush()
    audit.record(user, "user.delete", user, after=audit.snapshot(user, ["active", "deleted_at"]),
                 session=s)
