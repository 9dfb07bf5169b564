"""The inbox: one row per event for each person concerned, plus an e-mail.

Rows store a message kind and its parameters, so each reader sees the text in their own
language. E-mails go out only after the transaction commits (a rolled-back answer sends
nothing), through pairing/mail.py (SMTP, or the log by default).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from .. import mail
from ..accounts.models import User
from ..db import utcnow
from .models import Notification

MESSAGES = {
    "proposals.new": _l("The pairing round proposed %(count)s new pairs to you."),
    "proposal.answered": _l("%(party)s answered proposal %(id)s: %(answer)s."),
    "proposal.declined": _l("Proposal %(id)s was declined; it will not be proposed again."),
    "proposal.expired": _l("Proposal %(id)s expired without an answer from both sides."),
    "pairing.created": _l("Both sides accepted: pairing %(id)s begins."),
    "report.new": _l("New progress report on pairing %(id)s: please confirm or dispute it."),
    "report.confirmed": _l("The village confirmed your progress report on pairing %(id)s."),
    "report.disputed": _l("A progress report on pairing %(id)s is disputed."),
    "report.decided": _l("A verifier decided the dispute on pairing %(id)s: %(answer)s."),
    "report.withdrawn": _l("A progress report on pairing %(id)s was withdrawn: the matched gift "
                           "behind it went back to the enterprise."),
    "pairing.lapsed": _l("Pairing %(id)s ended before full delivery (lapsed)."),
    "pairing.fulfilled": _l("Pairing %(id)s is fully delivered."),
}
WORDS = {
    "accept": _l("accepted"), "decline": _l("declined"), "upheld": _l("the report stands"),
    "rejected": _l("the report does not count"), "enterprise": _l("The enterprise"),
    "village": _l("The village"),
}
OUTBOX = "matching_outbox"


def render(kind: str, params: dict[str, Any]) -> str:
    words = {k: (str(WORDS[v]) if isinstance(v, str) and v in WORDS else v)
             for k, v in params.items()}
    return str(MESSAGES[kind]) % words


def text(n: Notification) -> str:
    return render(n.kind, n.params)


def notify(session: Session, user_id: int | None, kind: str, link: str = "",
           **params: Any) -> Notification | None:
    if user_id is None:
        return None
    n = Notification(user_id=user_id, kind=kind, params=params, link=link, created_at=utcnow())
    session.add(n)
    user = session.get(User, user_id)
    if user is not None and user.active:
        session.info.setdefault(OUTBOX, []).append((user.email, user.language, kind,
                                                    dict(params), link))
    return n


def notify_many(session: Session, kind: str, link: str,
                items: list[tuple[int, dict[str, Any]]], chunk: int = 5000) -> int:
    """notify() for many users at once: the inbox rows in executemany statements and the
    users' addresses in one query per chunk (a nationwide round tells thousands)."""
    now = utcnow()
    for start in range(0, len(items), chunk):
        part = items[start:start + chunk]
        session.execute(insert(Notification.__table__), [
            {"user_id": uid, "kind": kind, "params": params, "link": link, "created_at": now}
            for uid, params in part])
        found = {uid: (email, language) for uid, email, language in session.execute(
            select(User.id, User.email, User.language).where(
                User.id.in_([uid for uid, _p in part]), User.active))}
        session.info.setdefault(OUTBOX, []).extend(
            (*found[uid], kind, dict(params), link) for uid, params in part if uid in found)
    return len(items)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def inbox(user: User):
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(session: Session, user: User) -> int:
    result = session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    queued = session.info.pop(OUTBOX, None)
    if not queued or not has_app_context():
        return
    for email, language, kind, params, link in queued:
        try:
            # In the recipient's language (of their last log-in), the link from PUBLIC_URL.
            with force_locale(language or current_app.config.get("BABEL_DEFAULT_LOCALE", "zh")):
                line = render(kind, params)
                body = line + (f"\n\n{mail.link(link)}" if link else "")
                mail.send(email, str(_l("Pairing platform")) + ": " + line[:60], body)
        except Exception:  # noqa: BLE001 - the inbox row is there; mail is best effort
            current_app.logger.exception("e-mail (%s) failed", kind)


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(OUTBOX, None)
