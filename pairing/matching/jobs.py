"""Housekeeping (expiry, lapsing, dead rounds) and the runner of pairing rounds.

A round runs in the request when small, else in the background: an RQ job when REDIS_URL
is set, a worker thread of this process otherwise. The runner beats a heartbeat into the
round row; a round whose heartbeat stops (the process died) is failed by housekeeping or
when its page is viewed, and can then be run again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from .. import housekeeping
from ..db import begin_write, utcnow
from ..extensions import db
from . import delivery, execute, services
from .models import Round

BEAT_S = 20.0


@housekeeping.job("matching.expire_proposals")
def expire_proposals(session: Session, now: datetime) -> int:
    return services.expire_proposals(session, now)


@housekeeping.job("matching.lapse_pairings")
def lapse_pairings(session: Session, now: datetime) -> int:
    return delivery.lapse_pairings(session, now)


@housekeeping.job("matching.fail_stale_rounds")
def fail_stale_rounds(session: Session, now: datetime) -> int:
    return services.fail_stale(session, now)


class Progress:
    """Stage and heartbeat of one attempt of a round, each written in a short transaction
    of its own (never the round's session: its transaction stays short and a commit never
    expires what the round holds). Every write names the attempt: if the round was failed
    and started again meanwhile, nothing is written and Superseded stops this attempt."""

    def __init__(self, round_id: int, attempt: int, log: list) -> None:
        self.round_id, self.attempt, self.log = round_id, attempt, list(log or [])
        self.lock = threading.Lock()

    def _write(self, *only: object, **values: object) -> bool:
        with self.lock, db.engine.begin() as conn:
            done = conn.execute(update(Round).where(
                Round.id == self.round_id, Round.attempt == self.attempt,
                Round.status == "running", *only).values(**values))
            return done.rowcount == 1

    def claim(self) -> bool:
        """queued -> preparing for this attempt, once: a second job for it does nothing."""
        return self.stage("preparing", strict=False, only=(Round.stage == "queued",))

    def stage(self, name: str, strict: bool = True, only: tuple = ()) -> bool:
        now = utcnow()
        log = self.log if self.log and self.log[-1][0] == name else \
            [*self.log, [name, now.isoformat()]]
        if self._write(*only, stage=name, heartbeat_at=now, stage_log=log):
            self.log = log
            return True
        if strict:
            raise execute.Superseded(self.round_id)
        return False

    def beat(self) -> bool:
        try:
            return self._write(heartbeat_at=utcnow())
        except OperationalError:  # SQLite: the round's own write holds the lock; try later
            return True


def _ticker(app: Flask, progress: Progress, stop: threading.Event) -> None:
    """Keeps the heartbeat fresh while the solver holds the main thread."""
    while not stop.wait(BEAT_S):
        with app.app_context():
            if not progress.beat():
                return


def run(round_id: int, attempt: int | None = None) -> None:
    """Execute a started round inside the current app context; commits its proposals.
    A job runs only the attempt it was queued for (the current one when None), and only
    once: a job that finds its round done, failed or started again does nothing."""
    session = db.session
    rnd = session.get(Round, round_id)
    if rnd is None or rnd.status != "running" or attempt not in (None, rnd.attempt):
        session.rollback()
        return
    progress = Progress(round_id, rnd.attempt, rnd.stage_log or [])
    if not progress.claim():
        session.rollback()
        return

    def beat(stage: str) -> None:
        if stage != "writing":
            session.rollback()  # nothing is written before "writing": end the read
        progress.stage(stage)

    stop = threading.Event()
    ticker = threading.Thread(target=_ticker, args=(current_app._get_current_object(),  # type: ignore[attr-defined]
                                                    progress, stop), daemon=True)
    ticker.start()
    try:
        execute.execute_round(session, rnd, beat)
        session.commit()
    except execute.Superseded:
        session.rollback()
        current_app.logger.warning("round %s: attempt %s was superseded; it stopped",
                                   round_id, progress.attempt)
    except Exception as exc:
        session.rollback()
        current_app.logger.exception("round %s failed", round_id)
        try:
            begin_write(session)
            rnd = execute.lock_attempt(session, round_id, progress.attempt)
        except execute.Superseded:
            session.rollback()
        else:
            services.fail_round(session, rnd, f"{type(exc).__name__}: {exc}")
            session.commit()
    finally:
        stop.set()


def run_in_app(app: Flask, round_id: int, attempt: int | None = None) -> None:
    with app.app_context():
        run(round_id, attempt)
        db.session.remove()


APP_FACTORY: Callable[[], Flask] | None = None  # tests hand the worker their app


def run_rq(round_id: int, attempt: int | None = None) -> None:
    """Entry point of the RQ job (`rq worker pairing`): builds its own app from the
    environment (the same DATABASE_URL as the web processes)."""
    from .. import create_app

    run_in_app((APP_FACTORY or create_app)(), round_id, attempt)


THREADS: dict[int, threading.Thread] = {}  # for tests to join; nothing else relies on it


def launch(round_id: int, size: int, attempt: int | None = None) -> str:
    """Run inline when small, else in the background. Returns "inline", "rq" or "thread"."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if size <= int(app.config.get("MATCHING_INLINE_MAX", 3000)):
        run(round_id, attempt)
        return "inline"
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        Queue(app.config.get("MATCHING_RQ_QUEUE", "pairing"), connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            "pairing.matching.jobs.run_rq", round_id, attempt, job_timeout=6 * 3600,
            job_id=f"round-{round_id}-{attempt}" if attempt else None)
        return "rq"
    thread = threading.Thread(target=run_in_app, args=(app, round_id, attempt), daemon=True,
                              name=f"round-{round_id}")
    THREADS[round_id] = thread
    thread.start()
    return "thread"
