"""Pairing rounds (answers to proposals: proposals.py; what the parts share: policy.py;
delivery: delivery.py).

Services take the actor and objects, check who may do what, flush and never commit (the
round runner in jobs.py commits its stages itself, as a command does).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import solver

from ..accounts.models import Role, User
from ..audit import services as audit
from ..db import begin_write, utcnow
from ..enterprises.rules import Invalid, NotAllowed
from ..places.models import Province, Village
from .models import Round

# The facade: shared rules (policy.py) and answers to proposals (proposals.py), imported
# here for views, jobs and other areas; neither imports this module.
from .policy import (  # noqa: F401
    DECLINE_REASONS,
    PROPOSAL_AUDIT,
    REPORT_AUDIT,
    ROUND_AUDIT,
    WEIGHT_FIELDS,
    _link,
    _lock,
    _s,
    proposal_days,
    stale_after,
    today,
)
from .proposals import _pair, answer, expire_proposals, proposals_for, side_of  # noqa: F401

# Rounds -------------------------------------------------------------------------------

def weights_of(rnd: Round) -> solver.Weights:
    known = {f.name for f in fields(solver.Weights)}
    return solver.Weights(**{k: v for k, v in (rnd.weights or {}).items() if k in known})


def check_weights(data: dict) -> dict[str, int]:
    out, errors = {}, {}
    for name in WEIGHT_FIELDS:
        value = data.get(name)
        if value in (None, ""):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            errors[name] = _l("Enter a whole number from 0 to 100.")
        else:
            out[name] = value
    if errors:
        raise Invalid(errors)
    return out


def _coordinator_for(actor: User, province_code: str | None) -> None:
    if actor.role != Role.COORDINATOR:
        raise NotAllowed
    if province_code is None and actor.jurisdiction != "CN":
        raise NotAllowed
    if province_code is not None and not (actor.jurisdiction == "CN"
                                          or actor.jurisdiction == province_code):
        raise NotAllowed


def create_round(actor: User, province_code: str | None, weights: dict,
                 session: Session | None = None) -> Round:
    session = _s(session)
    province_code = province_code or None
    _coordinator_for(actor, province_code)
    if province_code and session.get(Province, province_code) is None:
        raise Invalid({"province_code": _l("Unknown province.")})
    rnd = Round(province_code=province_code, weights=check_weights(weights), status="draft",
                created_by_id=actor.id, created_at=utcnow())
    session.add(rnd)
    session.flush()
    audit.record(actor, "round.create", rnd, after=audit.snapshot(rnd, ROUND_AUDIT),
                 session=session)
    return rnd


def rounds_for(actor: User) -> Select:
    q = select(Round).order_by(Round.id.desc())
    if actor.jurisdiction and actor.jurisdiction != "CN":
        q = q.where(Round.province_code == actor.jurisdiction[:2])
    return q


def fail_stale(session: Session, now: datetime | None = None) -> int:
    """Rounds whose worker stopped beating are failed, so they can be run again. The rows
    are locked (PostgreSQL), so a round whose proposals are being written is seen done."""
    now = now or utcnow()
    stale = list(session.scalars(select(Round).where(
        Round.status == "running", or_(Round.heartbeat_at.is_(None),
                                       Round.heartbeat_at < now - stale_after()))
        .with_for_update().execution_options(populate_existing=True)))
    for rnd in stale:
        rnd.status = "failed"
        rnd.error = "The worker running this round stopped; run it again."
        rnd.finished_at = now
        audit.record(None, "round.stale", rnd, after=audit.snapshot(rnd, ROUND_AUDIT),
                     session=session)
    session.flush()
    return len(stale)


ANOTHER_RUNNING = _l("Another round is running: wait until it finishes.")


def start_round(actor: User, rnd: Round, session: Session | None = None) -> Round:
    """draft or failed -> running, as a new attempt; the caller runs it (inline or in the
    background). One round runs at a time: two starts at once meet the unique index on
    running rounds, and the second coordinator is told another round is running."""
    session = _s(session)
    _coordinator_for(actor, rnd.province_code)
    begin_write(session)
    fail_stale(session)
    expire_proposals(session, utcnow())  # late answers must not hold capacity in this round
    rnd = _lock(session, Round, rnd.id)
    if rnd.status not in ("draft", "failed"):
        raise Invalid({"status": _l("This round has already run or is running.")})
    if session.scalar(select(Round.id).where(Round.status == "running")):
        raise Invalid({"status": ANOTHER_RUNNING})
    before = audit.snapshot(rnd, ROUND_AUDIT)
    now = utcnow()
    rnd.status, rnd.stage, rnd.error = "running", "queued", ""
    rnd.attempt += 1
    rnd.stage_log = [["queued", now.isoformat()]]
    rnd.started_at = rnd.heartbeat_at = now
    rnd.finished_at = None
    try:
        with session.begin_nested():  # only this flush is undone if another round won
            session.flush()
    except IntegrityError:
        raise Invalid({"status": ANOTHER_RUNNING}) from None
    audit.record(actor, "round.start", rnd, before=before,
                 after=audit.snapshot(rnd, ROUND_AUDIT), session=session)
    return rnd


def round_size(rnd: Round, session: Session | None = None) -> int:
    """Offers plus needs the round would consider: decides inline versus background."""
    session = _s(session)
    from ..enterprises.services import public_offers
    from ..needs.services import public_needs

    nq = public_needs()
    if rnd.province_code:
        nq = nq.where(Village.county_code.startswith(rnd.province_code))
    count = lambda q: session.scalar(select(func.count()).select_from(q.subquery())) or 0  # noqa: E731
    return count(public_offers()) + count(nq)


def fail_round(session: Session, rnd: Round, error: str) -> None:
    before = audit.snapshot(rnd, ROUND_AUDIT)
    rnd.status, rnd.error, rnd.finished_at = "failed", error[:500], utcnow()
    session.flush()
    audit.record(None, "round.fail", rnd, before=before,
                 after=audit.snapshot(rnd, ROUND_AUDIT), session=session)
