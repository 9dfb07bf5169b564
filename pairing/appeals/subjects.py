"""What can be appealed, each kind behind one small interface: who may appeal it, whether
it is appealable now, who decided it first and with what reason, and how the decision is
reversed when the appeal is granted (through the area's own service, so its rules, audit
rows and notices apply)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit.models import AuditEvent
from ..db import lock


@dataclass(frozen=True)
class Subject:
    key: str
    word: str  # notices' WORDS key naming the kind of thing
    model: Callable[[], type]
    county: Callable[[Any], str]
    name: Callable[[Any], str]
    appellants: Callable[[Any], tuple[int | None, ...]]  # who may appeal
    appealable: Callable[[Any], bool]
    decider: Callable[[Session, Any], int | None]
    decision: Callable[[Any], str]
    reverse: Callable[[User, Any, Session], None]
    page: tuple[str, str]  # endpoint and its argument name of the thing's own page


def _last_actor(session: Session, action: str, ident: int) -> int | None:
    return session.scalar(select(AuditEvent.actor_id).where(
        AuditEvent.action == action, AuditEvent.object_id == str(ident))
        .order_by(AuditEvent.id.desc()).limit(1))


def _enterprise() -> type:
    from ..enterprises.models import Enterprise
    return Enterprise


def _village() -> type:
    from ..places.models import Village
    return Village


def _request() -> type:
    from ..giving.models import HelpRequest
    return HelpRequest


def _report() -> type:
    from ..matching.models import ProgressReport
    return ProgressReport


def _reverse_enterprise(actor: User, obj: Any, session: Session) -> None:
    """A rejected enterprise is verified by the appeal's verifier, through its own rules."""
    from ..enterprises import services as enterprises
    from ..enterprises.models import Enterprise

    obj = lock(session, Enterprise, obj.id)
    obj.status = "pending"
    enterprises.verify_enterprise(actor, obj, True, session=session)


def _reverse_village(actor: User, obj: Any, session: Session) -> None:
    from ..places import villages
    from ..places.models import Village

    obj = lock(session, Village, obj.id)
    obj.status = "pending"
    villages.verify_village(actor, obj, True, session=session)


def _reverse_request(actor: User, req: Any, session: Session) -> None:
    """A rejected help request is approved: back to submitted, then verified through the
    request's own rules (the disclosure check, its ledger account, the notice period)."""
    from ..giving import requests
    from ..giving.models import RequestStatus

    req = requests.lock_request(req.id, session)
    req.status = RequestStatus.SUBMITTED
    requests.verify_request(actor, req, True, session=session)


def _reverse_dispute(actor: User, report: Any, session: Session) -> None:
    """The other outcome of the dispute: a report that stood no longer counts, or one that
    did not count now does (pairing and need follow, as for any decision)."""
    from ..audit import services as audit
    from ..matching import delivery
    from ..matching.models import ProgressReport

    report = lock(session, ProgressReport, report.id)
    before = audit.snapshot(report, delivery.REPORT_AUDIT)
    uphold = report.status == "rejected"
    report.status = "upheld" if uphold else "rejected"
    report.decided_by_id = actor.id
    delivery._count(actor, report, session, sign=1 if uphold else -1)  # noqa: SLF001
    session.flush()
    audit.record(actor, "report.appeal_granted", report, before=before,
                 after=audit.snapshot(report, delivery.REPORT_AUDIT), session=session)


SUBJECTS: dict[str, Subject] = {s.key: s for s in (
    Subject("enterprise", "subject.enterprise", _enterprise, lambda e: e.county_code,
            lambda e: e.name, lambda e: (e.officer_id,), lambda e: e.status == "rejected",
            lambda s, e: e.verified_by_id, lambda e: e.reject_reason,
            _reverse_enterprise, ("enterprises.show", "ident")),
    Subject("village", "subject.village", _village, lambda v: v.county_code,
            lambda v: v.name, lambda v: (v.secretary_id,), lambda v: v.status == "rejected",
            lambda s, v: v.verified_by_id, lambda v: v.reject_reason,
            _reverse_village, ("places.village", "ident")),
    Subject("help_request", "subject.help_request", _request,
            lambda r: r.village.county_code, lambda r: f"{r.id} ({r.title})",
            lambda r: (r.village.secretary_id,), lambda r: r.status == "rejected",
            lambda s, r: _last_actor(s, "help_request.rejected", r.id),
            lambda r: r.reject_reason, _reverse_request,
            ("giving.manage_request", "request_id")),
    Subject("dispute", "subject.dispute", _report,
            lambda p: p.pairing.need.village.county_code, lambda p: str(p.pairing_id),
            lambda p: (p.pairing.offer.enterprise.officer_id,
                       p.pairing.need.village.secretary_id),
            lambda p: p.status in ("upheld", "rejected") and p.decided_by_id is not None,
            lambda s, p: p.decided_by_id, lambda p: p.decision_note, _reverse_dispute,
            ("matching.pairing", "pairing_id")),
)}


def page_args(subject: Subject, obj: Any) -> dict[str, int]:
    endpoint, arg = subject.page
    return {arg: obj.pairing_id if subject.key == "dispute" else obj.id}
