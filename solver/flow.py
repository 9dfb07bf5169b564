"""One kind's transportation problem as an OR-Tools min-cost flow.

source -> offer (available capacity) -> need (candidate arcs, cost -unit score)
-> sink via two arcs: the first slice (cost -slice bonus) and the rest (cost 0);
source -> sink bypass (cost 0) balances supply and demand, so nobody must be served.
Costs are small integers (at most a few hundred): OR-Tools takes integers only and
cost scaling slows down with the cost range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass
class KindFlow:
    mcf: min_cost_flow.SimpleMinCostFlow | None  # None: the arcs only (for the repair)
    arcs: np.ndarray | None  # OR-Tools ids of the offer -> need arcs, aligned with oi, ni
    oi: np.ndarray
    ni: np.ndarray
    unit: np.ndarray  # unit score of each arc (int64)
    cap: np.ndarray  # capacity of each offer -> need arc


def build(
    oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, available: np.ndarray, demand: np.ndarray,
    slice_left: np.ndarray, bonus: np.ndarray,
) -> KindFlow:
    """available/demand/slice_left/bonus are indexed by global offer/need row."""
    uo, lo = np.unique(oi, return_inverse=True)
    un, ln = np.unique(ni, return_inverse=True)
    o_node = 2 + np.arange(uo.size, dtype=np.int64)
    n_node = 2 + uo.size + np.arange(un.size, dtype=np.int64)
    supply = int(available[uo].sum())
    cap = np.minimum(available[oi], demand[ni])
    sl = slice_left[un]
    tails = np.concatenate([np.zeros(uo.size, np.int64), o_node[lo], n_node, n_node, [0]])
    heads = np.concatenate([o_node, n_node[ln], np.ones(2 * un.size, np.int64), [1]])
    caps = np.concatenate([available[uo], cap, sl, demand[un] - sl, [supply]])
    costs = np.concatenate([np.zeros(uo.size, np.int64), -unit, -bonus[un], np.zeros(un.size + 1, np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    ids = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs.astype(np.int64))
    mcf.set_nodes_supplies(np.array([0, 1]), np.array([supply, -supply]))
    return KindFlow(mcf, ids[uo.size : uo.size + oi.size], oi, ni, unit.astype(np.int64), cap)


def solve(kf: KindFlow) -> tuple[np.ndarray, int]:
    """Flows on the candidate arcs and the optimal cost (<= 0)."""
    status = kf.mcf.solve()
    if status != kf.mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return kf.mcf.flows(kf.arcs), int(kf.mcf.optimal_cost())


def build_residual(
    oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, fwd: np.ndarray, back: np.ndarray, spare: np.ndarray,
    room: np.ndarray, slice_room: np.ndarray, bonus: np.ndarray,
) -> tuple[min_cost_flow.SimpleMinCostFlow, np.ndarray, np.ndarray]:
    """Residual network of a current flow: offer -> need arcs may add up to `fwd` (cost
    -unit), need -> offer arcs may take back up to `back` of the current flow (cost +unit),
    so a solution can reroute (an offer takes over a need so that another offer's capacity
    goes where it is missing). spare/room/slice_room are by global row. Returns the solver
    and the OR-Tools ids of the forward and backward arcs (-1 where the capacity is 0)."""
    uo, lo = np.unique(oi, return_inverse=True)
    un, ln = np.unique(ni, return_inverse=True)
    o_node = 2 + np.arange(uo.size, dtype=np.int64)
    n_node = 2 + uo.size + np.arange(un.size, dtype=np.int64)
    supply = int(spare[uo].sum())
    f, b = np.flatnonzero(fwd > 0), np.flatnonzero(back > 0)
    sl = slice_room[un]
    tails = np.concatenate([np.zeros(uo.size, np.int64), o_node[lo[f]], n_node[ln[b]], n_node, n_node, [0]])
    heads = np.concatenate([o_node, n_node[ln[f]], o_node[lo[b]], np.ones(2 * un.size, np.int64), [1]])
    caps = np.concatenate([spare[uo], fwd[f], back[b], sl, room[un] - sl, [supply]])
    costs = np.concatenate([np.zeros(uo.size, np.int64), -unit[f], unit[b], -bonus[un], np.zeros(un.size + 1, np.int64)])
    mcf = min_cost_flow.SimpleMinCostFlow()
    ids = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs.astype(np.int64))
    mcf.set_nodes_supplies(np.array([0, 1]), np.array([supply, -supply]))
    fid, bid = np.full(oi.size, -1, np.int64), np.full(oi.size, -1, np.int64)
    fid[f] = ids[uo.size : uo.size + f.size]
    bid[b] = ids[uo.size + f.size : uo.size + f.size + b.size]
    return mcf, fid, bid
