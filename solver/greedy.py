"""Greedy baseline for comparison: best-scoring candidate arcs first while capacity lasts.

Same candidates, scores, locks and limits as solve(); no optimisation across arcs.
"""

from __future__ import annotations

import numpy as np

from . import candidates
from .metrics import StageMeter
from .score import deciles, depth, objective, pair_parts, poverty_points
from .solve import prepare
from .taxonomy import KIND_NAMES
from .types import Instance, Options, Solution, Stats, Weights
from .validate import validate


def greedy(inst: Instance, options: Options | None = None, weights: Weights | None = None) -> Solution:
    opt, w = options or Options(), weights or Weights()
    meter = StageMeter()
    with meter.stage("validate"):
        validate(inst)
        prep = prepare(inst, w)
    with meter.stage("candidates"):
        arcs = [candidates.build(inst, w, opt, prep.available, prep.demand, prep.excluded, k) for k in range(len(KIND_NAMES))]
    pov = poverty_points(inst.needs, w).astype(np.int64)
    with meter.stage("greedy"):
        oi = np.concatenate([a.oi for a in arcs])
        ni = np.concatenate([a.ni for a in arcs])
        unit = np.concatenate([a.score for a in arcs]) + pov[ni]
        order = np.lexsort((ni, oi, -unit))
        cap = prep.available.copy()
        dem = prep.demand.copy()
        lim = prep.limits
        slots = lim.slots.copy()
        served: set[int] = set(lim.locked_keys.tolist())
        village = lim.village
        res_o, res_n, res_q = [], [], []
        for a in order.tolist():
            o, n = int(oi[a]), int(ni[a])
            if cap[o] <= 0 or dem[n] <= 0:
                continue
            key = o * lim.vmax + int(village[n])
            if key not in served:
                if slots[o] <= 0:
                    continue
                slots[o] -= 1
                served.add(key)
            q = min(cap[o], dem[n])
            cap[o] -= q
            dem[n] -= q
            res_o.append(o)
            res_n.append(n)
            res_q.append(q)
    with meter.stage("output"):
        fo = np.r_[prep.lock_oi, np.array(res_o, np.int64)].astype(np.int64)
        fn = np.r_[prep.lock_ni, np.array(res_n, np.int64)].astype(np.int64)
        fq = np.r_[prep.lock_q, np.array(res_q, np.int64)].astype(np.int64)
        parts = pair_parts(inst, fo, fn, w)
        obj = objective(inst, fn, fq, parts.sum(axis=1, dtype=np.int64), w)
        dec = deciles(depth(inst.needs))
        helped = np.zeros(len(inst.needs), bool)
        helped[fn] = True
        total = np.bincount(dec, minlength=10)
        cov = np.bincount(dec, weights=helped, minlength=10)
    locked = np.zeros(len(fq), bool)
    locked[: len(prep.lock_q)] = True
    stats = Stats(
        objective=obj, bound=obj, gap=0.0,
        covered_by_decile=tuple(float(c / t) if t else 1.0 for c, t in zip(cov, total, strict=True)),
        needs_by_decile=tuple(int(t) for t in total), seconds=dict(meter.seconds), peak_mb=dict(meter.peak_mb),
        arcs=int(oi.size), rounds=0, time_limit_hit=False,
    )
    return Solution(inst.offers.id[fo], inst.needs.id[fn], fq, parts, locked, stats)
