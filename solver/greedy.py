"""Greedy baseline for comparison: best-scoring candidate arcs first while capacity lasts.

Same candidates, scores, locks and limits as solve(); no optimisation across arcs. It
computes no bound: its stats carry its own objective as `bound` and a gap of 0, so
compare it with solve()'s bound (as the benchmark and the site's round page do).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import candidates
from .metrics import StageMeter
from .score import deciles, depth, objective, pair_parts, poverty_points
from .solve import Prepared, prepare
from .types import Instance, Options, Solution, Stats, Weights
from .validate import validate


def greedy(inst: Instance, options: Options | None = None, weights: Weights | None = None) -> Solution:
    opt, w = options or Options(), weights or Weights()
    meter = StageMeter()
    with meter.stage("validate"):
        validate(inst)
        prep = prepare(inst, w)
    with meter.stage("candidates"), ThreadPoolExecutor(max_workers=max(1, opt.threads)) as pool:
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, pool)
    pov = poverty_points(inst.needs, w).astype(np.int64)
    with meter.stage("greedy"):
        oi = np.concatenate([a.oi for a in arcs])
        ni = np.concatenate([a.ni for a in arcs])
        unit = np.concatenate([a.score for a in arcs]) + pov[ni]
        order = np.lexsort((ni, oi, -unit))
        res_o, res_n, res_q = _greedy_pass(oi[order], ni[order], prep)
    with meter.stage("output"):
        fo = np.r_[prep.lock_oi, res_o].astype(np.int64)
        fn = np.r_[prep.lock_ni, res_n].astype(np.int64)
        fq = np.r_[prep.lock_q, res_q].astype(np.int64)
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
        objective=obj, bound=obj, gap=0.0, flow_bound=obj,
        covered_by_decile=tuple(float(c / t) if t else 1.0 for c, t in zip(cov, total, strict=True)),
        needs_by_decile=tuple(int(t) for t in total), seconds=dict(meter.seconds), peak_mb=dict(meter.peak_mb),
        arcs=int(oi.size), rounds=0, time_limit_hit=False,
    )
    return Solution(inst.offers.id[fo], inst.needs.id[fn], fq, parts, locked, stats)


CHUNK = 250_000  # arcs filtered with numpy before the Python pass looks at them


def _greedy_pass(oi: np.ndarray, ni: np.ndarray, prep: Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs in the given order, each taking min(capacity, demand) left while its offer has
    capacity, its need demand and its offer a free village slot (or already serves the
    village). Chunks of arcs are first filtered with numpy (offer or need used up), so the
    Python loop only sees arcs that may still be taken; the result is the plain loop's."""
    lim = prep.limits
    cap = prep.available.copy()
    dem = prep.demand.copy()
    slots = lim.slots.copy()
    served: set[int] = set(lim.locked_keys.tolist())
    vmax = lim.vmax
    res_o: list[np.ndarray] = []
    res_n: list[np.ndarray] = []
    res_q: list[np.ndarray] = []
    for a in range(0, oi.size, CHUNK):
        o_c, n_c = oi[a : a + CHUNK], ni[a : a + CHUNK]
        live = (cap[o_c] > 0) & (dem[n_c] > 0)
        o_c, n_c = o_c[live], n_c[live]
        if o_c.size == 0:
            continue
        keys = (o_c * vmax + lim.village[n_c]).tolist()
        # Python-side state for the offers and needs of this chunk.
        uo, un = np.unique(o_c), np.unique(n_c)
        capd = dict(zip(uo.tolist(), cap[uo].tolist(), strict=True))
        slotd = dict(zip(uo.tolist(), slots[uo].tolist(), strict=True))
        demd = dict(zip(un.tolist(), dem[un].tolist(), strict=True))
        co, cn, cq = [], [], []
        for o, n, key in zip(o_c.tolist(), n_c.tolist(), keys, strict=True):
            c = capd[o]
            d = demd[n]
            if c <= 0 or d <= 0:
                continue
            if key not in served:
                if slotd[o] <= 0:
                    continue
                slotd[o] -= 1
                served.add(key)
            q = c if c < d else d
            capd[o] = c - q
            demd[n] = d - q
            co.append(o)
            cn.append(n)
            cq.append(q)
        cap[uo] = list(capd.values())
        slots[uo] = list(slotd.values())
        dem[un] = list(demd.values())
        res_o.append(np.array(co, np.int64))
        res_n.append(np.array(cn, np.int64))
        res_q.append(np.array(cq, np.int64))
    z = np.zeros(0, np.int64)
    return (np.concatenate(res_o) if res_o else z, np.concatenate(res_n) if res_n else z,
            np.concatenate(res_q) if res_q else z)
