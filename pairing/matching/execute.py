"""A started round's run: prepare, solve, compare with greedy, and write its proposals,
figures, audit row and inbox lines in one short transaction, in bulk.

Nothing here holds ORM objects of offers, needs or proposals: a nationwide round has
about 190,000 of each, and loading or refreshing them one by one took most of its time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

import solver
from solver.types import PARTS

from ..accounts.models import User
from ..audit import services as audit
from ..db import begin_write, utcnow
from ..enterprises.models import Offer
from ..needs.models import Need
from ..verification.decisions import approvals_undone
from . import to_solver
from .models import Proposal, Round
from .notify import notify_many
from .policy import ROUND_AUDIT, _link, _lock, proposal_days
from .services import weights_of


class Superseded(Exception):
    """The round was failed and started again (or finished) while this attempt ran."""


def lock_attempt(session: Session, round_id: int, attempt: int) -> Round:
    """The round row, locked, if it is still running this attempt; else Superseded."""
    rnd = _lock(session, Round, round_id)
    if rnd is None or rnd.status != "running" or rnd.attempt != attempt:
        raise Superseded(round_id)
    return rnd


def execute_round(session: Session, rnd: Round, beat: Callable[[str], None]) -> int:
    """Solve, compare with greedy, write proposals and figures; returns how many were
    proposed. `beat(stage)` records progress (in its own transaction: jobs.py). Until
    "writing" nothing is written, and the write itself is a few bulk statements in one
    short transaction, after the round row is locked and found still on this attempt."""
    round_id, attempt, actor_id = rnd.id, rnd.attempt, rnd.created_by_id
    t0 = time.perf_counter()
    beat("preparing")
    prep = to_solver.prepare(session, rnd)
    prepare_s = time.perf_counter() - t0
    weights = weights_of(rnd)
    limit = current_app.config.get("MATCHING_TIME_LIMIT_S")
    options = solver.Options(time_limit_s=float(limit) if limit else None, threads=2)
    beat("solving")
    sol = solver.solve(prep.instance, options, weights)
    problems = solver.check(prep.instance, sol)
    if problems:
        raise RuntimeError("solution failed its check: " + "; ".join(problems[:3]))
    beat("baseline")
    base = solver.greedy(prep.instance, options, weights)
    beat("writing")
    new = to_solver.rows(prep, sol)
    figures = {"solver": to_solver.figures(prep, sol),
               "greedy": to_solver.figures(prep, base, bound=sol.stats.bound),
               "offers": prep.offers, "needs": prep.needs,
               "proposed": len(new), "prepare_s": round(prepare_s, 4),
               "deciles": _decile_quantities(prep, new)}
    del sol, base
    begin_write(session)
    rnd = lock_attempt(session, round_id, attempt)
    kept = _without_undone(session, new)
    if len(kept) != len(new):
        new = kept
        figures.update(proposed=len(new), deciles=_decile_quantities(prep, new))
    now = utcnow()
    _insert_proposals(session, round_id, new, now, now + timedelta(days=proposal_days()))
    before = audit.snapshot(rnd, ROUND_AUDIT)
    rnd.figures = figures
    rnd.status, rnd.stage, rnd.finished_at, rnd.heartbeat_at = "done", "done", now, now
    rnd.stage_log = [*(rnd.stage_log or []), ["done", now.isoformat()]]
    actor = session.get(User, actor_id) if actor_id else None
    audit.record(actor, "round.finish", rnd, before=before,
                 after=audit.snapshot(rnd, ROUND_AUDIT) | {"proposed": len(new)},
                 session=session)
    _notify_new(session, prep, new, round_id)
    session.flush()
    return len(new)


def _without_undone(session: Session, new: to_solver.NewRows) -> to_solver.NewRows:
    """The proposals minus those of an enterprise or village whose verification was
    undone after the round read it (verification.decisions.approvals_undone)."""
    enterprises, villages = approvals_undone(session)
    if not enterprises and not villages:
        return new
    offers = list(session.scalars(select(Offer.id).where(Offer.enterprise_id.in_(enterprises))))
    needs = list(session.scalars(select(Need.id).where(Need.village_id.in_(villages))))
    keep = ~np.isin(new.offer_id, offers) & ~np.isin(new.need_id, needs)
    return to_solver.NewRows(new.oi[keep], new.ni[keep], new.offer_id[keep],
                             new.need_id[keep], new.quantity[keep], new.parts[keep],
                             new.distance_km[keep])


INSERT_CHUNK = 5000  # rows per executemany: bounded memory for the parameter dicts
COLUMNS = ("round_id", "offer_id", "need_id", "quantity", "score", "parts", "distance_km",
           "status", "enterprise_reason", "village_reason", "created_at", "expires_at")


def _proposal_rows(round_id: int, new: to_solver.NewRows, now: datetime,
                   expires: datetime, start: int, stop: int) -> list[tuple]:
    part = slice(start, stop)
    return [(round_id, o, n, q, sum(parts), dict(zip(PARTS, parts, strict=True)), km,
             "pending", "", "", now, expires)
            for o, n, q, parts, km in zip(
                new.offer_id[part].tolist(), new.need_id[part].tolist(),
                new.quantity[part].tolist(), new.parts[part].tolist(),
                new.distance_km[part].tolist(), strict=True)]


def _copy_text(round_id: int, new: to_solver.NewRows, now: datetime, expires: datetime,
               start: int, stop: int) -> str:
    """COPY's text format for rows start..stop: only integers, fixed words and timestamps,
    so nothing needs escaping (four times faster than psycopg adapting value by value)."""
    part = slice(start, stop)
    tail = f"\tpending\t\t\t{now.isoformat(' ')}\t{expires.isoformat(' ')}\n"
    parts = "{{" + ", ".join(f'"{name}": {{}}' for name in PARTS) + "}}"  # a format string
    return "".join(
        f"{round_id}\t{o}\t{n}\t{q}\t{sum(p)}\t{parts.format(*p)}\t{km}{tail}"
        for o, n, q, p, km in zip(
            new.offer_id[part].tolist(), new.need_id[part].tolist(), new.quantity[part].tolist(),
            new.parts[part].tolist(), new.distance_km[part].tolist(), strict=True))


def _insert_proposals(session: Session, round_id: int, new: to_solver.NewRows,
                      now: datetime, expires: datetime) -> None:
    """All new proposals without ORM objects: COPY on PostgreSQL (executemany took about
    0.45 ms a row there), executemany chunks on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        cursor = session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {Proposal.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, len(new), INSERT_CHUNK):
                copy.write(_copy_text(round_id, new, now, expires, start,
                                      start + INSERT_CHUNK).encode())
        return
    for start in range(0, len(new), INSERT_CHUNK):
        session.execute(insert(Proposal.__table__), [
            dict(zip(COLUMNS, row, strict=True))
            for row in _proposal_rows(round_id, new, now, expires, start, start + INSERT_CHUNK)])


def _decile_quantities(prep: to_solver.Prepared, new: to_solver.NewRows) -> list[int]:
    """How many needs of each poverty decile got a new proposal (poorest first)."""
    got = np.bincount(prep.decile[np.unique(new.ni)].astype(np.int64), minlength=10)
    return [int(x) for x in got[:10]]


def _notify_new(session: Session, prep: to_solver.Prepared, new: to_solver.NewRows,
                round_id: int) -> None:
    """One inbox line per officer and secretary with how many proposals they got, from the
    ids the round already holds (no query per proposal)."""
    users = np.concatenate([prep.offer_officer[new.oi], prep.need_secretary[new.ni]])
    uids, counts = np.unique(users[users != to_solver.NO_USER], return_counts=True)
    notify_many(session, "proposals.new", _link("matching.proposals"),
                [(int(u), {"count": int(c), "round": round_id})
                 for u, c in zip(uids, counts, strict=True)])
