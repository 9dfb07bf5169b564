"""Filing and deciding appeals. Views commit; services flush."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.models import COUNTRY, Role, User
from ..audit import services as audit
from ..db import begin_write, lock, utcnow
from ..enterprises.rules import Invalid, NotAllowed
from ..notices.events import link
from ..notices.service import tell
from .models import Appeal
from .subjects import SUBJECTS, Subject

RANK = {"county": 0, "province": 1, "country": 2}
ABOVE = {"county": "province", "province": "country", "country": "country"}
FIELDS = ("status", "decision", "decided_by_id")


def subject_of(key: str) -> Subject:
    found = SUBJECTS.get(key)
    if found is None:
        raise LookupError(key)
    return found


def load(session: Session, key: str, ident: int) -> tuple[Subject, Any] | None:
    subject = SUBJECTS.get(key)
    obj = session.get(subject.model(), ident) if subject else None
    return (subject, obj) if obj is not None else None


def appeal_of(session: Session, subject: Subject, obj: Any) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.subject == subject.key,
                                               Appeal.subject_id == obj.id))


def may_appeal(actor: User, subject: Subject, obj: Any) -> bool:
    """Only the submitter of the rejected thing (a party of the dispute)."""
    return (actor.is_authenticated and actor.role in (Role.ENTERPRISE, Role.SECRETARY)
            and actor.id in subject.appellants(obj))


def may_decide(actor: User, appeal: Appeal) -> bool:
    """A verifier of the appeal's level or above over its county; never the verifier who
    decided first, nor a party."""
    if not actor.is_authenticated or actor.role != Role.VERIFIER or not actor.active:
        return False
    level = actor.jurisdiction_level
    if level is None or RANK[level] < RANK[appeal.level] or not actor.covers(appeal.county_code):
        return False
    return actor.id not in (appeal.first_decider_id, appeal.appellant_id)


def may_see(actor: User, subject: Subject, obj: Any, appeal: Appeal | None) -> bool:
    if actor.id in subject.appellants(obj):
        return True
    return actor.role == Role.VERIFIER and actor.covers(subject.county(obj))


def file_appeal(actor: User, key: str, ident: int, reason: str, session: Session) -> Appeal:
    """Once per decided thing: a second appeal, or a concurrent one, is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _l("Say why the decision is wrong: the verifier reads it.")})
    if len(reason) > 1000:
        raise Invalid({"reason": _l("At most %(n)d characters.", n=1000)})
    begin_write(session)
    found = load(session, key, ident)
    if found is None:
        raise LookupError(key)
    subject, obj = found
    obj = lock(session, type(obj), obj.id)
    if not may_appeal(actor, subject, obj):
        raise NotAllowed
    if appeal_of(session, subject, obj) is not None:
        raise Invalid({"reason": _l("This decision was already appealed once; the outcome "
                                    "of that appeal is final.")})
    if not subject.appealable(obj):
        raise Invalid({"reason": _l("Only a rejection or a decided dispute can be appealed.")})
    decider_id = subject.decider(session, obj)
    decider = session.get(User, decider_id) if decider_id else None
    level = ABOVE[decider.jurisdiction_level or "county"] if decider else "province"
    appeal = Appeal(subject=subject.key, subject_id=obj.id, county_code=subject.county(obj),
                    level=level, appellant_id=actor.id, reason=reason,
                    first_decision=subject.decision(obj)[:1000], first_decider_id=decider_id)
    try:
        with session.begin_nested():
            session.add(appeal)
    except IntegrityError:
        # Another submission won the race between our check and our insert.
        raise Invalid({"reason": _l("This decision was already appealed once; the outcome "
                                    "of that appeal is final.")}) from None
    audit.record(actor, "appeal.filed", appeal, after={"subject": subject.key,
                 "subject_id": obj.id, "level": level}, session=session)
    where = link("appeals.show", key=subject.key, ident=obj.id)
    for verifier in deciders(session, appeal):
        tell(session, verifier.id, "appeal.filed", where, what=subject.word,
             name=subject.name(obj), reason=reason)
    return appeal


def deciders(session: Session, appeal: Appeal) -> list[User]:
    """Who is told of a new appeal: the verifiers of exactly its level over its county
    (those above when there are none)."""
    staff = [u for u in session.scalars(select(User).where(User.role == Role.VERIFIER,
                                                           User.active))
             if may_decide(u, appeal)]
    exact = [u for u in staff if u.jurisdiction_level == appeal.level]
    return exact or staff


def decide_appeal(actor: User, appeal_id: int, grant: bool, decision: str,
           session: Session) -> Appeal:
    decision = (decision or "").strip()
    if not decision:
        raise Invalid({"decision": _l("Give the reason for the decision: both sides read it.")})
    if len(decision) > 1000:
        raise Invalid({"decision": _l("At most %(n)d characters.", n=1000)})
    begin_write(session)
    appeal = lock(session, Appeal, appeal_id)
    if appeal is None:
        raise LookupError(appeal_id)
    if not may_decide(actor, appeal):
        raise NotAllowed
    if appeal.status != "open":
        raise Invalid({"decision": _l("This appeal was already decided; its outcome is final.")})
    subject = subject_of(appeal.subject)
    obj = session.get(subject.model(), appeal.subject_id)
    if grant:
        if not subject.appealable(obj):
            raise Invalid({"decision": _l("The decision changed since the appeal was filed.")})
        try:
            subject.reverse(actor, obj, session)
        except Invalid:
            raise
        except NotAllowed:
            raise Invalid({"decision": _l("You may not reverse this decision.")}) from None
        except ValueError as exc:  # the area's own rule (e.g. the request tells who it is)
            raise Invalid({"decision": str(exc)}) from None
    before = audit.snapshot(appeal, FIELDS)
    appeal.status = "granted" if grant else "refused"
    appeal.decision, appeal.decided_by_id, appeal.decided_at = decision, actor.id, utcnow()
    session.flush()
    audit.record(actor, "appeal." + appeal.status, appeal, before=before,
                 after=audit.snapshot(appeal, FIELDS), session=session)
    where = link("appeals.show", key=subject.key, ident=appeal.subject_id)
    for uid in dict.fromkeys(subject.appellants(obj)):
        tell(session, uid, "appeal.decided", where, what=subject.word, name=subject.name(obj),
             answer=appeal.status, reason=decision)
    return appeal


def open_for(actor: User, session: Session, limit: int = 100) -> list[Appeal]:
    """The appeals this verifier may decide, oldest first."""
    q = select(Appeal).where(Appeal.status == "open").order_by(Appeal.created_at, Appeal.id)
    if actor.jurisdiction != COUNTRY:
        q = q.where(Appeal.county_code.startswith(actor.jurisdiction or "-"))
    return [a for a in session.scalars(q.limit(limit * 2)) if may_decide(actor, a)][:limit]
