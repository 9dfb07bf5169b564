"""Complaints ("report a problem") about requests, villages and enterprises."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import services as audit
from ..db import utcnow
from ..enterprises.models import Enterprise
from ..places.models import Village
from .donations import _return_gift, confirmed_donations
from .models import (
    COMPLAINT_KINDS,
    Complaint,
    HelpRequest,
)
from .policy import GivingError, S, _require, _s, may_decide_complaint
from .reading import is_public
from .requests import _transition, lock_request


def file_complaint(req: HelpRequest, body: str, contact: str = "", kind: str = "other",
                   reporter: User | None = None, session: Session | None = None) -> Complaint:
    """A report about a public request, queued for its verifiers. It stops gifts only as
    requests.paused_by_complaints says (a logged-in reporter and a serious kind, or several
    reporters), never when anonymous."""
    session = _s(session)
    if not is_public(req):
        raise GivingError(_l("No such request."))
    if len(body.strip()) < 5:
        raise GivingError(_l("Please describe the problem."))
    if kind not in COMPLAINT_KINDS:
        raise GivingError(_l("Choose what kind of problem it is."))
    reporter_id = reporter.id if reporter is not None and reporter.is_authenticated else None
    complaint = Complaint(request_id=req.id, body=body.strip()[:1000],
                          contact=contact.strip()[:120], kind=kind, reporter_id=reporter_id)
    session.add(complaint)
    session.flush()
    audit.record(reporter if reporter_id else None, "complaint.filed", complaint,
                 after={"request_id": req.id, "kind": kind}, session=session)
    return complaint


def file_subject_complaint(subject: Village | Enterprise, body: str, contact: str = "",
                           session: Session | None = None) -> Complaint:
    """A "report a problem" about a public village or enterprise page. It stops nothing by
    itself; it waits for a verifier of the subject's county."""
    session = _s(session)
    if subject.status != "verified":
        raise GivingError(_l("No such page."))
    if len(body.strip()) < 5:
        raise GivingError(_l("Please describe the problem."))
    key = "village_id" if isinstance(subject, Village) else "enterprise_id"
    complaint = Complaint(body=body.strip()[:1000], contact=contact.strip()[:120],
                          **{key: subject.id})
    session.add(complaint)
    session.flush()
    audit.record(None, "complaint.filed", complaint, after={key: subject.id}, session=session)
    return complaint


def decide_complaint(actor: User, complaint: Complaint, upheld: bool, decision: str,
                     session: Session | None = None) -> None:
    """Dismissed: the request takes gifts again. Upheld: the request is rejected and every
    gift not yet paid out goes back to its donor. A village's or enterprise's complaint
    changes nothing else; an upheld one warns its later verifications."""
    session = _s(session)
    req = lock_request(complaint.request_id, session) if complaint.request_id else None
    _require(may_decide_complaint(actor, complaint))
    if complaint.status != "open":
        raise GivingError(_l("This report was already decided."))
    if not decision.strip():
        raise GivingError(_l("Please write down the decision."))
    complaint.status = "upheld" if upheld else "dismissed"
    complaint.decision, complaint.decided_by_id = decision.strip()[:500], actor.id
    complaint.decided_at = utcnow()
    session.flush()
    audit.record(actor, "complaint." + complaint.status, complaint,
                 after={"status": complaint.status, "decision": complaint.decision},
                 session=session)
    if req is not None and upheld and req.status in (S.NOTICE, S.OPEN, S.FUNDED):
        for donation in confirmed_donations(req, session):
            if donation.amount_fen <= req.raised_fen - req.disbursed_fen:
                _return_gift(actor, req, donation, session, allow_move=False)
        _transition(actor, req, "help_request.rejected", S.REJECTED, session,
                    reject_reason=complaint.decision)


def upheld_complaints(column, ids: list[int],  # noqa: ANN001
                      session: Session | None = None) -> dict[int, list[Complaint]]:
    """Upheld complaints about these villages or enterprises (column: Complaint.village_id
    or Complaint.enterprise_id), by subject id, in one query."""
    out: dict[int, list[Complaint]] = {}
    if not ids:
        return out
    for c in _s(session).scalars(select(Complaint).where(column.in_(ids),
                                                         Complaint.status == "upheld")
                                 .order_by(Complaint.decided_at)):
        out.setdefault(getattr(c, column.key), []).append(c)
    return out
