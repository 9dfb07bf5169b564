"""Solver benchmark: national scale against greedy, a province against HiGHS, candidates alone.

    .venv/bin/python benchmarks/solver_bench.py [--seed S] [--scale F]

--scale shrinks every instance (e.g. 0.1 for a quick look); the figures in
solver/README.md are from --scale 1 on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import highspy
import numpy as np

from solver import Options, Weights, candidates, flow, greedy, solve
from solver.metrics import StageMeter
from solver.score import objective, pair_parts, poverty_points
from solver.solve import prepare
from solver.synth import synth


def _stages(s) -> str:
    return ", ".join(f"{k} {s.seconds[k]:.1f} s / {s.peak_mb[k]:.0f} MB" for k in s.seconds)


def national(seed: int, scale: float, limit: float) -> None:
    inst = synth(round(110_000 * scale), round(130_000 * scale), seed)
    print(f"== 1. national: {len(inst.offers)} offers, {len(inst.needs)} needs, K = 30")
    t, c = time.perf_counter(), time.process_time()
    sol = solve(inst, Options(k=30, time_limit_s=limit))
    st = sol.stats
    print(f"solver: {time.perf_counter() - t:.1f} s total ({time.process_time() - c:.1f} CPU s); {_stages(st)}")
    print(f"  objective {st.objective:,}  bound {st.bound:,}  gap {st.gap:.4%}  arcs {st.arcs:,}  re-solves {st.rounds}"
          f"  time limit hit: {st.time_limit_hit}")
    t = time.perf_counter()
    lb = limits_bound(inst, Weights(), Options(k=30))
    print(f"  limit-aware bound {lb:,} ({(st.bound - lb) / st.bound:.2%} below the plain bound: no answer respecting the"
          f" limits can get closer; the solver is {(lb - st.objective) / lb:.2%} below it) [{time.perf_counter() - t:.1f} s]")
    t, c = time.perf_counter(), time.process_time()
    g = greedy(inst, Options(k=30))
    gt = time.perf_counter() - t
    print(f"greedy: {gt:.1f} s total ({time.process_time() - c:.1f} CPU s); {_stages(g.stats)}")
    print(f"  objective {g.stats.objective:,} ({g.stats.objective / st.objective:.2%} of the solver's)")
    print(f"  poorest decile covered: solver {st.covered_by_decile[0]:.2%}, greedy {g.stats.covered_by_decile[0]:.2%}")
    print(f"  all needs covered:      solver {np.dot(st.covered_by_decile, st.needs_by_decile) / sum(st.needs_by_decile):.2%}, greedy {np.dot(g.stats.covered_by_decile, g.stats.needs_by_decile) / sum(g.stats.needs_by_decile):.2%}")


def limits_bound(inst, w: Weights, opt: Options) -> int:
    """A tighter valid bound: the flow optimum when each offer may send no more than the
    demand of its best `limit` candidate villages (plus its locked villages). Every answer
    that respects the village limits fits in it, so (plain bound - this) / plain bound is
    a gap no answer can close."""
    prep = prepare(inst, w)
    lim = prep.limits
    with ThreadPoolExecutor(2) as pool:
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, pool)
        pov = poverty_points(inst.needs, w).astype(np.int64)
        oi = np.concatenate([a.oi for a in arcs])
        ni = np.concatenate([a.ni for a in arcs])
        key = oi * lim.vmax + lim.village[ni]
        uk, inv = np.unique(key, return_inverse=True)
        vd = np.bincount(inv, weights=prep.demand[ni]).astype(np.int64)
        off = uk // lim.vmax
        free = np.isin(uk, lim.locked_keys)
        order = np.lexsort((-vd, free, off))  # per offer: other villages by demand, locked last
        offs = off[order]
        rank = np.arange(offs.size) - np.searchsorted(offs, offs)
        ok = (rank < lim.slots[offs]) | free[order]
        reach = np.bincount(offs, weights=np.where(ok, vd[order], 0), minlength=len(inst.offers)).astype(np.int64)
        avail = np.minimum(prep.available, reach)

        def one(a) -> int:
            kf = flow.build(a.oi, a.ni, a.score + pov[a.ni], avail, prep.demand, prep.slice_left, prep.bonus)
            return flow.solve(kf)[1]

        costs = list(pool.map(one, [a for a in arcs if a.oi.size]))
    lo, ln = prep.lock_oi, prep.lock_ni
    parts = pair_parts(inst, lo, ln, w)
    return objective(inst, ln, prep.lock_q, parts.sum(axis=1, dtype=np.int64), w) - sum(costs)


def _highs_bound(inst, w: Weights, opt: Options) -> tuple[float, float]:
    """The flow model without village limits as an LP for HiGHS: (optimum, seconds)."""
    prep = prepare(inst, w)
    arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded)
    oi = np.concatenate([a.oi for a in arcs])
    ni = np.concatenate([a.ni for a in arcs])
    unit = np.concatenate([a.score for a in arcs]) + poverty_points(inst.needs, w)[ni]
    no, nn, na = len(inst.offers), len(inst.needs), oi.size
    # Columns: arcs x (rows: offer capacity, need demand, -slice), then slices s (row +1).
    start = np.r_[np.arange(0, 3 * na, 3), 3 * na + np.arange(nn + 1)]
    index = np.c_[oi, no + ni, no + nn + ni].ravel()
    value = np.tile([1.0, 1.0, -1.0], na)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = na + nn, no + 2 * nn
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.r_[unit, prep.bonus].astype(float)
    lp.col_lower_ = np.zeros(na + nn)
    lp.col_upper_ = np.r_[np.minimum(prep.available[oi], prep.demand[ni]), prep.slice_left].astype(float)
    lp.row_lower_ = np.full(no + 2 * nn, -highspy.kHighsInf)
    lp.row_upper_ = np.r_[prep.available, prep.demand, np.zeros(nn)].astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = np.r_[index, no + nn + np.arange(nn)].astype(np.int32)
    lp.a_matrix_.value_ = np.r_[value, np.ones(nn)]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    return h.getInfo().objective_function_value, time.perf_counter() - t


def province(seed: int, scale: float) -> None:
    villages = round(10_000 * scale)
    inst = synth(round(villages * 110 / 130), villages, seed, province=52)
    print(f"\n== 2. a province (Guizhou): {villages} villages, {len(inst.needs)} needs, {len(inst.offers)} offers")
    w, opt = Weights(), Options(k=30)
    t, c = time.perf_counter(), time.process_time()
    sol = solve(inst, opt, w)
    total = time.perf_counter() - t
    st = sol.stats
    print(f"solver: {total:.2f} s total ({time.process_time() - c:.2f} CPU s); {_stages(st)}; gap {st.gap:.4%}")
    lp, lp_s = _highs_bound(inst, w, opt)
    flow_s = st.seconds["flow"]
    print(f"HiGHS LP of the same flow model: optimum {lp:,.0f} vs flow optimum (bound) {st.bound:,}: "
          f"{'same' if abs(lp - st.bound) < 0.5 else 'DIFFERENT'}")
    print(f"  HiGHS {lp_s:.2f} s vs min-cost flow {flow_s:.2f} s: {lp_s / max(flow_s, 1e-9):.0f}x "
          f"({lp_s / total:.1f}x the whole solve)")


def candidates_alone(seed: int, scale: float) -> None:
    inst = synth(round(110_000 * scale), round(130_000 * scale), seed)
    w, opt = Weights(), Options(k=30)
    prep = prepare(inst, w)
    meter = StageMeter()
    c = time.process_time()
    with meter.stage("candidates"), ThreadPoolExecutor(2) as pool:
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, pool)
    print(f"\n== 3. candidates alone (two threads), national: {meter.seconds['candidates']:.1f} s "
          f"({time.process_time() - c:.1f} CPU s), "
          f"peak {meter.peak_mb['candidates']:.0f} MB; {sum(a.oi.size for a in arcs):,} arcs, "
          f"{sum(a.scored for a in arcs):,} scored (row, offer) pairs, {sum(a.groups for a in arcs):,} groups")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--time-limit", type=float, default=60.0, help="national solve's repair budget")
    a = ap.parse_args()
    national(a.seed, a.scale, a.time_limit)
    province(a.seed, a.scale)
    candidates_alone(a.seed, a.scale)
