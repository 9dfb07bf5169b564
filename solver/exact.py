"""Exact small rounds: one kind's model as a MILP with the village limits exact, solved by
HiGHS (highspy), warm-started from the repaired flow answer, under a time limit.

Variables: flow x on each candidate arc in [0, cap]; the covered first slice s of each
need in [0, slice left]; a binary y for each (offer, village) pair of the offers that
could serve more villages than their limit (other offers keep all their arcs, locked
villages never count). Rows: offer capacity, need demand, s <= what the need receives,
x <= cap·y on each arc and Σ x <= min(available, Σ cap)·y on each pair, Σ y <= slots.

x need not be integer: once the villages (y) are fixed the rest is the flow network of
flow.py, whose optima are integral. So the MILP's answer is read as its villages only,
and the flows on them are solved again by flow.reroute (integral, and at least as good
as the MILP's own x). The answer kept is the better of that and the heuristic's start:
never worse than the flow heuristic. The bound is the MILP's dual bound (kept only when
below the one already known); when the answer reaches it, the kind is proven optimal.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from . import cardinality, flow


def value(oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, x: np.ndarray, lim: cardinality.Limits) -> int:
    got = np.bincount(ni, weights=x, minlength=lim.demand.size).astype(np.int64)
    return int(np.dot(x.astype(np.int64), unit.astype(np.int64))
               + np.dot(lim.bonus.astype(np.int64), np.minimum(got, lim.slice_left)))


def solve_kind(oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, cap: np.ndarray, start: np.ndarray,
               lim: cardinality.Limits, known_bound: int, seconds: float) -> tuple[np.ndarray, int, bool]:
    """(flows, bound, ran): the better of `start` and the MILP's answer, the lower of
    known_bound and the MILP's bound (the answer's value when proven), and whether the
    MILP ran (not when start already reaches known_bound or no limit can bind)."""
    start = start.astype(np.int64)
    have = value(oi, ni, unit, start, lim)
    uk, kid, free = cardinality.pairs(oi, ni, lim)
    off = uk // lim.vmax
    ypair = _ypairs(uk, free, lim)
    if have >= known_bound or seconds <= 0:
        return start, known_bound, False
    if not ypair.any():  # no limit can bind: the plain flow is the model (the start may be a repair)
        x = flow.reroute(oi, ni, unit, np.zeros(oi.size, np.int64), cap, lim.available, lim.demand,
                         lim.slice_left, lim.bonus)
        best_x = x if value(oi, ni, unit, x, lim) > have else start
        return best_x, max(have, value(oi, ni, unit, x, lim)), True
    h, ycol = _model(oi, ni, unit, cap, lim, uk, kid, ypair, off)
    h.setOptionValue("time_limit", float(seconds))
    y0 = np.zeros(uk.size, bool)
    y0[kid[start > 0]] = True
    got = np.bincount(ni, weights=start, minlength=lim.demand.size).astype(np.int64)
    un = np.unique(ni)
    sol = highspy.HighsSolution()
    sol.col_value = np.r_[start, np.minimum(got, lim.slice_left)[un], y0[ypair]].astype(float).tolist()
    h.setSolution(sol)
    h.run()
    info = h.getInfo()
    bound = known_bound
    dual = -info.mip_dual_bound  # the model minimises minus the value
    if math.isfinite(dual):
        bound = min(bound, math.floor(dual + 1e-6 + 1e-9 * abs(dual)))
    best = start
    cols = np.asarray(h.getSolution().col_value)
    ok = cols.size == h.getNumCol() and info.primal_solution_status == 2  # a feasible incumbent
    keep = np.ones(uk.size, bool)
    if ok:
        keep[np.flatnonzero(ypair)] = cols[ycol] > 0.5
        # Its villages within every limit (checked here, not left to tolerances), else the start stands.
        ok = bool((np.bincount(off[keep & ypair], minlength=lim.slots.size) <= np.maximum(lim.slots, 0)).all())
    if ok:
        idx = np.flatnonzero(keep[kid])
        x = np.zeros(oi.size, np.int64)
        x[idx] = flow.reroute(oi[idx], ni[idx], unit[idx], np.zeros(idx.size, np.int64), cap[idx],
                              lim.available, lim.demand, lim.slice_left, lim.bonus)
        if value(oi, ni, unit, x, lim) > have:
            best, have = x, value(oi, ni, unit, x, lim)
    return best, (have if have >= bound else bound), True


def _ypairs(uk: np.ndarray, free: np.ndarray, lim: cardinality.Limits) -> np.ndarray:
    """Mask of the (offer, village) pairs uk that get a binary: those of offers with more
    candidate villages than their limit lets them keep (locked villages are free)."""
    off = uk // lim.vmax
    n_pairs = np.bincount(off[~free], minlength=lim.slots.size)
    return ~free & (n_pairs > np.maximum(lim.slots, 0))[off]


def wanted(oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, start: np.ndarray, lim: cardinality.Limits,
           known_bound: int) -> bool:
    """Whether solve_kind has work: the start is not proven optimal."""
    return value(oi, ni, unit, start, lim) < known_bound


def _model(oi, ni, unit, cap, lim: cardinality.Limits, uk, kid, ypair, off) -> tuple[highspy.Highs, np.ndarray]:
    """The kind's MILP (columns x, s, y) in HiGHS, and the y columns by pair."""
    na = oi.size
    uo, o_row = np.unique(oi, return_inverse=True)
    un, n_row = np.unique(ni, return_inverse=True)
    ns, ny = un.size, int(ypair.sum())
    yof = np.full(uk.size, -1, np.int64)
    yof[ypair] = np.arange(ny)
    ycol = na + ns + np.arange(ny)
    x = np.arange(na)
    ya = yof[kid]  # each arc's y (-1: none)
    arcs_y = np.flatnonzero(ya >= 0)
    pair_cap = np.bincount(kid, weights=cap, minlength=uk.size)[ypair]
    pair_cap = np.minimum(pair_cap, lim.available[off[ypair]])
    yo, yo_row = np.unique(off[ypair], return_inverse=True)
    r = [0, uo.size, uo.size + ns, uo.size + 2 * ns, uo.size + 2 * ns + arcs_y.size,
         uo.size + 2 * ns + arcs_y.size + ny]
    rows = np.r_[o_row, r[1] + n_row, r[2] + n_row, r[2] + np.arange(ns), r[3] + np.arange(arcs_y.size),
                 r[3] + np.arange(arcs_y.size), r[4] + ya[arcs_y], r[4] + np.arange(ny), r[5] + yo_row]
    cols = np.r_[x, x, x, na + np.arange(ns), arcs_y, na + ns + ya[arcs_y], arcs_y, na + ns + np.arange(ny),
                 na + ns + np.arange(ny)]
    vals = np.r_[np.ones(2 * na), -np.ones(na), np.ones(ns), np.ones(arcs_y.size), -cap[arcs_y],
                 np.ones(arcs_y.size), -pair_cap, np.ones(ny)]
    nrow = r[5] + yo.size
    order = np.lexsort((rows, cols))  # column-wise, as HiGHS takes it
    upper = np.r_[lim.available[uo], lim.demand[un], np.zeros(ns + arcs_y.size + ny), np.maximum(lim.slots[yo], 0)]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = na + ns + ny, nrow
    lp.col_cost_ = -np.r_[unit, lim.bonus[un], np.zeros(ny)].astype(float)
    lp.col_lower_ = np.zeros(na + ns + ny)
    lp.col_upper_ = np.r_[cap, lim.slice_left[un], np.ones(ny)].astype(float)
    lp.row_lower_ = np.full(nrow, -highspy.kHighsInf)
    lp.row_upper_ = upper.astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.searchsorted(cols[order], np.arange(na + ns + ny + 1)).astype(np.int32)
    lp.a_matrix_.index_ = rows[order].astype(np.int32)
    lp.a_matrix_.value_ = vals[order].astype(float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = na + ns + ny, nrow
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * (na + ns) + [highspy.HighsVarType.kInteger] * ny
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.99)  # values are integers: less than one apart is proof
    # The repaired flow answer is the start and the final re-solve on the MILP's villages a
    # heuristic of its own: HiGHS' sub-MIP heuristics took most of its time. Without them
    # 24 county kinds were proven in 5.3 s in all (the slowest 1.1 s) against 16.1 s (7.7 s).
    for name in ("rins", "rens", "root_reduced_cost", "zi_round", "shifting"):
        h.setOptionValue(f"mip_heuristic_run_{name}", False)
    h.passModel(lp)
    return h, ycol


def budget(total_s: float, deadline: float | None) -> float:
    """Seconds left for the exact stage: its own budget, within the round's time limit."""
    left = total_s if deadline is None else min(total_s, deadline - time.monotonic())
    return max(0.0, left)
