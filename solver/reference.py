"""The kind's flow model on OR-Tools' SimpleMinCostFlow (cost scaling): an independent
reference for flow.py's network simplex. The tests check that both find the same optimum;
the benchmark times both on the national instance. The solver itself does not use it."""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow


def optimal_cost(
    oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, lo: np.ndarray, hi: np.ndarray, available: np.ndarray,
    demand: np.ndarray, slice_left: np.ndarray, bonus: np.ndarray,
) -> int:
    """The optimal cost (<= 0, minus the objective) of flows on arcs (oi, ni) within
    [lo, hi], as flow.Network models it; available/demand/slice_left/bonus are by global
    row. OR-Tools has no lower bounds: they are sent beforehand and taken out of the
    capacities, filling the needs' slices first (a slice pays, the rest does not)."""
    uo, lo_o = np.unique(oi, return_inverse=True)
    un, lo_n = np.unique(ni, return_inverse=True)
    sent = np.bincount(lo_o, weights=lo, minlength=uo.size).astype(np.int64)
    got = np.bincount(lo_n, weights=lo, minlength=un.size).astype(np.int64)
    sl = slice_left[un]
    sl_got = np.minimum(got, sl)
    fixed = -int(np.dot(lo, unit)) - int(np.dot(sl_got, bonus[un]))
    supply = int((available[uo] - sent).sum())
    o, n = 2 + np.arange(uo.size), 2 + uo.size + np.arange(un.size)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.r_[np.zeros(uo.size, np.int64), o[lo_o], n, n, 0], np.r_[o, n[lo_n], np.ones(2 * un.size, np.int64), 1],
        np.r_[available[uo] - sent, hi - lo, sl - sl_got, demand[un] - got - (sl - sl_got), supply].astype(np.int64),
        np.r_[np.zeros(uo.size), -unit, -bonus[un], np.zeros(un.size + 1)].astype(np.int64))
    mcf.set_nodes_supplies(np.array([0, 1]), np.array([supply, -supply]))
    if mcf.solve() != mcf.OPTIMAL:
        raise RuntimeError("OR-Tools min-cost flow failed")
    return fixed + int(mcf.optimal_cost())
