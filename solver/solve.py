"""solve(): validate, candidates, flows per kind in parallel, village-limit repair."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import candidates, cardinality, flow
from .metrics import StageMeter
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
    pool = ThreadPoolExecutor(max_workers=max(1, opt.threads))
    with meter.stage("candidates"):
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, pool)
    pov = poverty_points(inst.needs, w).astype(np.int64)
    live = [k for k in kinds if arcs[k].oi.size]
    live.sort(key=lambda k: -arcs[k].oi.size)  # biggest first balances the threads

    def first(k: int) -> tuple[flow.KindFlow, np.ndarray, int]:
        a = arcs[k]
        kf = flow.build(a.oi, a.ni, a.score + pov[a.ni], prep.available, prep.demand, prep.slice_left, prep.bonus)
        flows, cost = flow.solve(kf)
        return kf, flows, cost

    with meter.stage("flow"):
        solved = dict(zip(live, pool.map(first, live), strict=True))
    with meter.stage("repair"):
        repaired = dict(zip(live, pool.map(
            lambda k: cardinality.repair(solved[k][0], solved[k][1], prep.limits, deadline, opt.max_rounds), live,
        ), strict=True))
    pool.shutdown()
    with meter.stage("output"):
        fo, fn, fq = [prep.lock_oi], [prep.lock_ni], [prep.lock_q]
        for k in sorted(live):
            kf, flows = solved[k][0], repaired[k][0]
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
        bound = lock_obj - sum(solved[k][2] for k in live)
    stats = _stats(inst, w, ni, obj, bound, arcs, repaired, meter)
    locked = np.zeros(len(q), bool)
    locked[:nl] = True
    return Solution(inst.offers.id[oi], inst.needs.id[ni], q, parts, locked, stats)


def _stats(inst, w, ni, obj, bound, arcs, repaired, meter) -> Stats:
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
        time_limit_hit=any(r[2] for r in repaired.values()),
    )
