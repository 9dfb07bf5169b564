"""Time-based changes (expiries, deadlines), run by `flask housekeeping`.

Each area registers its jobs with `@job`; a job takes (session, now) and returns how many
rows it changed. `make run` repeats the command every minute; production runs it from
cron or an RQ scheduler. Pages that show a state a job would change call the same job
function first (or compute the state the same way), so nobody sees a stale state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from .accounts.models import LoginSession
from .accounts.services import SESSION_MAX_AGE
from .db import utcnow

Job = Callable[[Session, datetime], int]
JOBS: dict[str, Job] = {}


def job(name: str) -> Callable[[Job], Job]:
    def register(fn: Job) -> Job:
        JOBS[name] = fn
        return fn

    return register


def run_all(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Run every job, each in its own transaction, so one failure does not undo others."""
    from . import areas

    for _module in areas.modules("jobs"):
        pass  # importing registers the area's jobs
    now = now or utcnow()
    done: dict[str, int] = {}
    for name, fn in JOBS.items():
        try:
            done[name] = fn(session, now)
            session.commit()
        except Exception:
            session.rollback()
            raise
    return done


@job("login_sessions.expire")
def expire_login_sessions(session: Session, now: datetime) -> int:
    result = session.execute(delete(LoginSession)
                             .where(LoginSession.created_at < now - SESSION_MAX_AGE))
    return result.rowcount or 0
