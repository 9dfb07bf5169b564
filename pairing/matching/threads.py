"""The two parties of a pairing reach each other: their contact persons and a message
thread. Only the parties (the enterprise's officer and the village's secretary) read or
write either; verifiers and coordinators, who may see the pairing page, do not: the thread
is the parties' correspondence, and the contacts are personal data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..db import lock, utcnow
from ..enterprises.rules import Invalid, NotAllowed
from ..notices import kinds
from . import notify
from .delivery import is_enterprise_of, is_village_of
from .models import Pairing, PairingContact, PairingMessage
from .policy import _link

MAX_LENGTH = 2000
# Stored in the database, not in process memory, so every worker counts the same messages.
RATE_COUNT = 10
RATE_WINDOW = timedelta(minutes=10)
SIDES = ("enterprise", "village")
CONTACT_FIELDS = ("name", "phone", "email")  # personal: the log names them, never their values
kinds.register("pairing.message", _l("A message on a pairing"),
               _l("%(party)s wrote to you on pairing %(id)s."), kinds.PAIRINGS,
               ("enterprise", "secretary"))
PHONE = re.compile(r"^[0-9+()\- ]{5,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def side_of(actor: User, pairing: Pairing) -> str | None:
    """"enterprise" or "village" for the two parties, None for everyone else."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if is_enterprise_of(actor, pairing):
        return "enterprise"
    if is_village_of(actor, pairing):
        return "village"
    return None


def _party(actor: User, pairing: Pairing) -> str:
    side = side_of(actor, pairing)
    if side is None:
        raise NotAllowed()
    return side


def other_party_id(pairing: Pairing, side: str) -> int | None:
    if side == "enterprise":
        return pairing.need.village.secretary_id
    return pairing.offer.enterprise.officer_id


@dataclass(frozen=True)
class Contact:
    side: str
    name: str
    phone: str
    email: str
    organisation: str
    own: bool  # set by the side for this pairing (else read from its profile)


def _default(pairing: Pairing, side: str) -> Contact:
    if side == "enterprise":
        e = pairing.offer.enterprise
        officer = e.officer
        return Contact(side, e.contact_name or (officer.display_name if officer else ""),
                       e.contact_phone, officer.email if officer else "", e.name, False)
    v = pairing.need.village
    sec = v.secretary
    return Contact(side, sec.display_name if sec else "", "", sec.email if sec else "",
                   v.name, False)


def contacts(actor: User, pairing: Pairing, session: Session) -> dict[str, Contact]:
    """Both sides' contacts, for a party only (NotAllowed otherwise). A pairing exists only
    once both sides accepted, so a proposal never shows them."""
    _party(actor, pairing)
    rows = {c.side: c for c in session.scalars(
        select(PairingContact).where(PairingContact.pairing_id == pairing.id))}
    out = {}
    for side in SIDES:
        base = _default(pairing, side)
        row = rows.get(side)
        out[side] = base if row is None else Contact(side, row.name, row.phone, row.email,
                                                     base.organisation, True)
    return out


def set_contact(actor: User, pairing: Pairing, name: str, phone: str, email: str,
                session: Session) -> PairingContact:
    """A side names who handles the pairing for it (its own side only)."""
    side = _party(actor, pairing)
    name, phone, email = name.strip(), phone.strip(), email.strip()
    errors: dict[str, object] = {}
    if not name or len(name) > 60:
        errors["name"] = _l("Give the contact's name (at most %(n)d characters).", n=60)
    if not PHONE.match(phone):
        errors["phone"] = _l("Give a work phone number (digits, +, -, spaces; 5 to 30).")
    if email and (len(email) > 254 or not EMAIL.match(email)):
        errors["email"] = _l("This is not an e-mail address.")
    if errors:
        raise Invalid(errors)
    row = session.scalar(select(PairingContact).where(
        PairingContact.pairing_id == pairing.id, PairingContact.side == side))
    if row is None:
        row = PairingContact(pairing_id=pairing.id, side=side, name="", phone="", email="")
        session.add(row)
    before = audit.snapshot(row, CONTACT_FIELDS)
    row.name, row.phone, row.email, row.updated_by_id = name, phone, email, actor.id
    session.flush()
    audit.record(actor, "pairing.contact", row, before=before,
                 after=audit.snapshot(row, CONTACT_FIELDS), session=session)
    return row


def messages(actor: User, pairing: Pairing, session: Session, limit: int = 200
             ) -> list[PairingMessage]:
    """The thread, oldest first and newest last (the latest `limit`)."""
    _party(actor, pairing)
    newest = list(session.scalars(
        select(PairingMessage).where(PairingMessage.pairing_id == pairing.id)
        .order_by(PairingMessage.id.desc()).limit(limit)))
    return newest[::-1]


def post(actor: User, pairing: Pairing, body: str, session: Session) -> PairingMessage:
    side = _party(actor, pairing)
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid({"body": _l("Write a message first.")})
    if len(body) > MAX_LENGTH:
        raise Invalid({"body": _l("At most %(n)d characters.", n=MAX_LENGTH)})
    # The author's row, locked, serialises their posts: without it, posts sent together
    # all count the same messages and all pass (PostgreSQL: FOR UPDATE; SQLite: the write
    # lock begin_write takes).
    lock(session, User, actor.id, others_may_refer=True)
    recent = session.scalar(select(func.count(PairingMessage.id)).where(
        PairingMessage.author_id == actor.id,
        PairingMessage.created_at >= utcnow() - RATE_WINDOW)) or 0
    if recent >= RATE_COUNT:
        raise Invalid({"body": _l("You sent %(n)d messages in the last %(m)d minutes: please "
                                  "wait a little.", n=RATE_COUNT,
                                  m=int(RATE_WINDOW.total_seconds() // 60))})
    message = PairingMessage(pairing_id=pairing.id, author_id=actor.id, side=side, body=body,
                             created_at=utcnow())
    session.add(message)
    session.flush()
    tell_other_party(session, pairing, side)
    return message


def tell_other_party(session: Session, pairing: Pairing, side: str) -> None:
    """The one place a message is announced to the other side (inbox row + e-mail after
    commit). When a generic notices service lands, switch this call to it."""
    link = _link("matching.pairing", pairing_id=pairing.id, _anchor="messages")
    notify.notify(session, other_party_id(pairing, side), "pairing.message", link,
                  id=pairing.id, party=side)
