"""Where the solver's gap lies: per kind, the flow bound it reports, the bound of the
perspective LP (x <= u·y, Σ y <= N with y in [0, 1]) and, for small instances, the exact
MILP (y binary) from HiGHS — against the solver's answer.

    .venv/bin/python benchmarks/solver_bounds.py [--villages 1000] [--seed 7] [--milp-seconds 60]
    .venv/bin/python benchmarks/solver_bounds.py --national [--milp-seconds 0]

--villages: a province (Guizhou) of that many villages; --national: the benchmark's
national instance (the LP takes about a minute per kind there; use --milp-seconds 0).
Every answer within the limits is feasible for both programs, so
solver <= MILP optimum <= MILP dual bound <= LP <= flow bound.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from solver import Options, Weights, candidates, cardinality, flow, solve
from solver.score import objective, poverty_points
from solver.solve import prepare
from solver.synth import synth
from solver.taxonomy import KIND_NAMES
from solver.validate import _index


def _program(oi, ni, unit, lim: cardinality.Limits, reach, integral: bool, seconds: float):
    """(optimum or incumbent, dual bound) of one kind: arcs x, slices s, pairs y."""
    un, ln = np.unique(ni, return_inverse=True)
    uo, lo = np.unique(oi, return_inverse=True)
    uk, kid, locked = cardinality.pairs(oi, ni, lim)
    na, nn, npair = oi.size, un.size, uk.size
    nv = na + nn + npair
    u = np.minimum(np.minimum(lim.available[oi], lim.demand[ni]), reach[oi]).astype(float)
    counted = np.where(locked, 0.0, 1.0)  # locked villages are free
    x, s, y = np.arange(na), na + np.arange(nn), na + nn + np.arange(npair)
    rows = [
        sp.csr_matrix((np.ones(na), (lo, x)), shape=(uo.size, nv)),  # offer capacity
        sp.csr_matrix((np.ones(na), (ln, x)), shape=(nn, nv)),  # need demand
        sp.csr_matrix((np.r_[-np.ones(na), np.ones(nn)], (np.r_[ln, np.arange(nn)], np.r_[x, s])), shape=(nn, nv)),
        sp.csr_matrix((np.r_[np.ones(na), -u], (np.r_[x, x], np.r_[x, y[kid]])), shape=(na, nv)),  # x <= u·y
        sp.csr_matrix((counted, (np.searchsorted(uo, uk // lim.vmax), y)), shape=(uo.size, nv)),  # Σ y <= N
    ]
    upper = np.r_[reach[uo], lim.demand[un], np.zeros(nn + na), lim.slots[uo]].astype(float)
    res = milp(-np.r_[unit.astype(float), lim.bonus[un].astype(float), np.zeros(npair)],
               constraints=LinearConstraint(sp.vstack(rows).tocsr(), -np.inf, upper),
               bounds=Bounds(np.zeros(nv), np.r_[u, lim.slice_left[un].astype(float), np.ones(npair)]),
               integrality=np.r_[np.zeros(na + nn), np.full(npair, 1.0 if integral else 0.0)],
               options={"time_limit": seconds, "disp": False})
    best = -res.fun if res.x is not None else float("nan")
    dual = getattr(res, "mip_dual_bound", None)
    return best, (-dual if integral and dual is not None else best)


def main(inst, milp_seconds: float) -> None:
    w, opt = Weights(), Options(k=30)
    sol = solve(inst, opt, w)
    prep = prepare(inst, w)
    lim = prep.limits
    arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded)
    pov = poverty_points(inst.needs, w).astype(np.int64)
    kind_of = inst.offers.kind[_index(inst.offers.id, sol.offer_id)]
    ni_all = _index(inst.needs.id, sol.need_id)
    tot = np.zeros(5)
    print(f"{len(inst.offers)} offers, {len(inst.needs)} needs; how far below the flow bound, per kind:")
    for k, name in enumerate(KIND_NAMES):
        oi, ni = arcs[k].oi, arcs[k].ni
        if not oi.size:
            continue
        unit = arcs[k].score + pov[ni]
        reach = np.minimum(lim.available, cardinality.reach(oi, ni, lim))
        bound = -flow.build(oi, ni, unit, reach, lim.demand, lim.slice_left, lim.bonus)[0].solve()[1]
        m = kind_of == k
        ours = objective(inst, ni_all[m], sol.quantity[m], sol.score[m], w)
        t = time.perf_counter()
        lp = _program(oi, ni, unit, lim, reach, False, 3600)[0]
        best, dual = _program(oi, ni, unit, lim, reach, True, milp_seconds) if milp_seconds else (np.nan, np.nan)
        tot += [bound, ours, lp, best, dual]
        print(f"  {name:14s} {oi.size:>9,} arcs  solver {(bound - ours) / bound:7.4%}  LP {(bound - lp) / bound:7.4%}"
              f"{_milp(bound, best, dual)}  {time.perf_counter() - t:.0f} s")
    b = tot[0]
    print(f"  {'all kinds':14s} solver {(b - tot[1]) / b:7.4%}  LP {(b - tot[2]) / b:7.4%}{_milp(b, tot[3], tot[4])}; "
          f"solver's gap to the LP bound {(tot[2] - tot[1]) / tot[2]:.4%}")


def _milp(bound: float, best: float, dual: float) -> str:
    if np.isnan(best):
        return ""
    return f"  MILP {(bound - best) / bound:7.4%} (optimum at least {(bound - dual) / bound:7.4%} below)"


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--villages", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--milp-seconds", type=float, default=60.0, help="per kind; 0: LP only")
    ap.add_argument("--national", action="store_true")
    a = ap.parse_args()
    if a.national:
        main(synth(110_000, 130_000, a.seed), a.milp_seconds)
    else:
        main(synth(round(a.villages * 110 / 130), a.villages, a.seed, province=52), a.milp_seconds)
