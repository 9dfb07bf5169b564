"""Housekeeping: public notice periods ending, deadlines passing (gifts moved or refunded)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import begin_write
from ..housekeeping import job
from . import matching, services
from .models import HelpRequest, RequestStatus


@job("giving.deadlines")
def settle_requests(session: Session, now: datetime) -> int:
    """Each request in its own write transaction, locked, with the same `settle` the
    donation service runs, so a page and the job never disagree."""
    due = session.scalars(select(HelpRequest.id).where(
        HelpRequest.status.in_([RequestStatus.NOTICE, RequestStatus.OPEN]),
        (HelpRequest.deadline <= now) | (HelpRequest.notice_until <= now))).all()
    session.commit()
    changed = 0
    for request_id in due:
        begin_write(session)
        req = services.lock_request(request_id, session)
        changed += services.settle(req, now, session)
        session.commit()
    return changed


@job("giving.matches")
def end_matches(session: Session, now: datetime) -> int:
    """Match periods that ended: the unused pool returns to the enterprise."""
    return matching.end_matches(session, now)
