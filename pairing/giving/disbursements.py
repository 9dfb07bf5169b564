"""Evidence files and payouts: a secretary asks, a verifier of the county approves."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import uploads
from ..accounts.models import User
from ..audit import services as audit
from ..auth import may_act_on
from ..db import lock, utcnow
from ..ledger import services as ledger
from . import files
from .donations import _request_account, settle
from .models import (
    Disbursement,
    GivingFile,
    HelpRequest,
)
from .policy import GivingError, S, _require, _s, manages_request, may_verify
from .requests import _transition, lock_request


def save_file(actor: User, req: HelpRequest, kind: str, data: bytes, filename: str,
              session: Session | None = None) -> GivingFile:
    session = _s(session)
    stored, mime, size = files.store(data)
    uploads.written(session, files.path_of(stored))
    record = GivingFile(request_id=req.id, kind=kind, stored_name=stored, mime=mime, size=size,
                        original_name=(filename or "file")[-200:], uploaded_by_id=actor.id)
    session.add(record)
    session.flush()
    return record


def may_download(actor: User | None, record: GivingFile, session: Session | None = None) -> bool:
    req = _s(session).get(HelpRequest, record.request_id)
    if req is None or actor is None or not actor.is_authenticated:
        return False
    if manages_request(actor, req):
        return True
    return may_act_on(actor, req.village.county_code)


def add_evidence(actor: User, req: HelpRequest, data: bytes, filename: str,
                 session: Session | None = None) -> GivingFile:
    _require(manages_request(actor, req))
    if req.status not in (S.DRAFT, S.SUBMITTED, S.REJECTED):
        raise GivingError(_l("Evidence is added before verification."))
    return save_file(actor, req, "evidence", data, filename, session)


def request_disbursement(actor: User, request_id: int, amount_fen: int, note: str,
                         invoice: bytes, filename: str,
                         session: Session | None = None) -> Disbursement:
    session = _s(session)
    req = lock_request(request_id, session)
    settle(req, None, session)
    _require(manages_request(actor, req))
    if req.status not in (S.OPEN, S.FUNDED):
        raise GivingError(_l("Money can be paid out only from an open or funded request."))
    asked = session.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen), 0)).where(
        Disbursement.request_id == req.id, Disbursement.status == "requested")) or 0
    available = req.raised_fen - req.disbursed_fen - asked
    if not 0 < amount_fen <= available:
        left = f"{max(available, 0) / 100:.2f}"
        raise GivingError(_l("At most ¥%(left)s can be paid out now.", left=left))
    record = save_file(actor, req, "invoice", invoice, filename, session)
    disb = Disbursement(request_id=req.id, amount_fen=amount_fen, note=note.strip()[:300],
                        invoice_id=record.id, requested_by_id=actor.id)
    session.add(disb)
    session.flush()
    audit.record(actor, "disbursement.requested", disb, after=audit.snapshot(disb),
                 session=session)
    return disb


def decide_disbursement(actor: User, disb: Disbursement, approve: bool, reason: str = "",
                        session: Session | None = None) -> None:
    session = _s(session)
    req = lock_request(disb.request_id, session)
    _require(may_verify(actor, req))
    disb = lock(session, Disbursement, disb.id)  # after its request: the lock order
    if disb.status != "requested":
        raise GivingError(_l("This payout was already decided."))
    before = audit.snapshot(disb, ["status"])
    disb.decided_by_id, disb.decided_at = actor.id, utcnow()
    if approve:
        if disb.amount_fen > req.raised_fen - req.disbursed_fen:
            raise GivingError(_l("Not enough money left on the request."))
        if req.household_id is not None:
            payee = ledger.account(f"household:{req.household_id}", name="Household",
                                   owner_type="household", owner_id=req.household_id,
                                   session=session)
        else:  # a village project pays the village collective
            payee = ledger.account(f"village:{req.village_id}:projects", name="Village projects",
                                   owner_type="village", owner_id=req.village_id,
                                   session=session)
        ledger.transfer("disbursement", _request_account(req, session), payee,
                        disb.amount_fen, subject=("disbursement", disb.id), actor=actor,
                        session=session)
        req.disbursed_fen += disb.amount_fen
        disb.status = "approved"
        if req.status == S.FUNDED and req.disbursed_fen == req.raised_fen:
            _transition(actor, req, "help_request.disbursed", S.DISBURSED, session)
    else:
        if not reason.strip():
            raise GivingError(_l("Please give the reason for the rejection."))
        disb.status, disb.reason = "rejected", reason.strip()[:300]
    session.flush()
    audit.record(actor, "disbursement." + disb.status, disb, before=before,
                 after=audit.snapshot(disb, ["status"]), session=session)
