"""Telling people: `tell` (one person) and `tell_many` (thousands at once).

Called by services inside the event's transaction: the inbox row is written with the
event, so a rolled-back event tells nobody; the e-mails are queued on the session and
handed to pairing/mail.py only after the commit, each rendered in its recipient's
language with its link made absolute from PUBLIC_URL. A person's settings (models.
NoticeSetting) turn a kind off in the inbox, by e-mail, or both.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import mail
from ..accounts.models import User
from ..db import utcnow
from ..i18n import LANGUAGES
from . import kinds
from .models import NoticeOnce, NoticeSetting, Notification

OUTBOX = "notices_outbox"


def _off(session: Session, user_ids: list[int], kind: str) -> dict[int, tuple[bool, bool]]:
    """(inbox, mail) of the users who changed this kind's setting."""
    if not user_ids:
        return {}
    return {uid: (inbox, mail_on) for uid, inbox, mail_on in session.execute(
        select(NoticeSetting.user_id, NoticeSetting.inbox, NoticeSetting.mail).where(
            NoticeSetting.kind == kind, NoticeSetting.user_id.in_(user_ids)))}


def _first_time(session: Session, user_id: int, kind: str, once: str) -> bool:
    """Records (user, kind, key); False when it was told already (also by a concurrent
    housekeeping run: the primary key decides, inside a savepoint)."""
    if session.get(NoticeOnce, (user_id, kind, once)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(NoticeOnce(user_id=user_id, kind=kind, key=once[:80]))
    except IntegrityError:
        return False
    return True


def tell(session: Session, user_id: int | None, kind: str, link: str = "",
         once: str | None = None, **params: Any) -> Notification | None:
    """Tell one person about an event of a registered kind; `link` is a site path where
    they act. With `once`, the person is told of this (kind, key) only the first time.
    Returns the inbox row (None when nobody, or the person turned the inbox off)."""
    if user_id is None:
        return None
    if kind not in kinds.KINDS:
        raise KeyError(f"unregistered notice kind {kind}")
    if once is not None and not _first_time(session, user_id, kind, once):
        return None
    inbox_on, mail_on = _off(session, [user_id], kind).get(user_id, (True, True))
    row = None
    if inbox_on:
        row = Notification(user_id=user_id, kind=kind, params=params, link=link,
                           created_at=utcnow())
        session.add(row)
    user = session.get(User, user_id)
    if mail_on and user is not None and user.active:
        session.info.setdefault(OUTBOX, []).append((user.email, user.language, kind,
                                                    dict(params), link))
    return row


def tell_many(session: Session, kind: str, link: str,
              items: list[tuple[int, dict[str, Any]]], chunk: int = 5000) -> int:
    """tell() for many people at once: inbox rows in executemany statements, addresses and
    settings in one query each per chunk (a nationwide round tells thousands)."""
    if kind not in kinds.KINDS:
        raise KeyError(f"unregistered notice kind {kind}")
    now = utcnow()
    for start in range(0, len(items), chunk):
        part = items[start:start + chunk]
        ids = [uid for uid, _p in part]
        settings = _off(session, ids, kind)
        rows = [{"user_id": uid, "kind": kind, "params": params, "link": link,
                 "created_at": now} for uid, params in part if settings.get(uid, (1, 1))[0]]
        if rows:
            session.execute(insert(Notification.__table__), rows)
        found = {uid: (email, language) for uid, email, language in session.execute(
            select(User.id, User.email, User.language).where(User.id.in_(ids), User.active))}
        session.info.setdefault(OUTBOX, []).extend(
            (*found[uid], kind, dict(params), link) for uid, params in part
            if uid in found and settings.get(uid, (1, 1))[1])
    return len(items)


def text(n: Notification) -> str:
    return kinds.render(n.kind, n.params)


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def inbox(user: User):  # noqa: ANN201 - a Select
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def mark_read(session: Session, user: User) -> int:
    result = session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    return result.rowcount or 0


def compose(kind: str, params: dict[str, Any], link: str) -> tuple[str, str]:
    """(subject, body) of the mail in the current locale."""
    line = kinds.render(kind, params)
    subject = str(_l("Pairing platform")) + ": " + line.splitlines()[0][:60]
    body = line + (f"\n\n{mail.link(link)}" if link else "")
    body += "\n\n" + str(_l("You can turn this kind of notice off: %(link)s",
                            link=mail.link("/account/notices")))
    return subject, body


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    session.info.pop(MARKS, None)
    queued = session.info.pop(OUTBOX, None)
    if not queued or not has_app_context():
        return
    default = current_app.config.get("BABEL_DEFAULT_LOCALE", "zh")
    for email, language, kind, params, link in queued:
        try:
            with force_locale(language if language in LANGUAGES else default):
                mail.send(email, *compose(kind, params, link))
        except Exception:  # noqa: BLE001 - the inbox row is there; mail is best effort
            current_app.logger.exception("e-mail (%s) failed", kind)


# A savepoint rolled back (a lost race caught inside the event's transaction) takes back
# only the mails queued inside it; the transaction's rollback takes back all of them.
MARKS = "notices_savepoints"


@event.listens_for(Session, "after_transaction_create")
def _mark(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.setdefault(MARKS, {})[id(transaction)] = len(session.info.get(OUTBOX, ()))


@event.listens_for(Session, "after_soft_rollback")
def _drop(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.nested:
        mark = session.info.get(MARKS, {}).pop(id(previous_transaction), None)
        if mark is not None and OUTBOX in session.info:
            del session.info[OUTBOX][mark:]
        return
    session.info.pop(OUTBOX, None)
    session.info.pop(MARKS, None)
