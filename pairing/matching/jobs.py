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
from sqlalchemy.orm import Session

from .. import housekeeping
from ..db import utcnow
from ..extensions import db
from . import delivery, services
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


def _ticker(app: Flask, round_id: int, stop: threading.Event) -> None:
    """Keeps the heartbeat fresh while the solver holds the main thread."""
    while not stop.wait(BEAT_S):
        with app.app_context():
            rnd = db.session.get(Round, round_id)
            if rnd is None or rnd.status != "running":
                return
            rnd.heartbeat_at = utcnow()
            db.session.commit()


def run(round_id: int) -> None:
    """Execute a started round inside the current app context; commits its stages."""
    session = db.session
    rnd = session.get(Round, round_id)
    if rnd is None or rnd.status != "running":
        return

    def beat(stage: str) -> None:
        rnd.stage, rnd.heartbeat_at = stage, utcnow()
        session.commit()

    stop = threading.Event()
    ticker = threading.Thread(target=_ticker, args=(current_app._get_current_object(),  # type: ignore[attr-defined]
                                                    round_id, stop), daemon=True)
    ticker.start()
    try:
        services.execute_round(session, rnd, beat)
        session.commit()
    except Exception as exc:
        session.rollback()
        current_app.logger.exception("round %s failed", round_id)
        rnd = session.get(Round, round_id)
        if rnd is not None:
            services.fail_round(session, rnd, f"{type(exc).__name__}: {exc}")
            session.commit()
    finally:
        stop.set()


def run_in_app(app: Flask, round_id: int) -> None:
    with app.app_context():
        run(round_id)
        db.session.remove()


APP_FACTORY: Callable[[], Flask] | None = None  # tests hand the worker their app


def run_rq(round_id: int) -> None:
    """Entry point of the RQ job (`rq worker pairing`): builds its own app from the
    environment (the same DATABASE_URL as the web processes)."""
    from .. import create_app

    run_in_app((APP_FACTORY or create_app)(), round_id)


THREADS: dict[int, threading.Thread] = {}  # for tests to join; nothing else relies on it


def launch(round_id: int, size: int) -> str:
    """Run inline when small, else in the background. Returns "inline", "rq" or "thread"."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if size <= int(app.config.get("MATCHING_INLINE_MAX", 3000)):
        run(round_id)
        return "inline"
    if app.config.get("REDIS_URL"):
        from redis import Redis
        from rq import Queue

        Queue(app.config.get("MATCHING_RQ_QUEUE", "pairing"), connection=Redis.from_url(app.config["REDIS_URL"])).enqueue(
            "pairing.matching.jobs.run_rq", round_id, job_timeout=6 * 3600)
        return "rq"
    thread = threading.Thread(target=run_in_app, args=(app, round_id), daemon=True,
                              name=f"round-{round_id}")
    THREADS[round_id] = thread
    thread.start()
    return "thread"
