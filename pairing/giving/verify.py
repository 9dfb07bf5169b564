"""Help requests, reported problems and payouts as sections of the verifier's queue
(pairing/verification). Entries a verifier may not decide (their own, outside their
jurisdiction, a declared family tie for a county verifier) are not listed for them."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.models import User
from ..audit.labels import field_label
from ..auth import place_filter
from ..db import begin_write
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..formatting import when
from ..places.models import Village
from ..verification import services as _base  # noqa: F401 - registers its sections first
from ..verification.registry import SECTIONS, Section, register
from . import disclosure, services
from .models import Complaint, Disbursement, HelpRequest


def _scope(user: User) -> list:
    return place_filter(user, Village.county_code)


def _pending(model, *where):  # noqa: ANN001, ANN202
    def pending(user: User, limit: int) -> list:
        q = select(model)
        if model is not HelpRequest:
            q = q.join(HelpRequest, HelpRequest.id == model.request_id)
        q = (q.join(Village, Village.id == HelpRequest.village_id)
             .where(*where, *_scope(user)).order_by(model.created_at).limit(limit))
        rows = db.session.scalars(q).all()
        return [r for r in rows
                if services.may_verify(user, r if model is HelpRequest else r.request)]
    return pending


def _request_warnings(items: list) -> dict[int, list[object]]:
    out: dict[int, list[object]] = {}
    changed = services.record_changes(r.household for r in items if r.household)
    for req in items:
        notes: list[object] = []
        if req.household is None:  # a village project: no household to check
            out[req.id] = []
            continue
        dups = services.duplicates(req.household)
        if dups:
            notes.append(_l("The same ID number is registered in another village: %(v)s",
                            v=", ".join(d.village.name for d in dups)))
        if req.household.family_tie:
            notes.append(_l("The secretary declared a family tie: only a provincial or "
                            "national verifier may decide."))
        if changes := changed[req.household.id]:
            names = dict.fromkeys(field_label(f, "households") for _at, fs in changes for f in fs)
            notes.append(_l("The household's record was changed after it was registered "
                            "(%(fields)s; last on %(date)s).", fields=", ".join(names),
                            date=when(changes[-1][0], "%Y-%m-%d")))
        if told := disclosure.illness_told(req):
            notes.append(_l("The title or story names the illness (%(words)s), which the "
                            "household has not agreed to show publicly.", words=", ".join(told)))
        if who := disclosure.identity_told(req):
            notes.append(_l("The title or story tells who the household is (%(words)s): it "
                            "cannot be approved until the secretary rewrites them.",
                            words=", ".join(who)))
        out[req.id] = notes
    return out


def _decider(fn):  # noqa: ANN001, ANN202
    def decide(user: User, obj: object, ok: bool, reason: str) -> None:
        try:
            begin_write()
            fn(user, db.session.merge(obj), ok, reason)
        except services.Forbidden:
            raise NotAllowed() from None
        except ValueError as exc:
            raise Invalid({"reason": str(exc)}) from None
    return decide


register(Section(
    key="help_requests", title=_l("Household help requests"),
    template="giving/_verify_request_entry.html",
    pending=_pending(HelpRequest, HelpRequest.status == "submitted"),
    warnings=_request_warnings, load=lambda ident: db.session.get(HelpRequest, ident),
    decide=_decider(lambda u, r, ok, reason: services.verify_request(u, r, ok, reason)),
    order=30))
register(Section(
    key="giving_complaints", title=_l("Reported problems"),
    template="giving/_verify_complaint_entry.html",
    pending=lambda user, limit: services.open_complaints_for(user, limit),
    warnings=lambda items: {}, load=lambda ident: db.session.get(Complaint, ident),
    decide=_decider(lambda u, c, ok, reason: services.decide_complaint(u, c, ok, reason)),
    order=31))
register(Section(
    key="disbursements", title=_l("Payouts to households"),
    template="giving/_verify_disbursement_entry.html",
    pending=_pending(Disbursement, Disbursement.status == "requested"),
    warnings=lambda items: {}, load=lambda ident: db.session.get(Disbursement, ident),
    decide=_decider(lambda u, d, ok, reason: services.decide_disbursement(u, d, ok, reason)),
    order=32))


def _with_upheld(section: Section, column) -> Section:  # noqa: ANN001
    """The village/enterprise section of pairing/verification, with a warning for each
    upheld complaint about the entry (its own warnings first)."""
    def warnings(items: list) -> dict[int, list[object]]:
        out = section.warnings(items)
        found = services.upheld_complaints(column, [i.id for i in items])
        for ident, complaints in found.items():
            out.setdefault(ident, []).extend(
                _l("An upheld report of a problem: %(decision)s", decision=c.decision)
                for c in complaints)
        return out
    return replace(section, warnings=warnings)


for _key, _column in (("villages", Complaint.village_id),
                      ("enterprises", Complaint.enterprise_id)):
    if _key in SECTIONS:
        register(_with_upheld(SECTIONS[_key], _column))
