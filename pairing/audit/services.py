"""The one helper every area uses to write the audit log.

Personal data (names, ID numbers, illnesses, incomes, phones, e-mails) never enters the
log: a model lists such columns in `__personal_fields__`, and only their names are
recorded, in `changed`, when their values differ.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..extensions import db
from .actions import ANY
from .models import AuditEvent

# Listeners of audited actions (pairing/notices tells people of events this way): each runs
# in the event's transaction, right after its audit row is added.
Listener = Callable[[Session, AuditEvent, object | None], None]
LISTENERS: dict[str, list[Listener]] = {}


def on(*actions: str) -> Callable[[Listener], Listener]:
    def register(fn: Listener) -> Listener:
        for action in actions:
            LISTENERS.setdefault(action, []).append(fn)
        return fn
    return register


PERSONAL_ALWAYS = frozenset({"password_hash", "id_number", "id_number_enc", "phone", "email"})


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class Withheld:
    """A personal column's value in a snapshot: `record` compares it, so that the column
    is named as changed, and never stores it. It holds a digest, not the value."""

    __slots__ = ("_digest",)

    def __init__(self, value: object) -> None:
        self._digest = hashlib.sha256(repr(value).encode()).digest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Withheld) and other._digest == self._digest

    def __hash__(self) -> int:
        return hash(self._digest)

    def __repr__(self) -> str:
        return "<withheld>"


def personal_fields(obj: object) -> frozenset[str]:
    return PERSONAL_ALWAYS | frozenset(getattr(obj, "__personal_fields__", ()))


def snapshot(obj: object, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Column values of a model instance, personal columns as Withheld markers."""
    mapper = inspect(obj).mapper
    names = fields if fields is not None else [c.key for c in mapper.column_attrs]
    hidden = personal_fields(obj)
    return {n: Withheld(getattr(obj, n)) if n in hidden else _plain(getattr(obj, n))
            for n in names}


def record(
    actor: object | None,
    action: str,
    obj: object | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    changed: Iterable[str] = (),
    session: Session | None = None,
) -> AuditEvent:
    """Write one audit row. `before`/`after` are snapshots; personal keys are dropped
    (and named in `changed` when their values differ)."""
    session = session or db.session
    hidden = personal_fields(obj) if obj is not None else PERSONAL_ALWAYS
    if obj is not None:
        object_type = object_type or getattr(obj, "__tablename__", type(obj).__name__)
        if object_id is None:
            session.flush()
            object_id = inspect(obj).identity[0] if inspect(obj).identity else None

    def kept(values: Mapping[str, Any] | None) -> dict[str, Any]:
        # a Withheld value is dropped whatever its key, even one copied into another name
        return {k: _plain(v) for k, v in (values or {}).items()
                if k not in hidden and not isinstance(v, Withheld)}

    b, a = kept(before), kept(after)
    names = set(changed)
    for key in set(before or {}) | set(after or {}):
        if (before or {}).get(key) != (after or {}).get(key):
            names.add(key)
    event = AuditEvent(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or "",
        object_id=str(object_id) if object_id is not None else "",
        before=b or None,
        after=a or None,
        changed=sorted(names),
    )
    session.add(event)
    if obj is not None:  # listeners hear of events about an object (not of bare codes)
        for listener in LISTENERS.get(action, ()):
            listener(session, event, obj)
    return event


def search(
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """A select over the log, newest first, for the coordinator's search page. An action
    ending in ".*" (labels.ANY) matches every action of that group ("shop.order.*")."""
    q = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if actor_id is not None:
        q = q.where(AuditEvent.actor_id == actor_id)
    if object_type:
        q = q.where(AuditEvent.object_type == object_type)
    if object_id:
        q = q.where(AuditEvent.object_id == object_id)
    if action and action.endswith(ANY):
        # autoescape: "_" in codes like help_request is a LIKE wildcard otherwise
        q = q.where(AuditEvent.action.startswith(action[:-1], autoescape=True))
    elif action:
        q = q.where(AuditEvent.action == action)
    if since is not None:
        q = q.where(AuditEvent.at >= since)
    if until is not None:
        q = q.where(AuditEvent.at < until)
    return q
