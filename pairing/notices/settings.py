"""A person's notification settings: each kind on or off in the inbox and by e-mail."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..db import begin_write, lock, utcnow
from . import kinds
from .models import NoticeSetting


def of(session: Session, user: User) -> dict[str, tuple[bool, bool]]:
    """(inbox, mail) for every registered kind; unchanged kinds are on."""
    changed = {s.kind: (s.inbox, s.mail) for s in session.scalars(
        select(NoticeSetting).where(NoticeSetting.user_id == user.id))}
    return {key: changed.get(key, (True, True)) for key in kinds.KINDS}


def save(session: Session, user: User, inbox_on: Iterable[str], mail_on: Iterable[str]) -> int:
    """Every kind of the user's role not named in `inbox_on` / `mail_on` is turned off
    there; names that are not such kinds are ignored, and kinds of other roles keep their
    setting. Returns how many kinds are not fully on. Concurrent saves of one person are
    serialised on their user row."""
    inbox_set, mail_set = set(inbox_on), set(mail_on)
    shown = [k.key for k in kinds.for_role(user.role)]
    begin_write(session)
    lock(session, User, user.id, others_may_refer=True)
    session.execute(delete(NoticeSetting).where(NoticeSetting.user_id == user.id,
                                                NoticeSetting.kind.in_(shown)))
    now = utcnow()
    rows = [NoticeSetting(user_id=user.id, kind=key, inbox=key in inbox_set,
                          mail=key in mail_set, updated_at=now)
            for key in shown if not (key in inbox_set and key in mail_set)]
    session.add_all(rows)
    session.flush()
    return len(rows)
