"""solve(): validate, candidates (threads), per kind a flow, its consolidating re-solves
and its village-limit repair (worker processes for large instances: the flow solver
holds the GIL while it solves)."""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import bound, candidates, cardinality, consolidate, exact, flow
from .metrics import StageMeter, rss_mb
from .score import deciles, depth, objective, pair_parts, poverty_points, slice_bonus, slice_size
from .taxonomy import KIND_NAMES
from .types import Instance, Options, Solution, Stats, Weights
from .validate import _index, validate


@dataclass(frozen=True)
class Prepared:
    """Index-based view of the fixed decisions and what remains to be allocated."""

    lock_oi: np.ndarray
    lock_ni: np.ndarray
    lock_q: np.ndarray
    available: np.ndarray  # offer quantity minus held minus locked
    demand: np.ndarray  # need quantity minus locked
    slice_left: np.ndarray  # first-slice units not yet covered by locks
    bonus: np.ndarray  # slice bonus per unit, by need
    excluded: np.ndarray  # sorted keys offer * n_needs + need: locked or forbidden
    limits: cardinality.Limits


def prepare(inst: Instance, w: Weights) -> Prepared:
    o, n = inst.offers, inst.needs
    lo, ln, lq = _index(o.id, inst.locked[:, 0]), _index(n.id, inst.locked[:, 1]), inst.locked[:, 2]
    avail = o.quantity.astype(np.int64).copy()
    np.subtract.at(avail, lo, lq)
    np.subtract.at(avail, _index(o.id, inst.held[:, 0]), inst.held[:, 1])
    got = np.zeros(len(n), np.int64)
    np.add.at(got, ln, lq)
    sl = slice_size(n.quantity, w)
    fo, fn = _index(o.id, inst.forbidden[:, 0]), _index(n.id, inst.forbidden[:, 1])
    excluded = np.unique(np.r_[lo * len(n) + ln, fo * len(n) + fn]).astype(np.int64)
    vmax = int(n.village.max()) + 1 if len(n) else 1
    lkeys = np.unique(lo * vmax + n.village[ln]).astype(np.int64)
    slots = o.max_villages - np.bincount(lkeys // vmax, minlength=len(o))
    dec = deciles(depth(n))
    limits = cardinality.Limits(
        n.village, slots, lkeys, vmax, np.maximum(0, sl - got), slice_bonus(dec, w), avail, n.quantity - got, dec == 0,
    )
    return Prepared(lo, ln, lq, avail, n.quantity - got, limits.slice_left, limits.bonus, excluded, limits)


# Above this many arcs kinds are solved in worker processes: the flow solvers hold the
# GIL while they solve (two kinds on two threads took as long as one after the other,
# with OR-Tools and with pylmcf alike).
PROCESS_ARCS = 500_000


def _workers(opt: Options, arcs: int) -> Executor:
    auto = arcs >= PROCESS_ARCS and threading.active_count() == 1
    if opt.threads > 1 and (opt.processes if opt.processes is not None else auto):
        # fork: forkserver and spawn re-run the caller's main script in each worker. Forking
        # a process with other threads risks locks they hold, so "auto" forks only when
        # this is the only thread (command line, benchmark, RQ work-horse), not inside a
        # web process; the workers start here, before any stage's sampling thread.
        pool = ProcessPoolExecutor(max_workers=opt.threads, mp_context=mp.get_context("fork"), initializer=_start)
        pool.submit(os.getpid).result()  # with fork, the first task starts every worker
        return pool
    return ThreadPoolExecutor(max_workers=max(1, opt.threads))


_BASE_MB = 0.0  # in a forked worker: what it shares with its parent at the start


def _start() -> None:
    global _BASE_MB
    _BASE_MB = rss_mb()


def _peak() -> tuple[int, float]:
    """(pid, peak MB of this worker beyond what it shared with its parent at fork)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - _BASE_MB
    return os.getpid(), max(0.0, own) if _BASE_MB else 0.0


class _First(NamedTuple):
    start: np.ndarray  # the repair's starting flows
    cost: int  # the first flow's optimal cost: minus the kind's flow bound
    bound: int  # the kind's best bound: the flow's or the Lagrangian one at its prices
    cap: np.ndarray  # arc capacities
    peak: tuple[int, float]  # (pid, peak MB)
    optimal: bool  # start is the first flow's optimum (no consolidating pass made)


def _first_job(oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, lim: cardinality.Limits, passes: int,
               deadline: float | None) -> _First:
    """One kind's flow with offers capped at what their village limits let them reach, then
    its consolidating re-solves (those that fit before the deadline) and, when it fits
    before the deadline, the Lagrangian bound at the flow's prices."""
    t = time.monotonic()
    reach = np.minimum(lim.available, cardinality.reach(oi, ni, lim))
    net, cap = flow.build(oi, ni, unit, reach, lim.demand, lim.slice_left, lim.bonus)
    flows, cost = net.solve()
    first_s = time.monotonic() - t
    prices = net.prices(lim.demand.size)  # before the passes change the scores
    start, made = consolidate.flows(net, oi, ni, unit, reach, lim, flows, passes, deadline, first_s)
    # A tighter bound when there is time for it: it takes less than the first flow did
    # (0.3-1.5 s a national kind); under a tight limit the repair needs the time more.
    best = -cost
    if prices is not None and (deadline is None or time.monotonic() + first_s < deadline):
        best = min(best, bound.lagrangian(oi, ni, unit, cap, reach, lim, prices, net.needs))
    return _First(start, cost, best, cap, _peak(), made == 0)


def _repair_job(oi, ni, unit, cap, flows, lim: cardinality.Limits, deadline: float | None, max_rounds: int,
                optimal: bool):
    kf = flow.KindFlow(oi, ni, unit.astype(np.int64), cap)
    return (*cardinality.repair(kf, flows, lim, deadline, max_rounds, optimal), _peak())


def _gather(parts: list[np.ndarray], dtype=np.int64) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)


def solve(inst: Instance, options: Options | None = None, weights: Weights | None = None) -> Solution:
    """Solve one round. Raises ValueError naming row and field on bad input."""
    opt, w = options or Options(), weights or Weights()
    meter = StageMeter()
    start = time.monotonic()
    deadline = start + opt.time_limit_s if opt.time_limit_s else None
    with meter.stage("validate"):
        validate(inst)
        prep = prepare(inst, w)
    kinds = range(len(KIND_NAMES))
    with meter.stage("candidates"), ThreadPoolExecutor(max_workers=max(1, opt.threads)) as tpool:
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, tpool)
    pov = poverty_points(inst.needs, w).astype(np.int64)
    live = [k for k in kinds if arcs[k].oi.size]
    live.sort(key=lambda k: -arcs[k].oi.size)  # biggest first balances the workers
    units = {k: arcs[k].score + pov[arcs[k].ni] for k in live}
    lim = prep.limits
    with _workers(opt, sum(arcs[k].oi.size for k in live)) as pool:
        with meter.stage("flow"):
            firsts = list(pool.map(_first_job, [arcs[k].oi for k in live], [arcs[k].ni for k in live],
                                   [units[k] for k in live], [lim] * len(live), [opt.consolidate] * len(live),
                                   [deadline] * len(live)))
        with meter.stage("repair"):
            repairs = list(pool.map(_repair_job, [arcs[k].oi for k in live], [arcs[k].ni for k in live],
                                    [units[k] for k in live], [f.cap for f in firsts], [f.start for f in firsts],
                                    [lim] * len(live), [deadline] * len(live), [opt.max_rounds] * len(live),
                                    [f.optimal for f in firsts]))
    children: dict[int, float] = {}
    for pid, mb in [f.peak for f in firsts] + [r[3] for r in repairs]:
        if mb:
            children[pid] = max(children.get(pid, 0.0), mb)
    if children:  # kinds solved in worker processes: their own peaks add to ours
        for st in ("flow", "repair"):
            meter.peak_mb[st] += sum(children.values())
    repaired = {k: repairs[i][:3] for i, k in enumerate(live)}
    kind_bound = {k: firsts[i].bound for i, k in enumerate(live)}
    ran = False
    if opt.exact if opt.exact is not None else len(inst.offers) + len(inst.needs) <= opt.exact_rows:
        with meter.stage("exact"):
            t0 = time.monotonic()
            caps = {k: firsts[i].cap for i, k in enumerate(live)}
            order = sorted((k for k in live if exact.wanted(arcs[k].oi, arcs[k].ni, units[k], repaired[k][0], lim,
                                                            kind_bound[k])),
                           key=lambda k: arcs[k].oi.size)  # time a small kind leaves goes to the next
            for j, k in enumerate(order):
                secs = exact.budget(opt.exact_seconds - (time.monotonic() - t0), deadline) / (len(order) - j)
                flows, kind_bound[k], r = exact.solve_kind(arcs[k].oi, arcs[k].ni, units[k], caps[k], repaired[k][0],
                                                           lim, kind_bound[k], secs)
                repaired[k] = (flows, *repaired[k][1:])
                ran |= r
    with meter.stage("output"):
        fo, fn, fq = [prep.lock_oi], [prep.lock_ni], [prep.lock_q]
        for k in sorted(live):
            kf, flows = arcs[k], repaired[k][0]  # kf: the kind's arcs
            used = flows > 0
            fo.append(kf.oi[used])
            fn.append(kf.ni[used])
            fq.append(flows[used])
        oi, ni, q = _gather(fo), _gather(fn), _gather(fq)
        parts = pair_parts(inst, oi, ni, w)
        unit = parts.sum(axis=1, dtype=np.int64)
        obj = objective(inst, ni, q, unit, w)
        nl = len(prep.lock_q)
        lock_obj = objective(inst, ni[:nl], q[:nl], unit[:nl], w)
        flow_bound = lock_obj - sum(f.cost for f in firsts)
        best = lock_obj + sum(kind_bound.values())
    stats = _stats(inst, w, ni, obj, best, flow_bound, arcs, repaired, meter, ran)
    locked = np.zeros(len(q), bool)
    locked[:nl] = True
    return Solution(inst.offers.id[oi], inst.needs.id[ni], q, parts, locked, stats)


def _stats(inst, w, ni, obj, bound, flow_bound, arcs, repaired, meter, ran: bool) -> Stats:
    dec = deciles(depth(inst.needs))
    helped = np.zeros(len(inst.needs), bool)
    helped[ni] = True
    total = np.bincount(dec, minlength=10)
    cov = np.bincount(dec, weights=helped, minlength=10)
    share = tuple(float(c / t) if t else 1.0 for c, t in zip(cov, total, strict=True))
    gap = (bound - obj) / bound if bound > 0 else 0.0
    return Stats(
        objective=int(obj), bound=int(bound), gap=float(gap), covered_by_decile=share,
        needs_by_decile=tuple(int(t) for t in total), seconds=dict(meter.seconds), peak_mb=dict(meter.peak_mb),
        arcs=int(sum(a.oi.size for a in arcs)), rounds=int(sum(r[1] for r in repaired.values())),
        time_limit_hit=any(r[2] for r in repaired.values()), flow_bound=int(flow_bound), engine=flow.engine(),
        exact=ran,
    )
