"""Help requests and village projects, and their states up to the public notice."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import lock, utcnow
from ..ledger import services as ledger
from ..places.models import Village
from . import disclosure
from .models import (
    PURPOSES,
    SERIOUS_COMPLAINTS,
    Complaint,
    HelpRequest,
    Household,
    RequestUpdate,
)
from .policy import (
    REQUEST_FIELDS,
    GivingError,
    S,
    _require,
    _s,
    goal_bounds,
    manages,
    manages_request,
    may_verify,
    notice_period,
)


def _check_goal(amount_fen: int, ceiling: int, deadline: datetime, title: str) -> None:
    """What every request and project must have: an amount within bounds, a deadline
    after the public notice, a title."""
    low = goal_bounds()[0]
    if not low <= amount_fen <= ceiling:
        raise GivingError(_l("The amount needed must be between %(low)s and %(high)s yuan.",
                             low=low // 100, high=ceiling // 100))
    if deadline <= utcnow() + notice_period():
        raise GivingError(_l("The deadline must be after the public notice period."))
    if not title.strip():
        raise GivingError(_l("A title is required."))


def create_request(actor: User, household: Household, *, purpose: str, title: str, story: str,
                   amount_needed_fen: int, deadline: datetime, diagnosis: str = "",
                   show_diagnosis: bool = False, session: Session | None = None) -> HelpRequest:
    session = _s(session)
    _require(manages(actor, household))
    if purpose not in PURPOSES:
        raise GivingError(_l("Unknown purpose."))
    _check_goal(amount_needed_fen, goal_bounds()[1], deadline, title)
    req = HelpRequest(household=household, village_id=household.village_id, purpose=purpose, title=title.strip(),
                      story=story.strip(), diagnosis=diagnosis.strip(),
                      show_diagnosis=show_diagnosis, amount_needed_fen=amount_needed_fen,
                      deadline=deadline, created_by_id=actor.id)
    session.add(req)
    session.flush()
    audit.record(actor, "help_request.created", req, after=audit.snapshot(req), session=session)
    return req


# What a secretary may still change while the request is a draft or was sent back.
EDITABLE = ("purpose", "title", "story", "diagnosis", "show_diagnosis", "amount_needed_fen",
            "deadline")


def update_request(actor: User, req: HelpRequest, *, title: str, story: str,
                   amount_needed_fen: int, deadline: datetime, purpose: str | None = None,
                   diagnosis: str = "", show_diagnosis: bool = False,
                   session: Session | None = None) -> HelpRequest:
    """Change a draft or rejected request (a rejection's reason is usually its text); a
    village project keeps its purpose and has no illness. The row is locked first: a
    request submitted meanwhile is a verifier's to judge as it stands, and may go public,
    so it is no longer changed here."""
    session = _s(session)
    _require(manages_request(actor, req))
    req = lock_request(req.id, session)
    if req.status not in (S.DRAFT, S.REJECTED):
        raise GivingError(_l("Only a draft or rejected request can be changed."))
    project = req.need is not None
    if project:
        purpose, diagnosis, show_diagnosis = req.purpose, "", False
    elif purpose not in PURPOSES:
        raise GivingError(_l("Unknown purpose."))
    ceiling = goal_bounds()[1]
    _check_goal(amount_needed_fen, min(ceiling, req.need.remaining) if project else ceiling,
                deadline, title)
    before = audit.snapshot(req, EDITABLE)
    req.purpose, req.title, req.story = purpose, title.strip(), story.strip()
    req.diagnosis, req.show_diagnosis = diagnosis.strip(), show_diagnosis
    req.amount_needed_fen, req.deadline = amount_needed_fen, deadline
    session.flush()
    audit.record(actor, "help_request.updated", req, before=before,
                 after=audit.snapshot(req, EDITABLE), session=session)
    return req


def _transition(actor: User | None, req: HelpRequest, action: str, status: str,
                session: Session, **changes: object) -> None:
    before = audit.snapshot(req, REQUEST_FIELDS)
    req.status = status
    for key, value in changes.items():
        setattr(req, key, value)
    session.flush()
    audit.record(actor, action, req, before=before, after=audit.snapshot(req, REQUEST_FIELDS),
                 session=session)


def submit_request(actor: User, req: HelpRequest, session: Session | None = None) -> None:
    session = _s(session)
    _require(manages_request(actor, req))
    if req.status not in (S.DRAFT, S.REJECTED):
        raise GivingError(_l("Only a draft or rejected request can be submitted."))
    household = req.household
    if household and not (household.consent_publish and household.consent_sensitive):
        raise GivingError(_l("The household's consent to publish and its consent for "
                             "sensitive data must be recorded first."))
    _transition(actor, req, "help_request.submitted", S.SUBMITTED, session,
                submitted_at=utcnow(), reject_reason="")


def verify_request(actor: User, req: HelpRequest, approve: bool, reason: str = "",
                   now: datetime | None = None, session: Session | None = None) -> None:
    session = _s(session)
    _require(may_verify(actor, req))
    if req.status != S.SUBMITTED:
        raise GivingError(_l("Only a submitted request can be verified."))
    now = now or utcnow()
    if approve and (told := disclosure.identity_told(req)):
        raise GivingError(_l("The title or story tells who the household is (%(words)s): "
                             "reject the request so that the secretary rewrites them.",
                             words=", ".join(told)))
    if approve:
        ledger.account(req.ledger_code, name=f"Help request {req.id}", owner_type="help_request",
                       owner_id=req.id, session=session)
        _transition(actor, req, "help_request.verified", S.NOTICE, session,
                    verified_by_id=actor.id, verified_at=now,
                    notice_until=now + notice_period())
    else:
        if not reason.strip():
            raise GivingError(_l("Please give the reason for the rejection."))
        _transition(actor, req, "help_request.rejected", S.REJECTED, session,
                    reject_reason=reason.strip()[:500])


def effective_status(req: HelpRequest, now: datetime | None = None) -> str:
    """The state housekeeping would give the request now (pages show this one)."""
    now = now or utcnow()
    # Once anything was paid out the household got help: no expiry, only no more gifts.
    if req.status in (S.NOTICE, S.OPEN) and now >= req.deadline and req.disbursed_fen == 0:
        return S.EXPIRED
    if req.status == S.NOTICE and req.notice_until is not None and now >= req.notice_until:
        return S.OPEN
    return req.status


def lock_request(request_id: int, session: Session | None = None) -> HelpRequest:
    req = lock(_s(session), HelpRequest, request_id)
    if req is None:
        raise GivingError(_l("No such request."))
    return req


# Independent logged-in reporters whose open complaints of any kind stop gifts together.
PAUSE_REPORTERS = 3


def paused_by_complaints(req: HelpRequest, session: Session | None = None) -> bool:
    """Whether open complaints stop the request's gifts until a verifier decides: one of a
    serious kind from a logged-in reporter, or those of PAUSE_REPORTERS distinct logged-in
    reporters. An anonymous complaint waits in the queue and stops nothing: anyone could
    freeze any fundraiser with one."""
    session = _s(session)
    signed = (Complaint.request_id == req.id, Complaint.status == "open",
              Complaint.reporter_id.is_not(None))
    if session.scalar(select(Complaint.id).where(
            *signed, Complaint.kind.in_(SERIOUS_COMPLAINTS)).limit(1)):
        return True
    return (session.scalar(select(func.count(func.distinct(Complaint.reporter_id)))
                           .where(*signed)) or 0) >= PAUSE_REPORTERS


def close_request(actor: User, req: HelpRequest, session: Session | None = None) -> None:
    _require(manages_request(actor, req))
    if req.status != S.DISBURSED:
        raise GivingError(_l("Only a fully paid-out request can be closed."))
    _transition(actor, req, "help_request.closed", S.CLOSED, _s(session))


def add_update(actor: User, req: HelpRequest, body: str,
               session: Session | None = None) -> RequestUpdate:
    _require(manages_request(actor, req))
    if not body.strip():
        raise GivingError(_l("The update is empty."))
    update = RequestUpdate(request_id=req.id, body=body.strip()[:1000], author_id=actor.id)
    _s(session).add(update)
    _s(session).flush()
    return update


PROJECT_KINDS = ("donation", "infrastructure", "education", "medical")


def create_project(actor: User, need, *, title: str, story: str,  # noqa: ANN001
                   amount_needed_fen: int, deadline: datetime,
                   session: Session | None = None) -> HelpRequest:
    """A verified village's public-welfare need opened as a crowdfunding project: the same
    states, pages, ledger and payout rules as a household's request."""
    session = _s(session)
    village = need.village
    _require(actor.role == Role.SECRETARY and village.secretary_id == actor.id)
    if village.status != "verified" or need.kind not in PROJECT_KINDS or need.status not in (
            "open", "partly_met"):
        raise GivingError(_l("Only an open public-welfare need of a verified village can "
                             "become a project."))
    if session.scalar(select(HelpRequest.id).where(HelpRequest.need_id == need.id)):
        raise GivingError(_l("This need already has a project."))
    # Money needs are stored in fen, like the goal.
    _check_goal(amount_needed_fen, min(goal_bounds()[1], need.remaining), deadline, title)
    req = HelpRequest(village_id=village.id, need_id=need.id, purpose="other",
                      title=title.strip(), story=story.strip(), amount_needed_fen=amount_needed_fen,
                      deadline=deadline, created_by_id=actor.id)
    session.add(req)
    session.flush()
    audit.record(actor, "help_request.created", req, after=audit.snapshot(req), session=session)
    return req


def projects_of(actor: User, session: Session | None = None) -> list[HelpRequest]:
    return list(_s(session).scalars(
        select(HelpRequest).join(Village, Village.id == HelpRequest.village_id)
        .where(Village.secretary_id == actor.id, HelpRequest.need_id.is_not(None))
        .order_by(HelpRequest.id)))
