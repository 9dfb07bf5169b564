"""What the matching modules share: audited columns, the reasons for declining, settings,
the session, links in notifications, today, row locks. Every part of the area imports
these from here (services.py, the facade, re-exports them)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import today as _beijing_today
from ..extensions import db

WEIGHT_FIELDS = ("distance", "east_west", "preferred", "sector", "poverty")


DECLINE_REASONS = {
    "capacity": _l("We cannot take this on at present"),
    "distance": _l("Too far away to work together well"),
    "fit": _l("The help does not fit what is needed"),
    "duplicate": _l("Already arranged with someone else"),
    "other": _l("Another reason (see the note)"),
}


ROUND_AUDIT = ("status", "stage", "province_code", "weights", "error")


PROPOSAL_AUDIT = ("status", "enterprise_answer", "village_answer", "quantity")


REPORT_AUDIT = ("status", "quantity", "dispute_reason", "decision_note")


def _s(session: Session | None) -> Session:
    return session or db.session


def _link(endpoint: str, **kw: object) -> str:
    try:
        return url_for(endpoint, **kw)
    except RuntimeError:  # no request (CLI, worker): a path without the host
        with current_app.test_request_context():
            return url_for(endpoint, **kw)


def today() -> date:
    return _beijing_today()


def proposal_days() -> int:
    return int(current_app.config.get("MATCHING_PROPOSAL_DAYS", 14))


def stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("MATCHING_STALE_MINUTES", 10)))


def _lock(session: Session, model: type, ident: int):  # noqa: ANN202
    """Re-read a row for update (PostgreSQL row lock; SQLite holds the write lock)."""
    return session.scalar(select(model).where(model.id == ident).with_for_update()
                          .execution_options(populate_existing=True))
