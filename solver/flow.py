"""One kind's transportation problem as a min-cost flow.

source -> offer (available capacity) -> need (candidate arcs, cost -unit score)
-> sink via two arcs: the first slice (cost -slice bonus) and the rest (cost 0);
source -> sink bypass (cost 0) balances supply and demand, so nobody must be served.

Solved by LEMON's network simplex (pylmcf). On the national instance it found the same
optimum as OR-Tools' SimpleMinCostFlow (cost scaling) 3.5 times faster (investment
kind: 2.4 s against 8.5 s), and it re-solves after a change of costs from its last
basis: a consolidating pass then takes about a second instead of a whole solve. Its
basic optima also spread offers over fewer villages. LEMON takes costs >= 0 only, so
every path pays a constant on top: M - unit on an arc, B - bonus on a slice, M + B on
the bypass. Each unit crosses exactly one of those paths, so the optimum is the same.
Costs are small integers: unit scores of 0-100 and slice bonuses of at most 101.

When pylmcf cannot be imported (a single-author package with its own binary backend),
OR-Tools' SimpleMinCostFlow solves the same networks (mcf_ortools.py); engine() names
the one in use and the solver's statistics report it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import mcf_ortools

try:
    import pylmcf
except ImportError:  # OR-Tools instead; see engine()
    pylmcf = None


def engine() -> str:
    """The flow engine in use: "lemon" (pylmcf's network simplex) or "ortools"."""
    return "lemon" if pylmcf is not None else "ortools"


@dataclass
class KindFlow:
    """One kind's candidate arcs, as the repair sees them."""

    oi: np.ndarray
    ni: np.ndarray
    unit: np.ndarray  # unit score of each arc (int64)
    cap: np.ndarray  # capacity of each offer -> need arc


class Network:
    """The kind's flow network on arcs (oi, ni), arcs bounded by [lo, hi]; solve() gives
    flows on those arcs and the optimal cost (<= 0, in true scores). set_unit() changes
    the arcs' unit scores; the next solve() starts from the last basis."""

    def __init__(self, oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, lo: np.ndarray | None, hi: np.ndarray,
                 available: np.ndarray, demand: np.ndarray, slice_left: np.ndarray, bonus: np.ndarray) -> None:
        """available/demand/slice_left/bonus are indexed by global offer/need row."""
        uo, lo_o = np.unique(oi, return_inverse=True)
        un, lo_n = np.unique(ni, return_inverse=True)
        o_node = 2 + np.arange(uo.size, dtype=np.int64)
        n_node = 2 + uo.size + np.arange(un.size, dtype=np.int64)
        self.supply = int(available[uo].sum())
        sl = slice_left[un]
        self.m = int(max(0, unit.max(initial=0)))
        self.b = int(max(0, bonus[un].max(initial=0)))
        tails = np.concatenate([np.zeros(uo.size, np.int64), o_node[lo_o], n_node, n_node, [0]])
        heads = np.concatenate([o_node, n_node[lo_n], np.ones(2 * un.size, np.int64), [1]])
        caps = np.concatenate([available[uo], hi, sl, demand[un] - sl, [self.supply]]).astype(np.int64)
        self.costs = np.concatenate([np.zeros(uo.size, np.int64), self.m - unit, self.b - bonus[un],
                                     np.full(un.size, self.b), [self.m + self.b]]).astype(np.int64)
        self.first, self.count = uo.size, oi.size  # where the candidate arcs lie in the arrays
        self.needs, self.need_node = un, n_node
        self.order = np.lexsort((heads, tails))  # pylmcf wants arcs sorted by (tail, head)
        nodes = 2 + uo.size + un.size
        graph = pylmcf.Graph if pylmcf is not None else mcf_ortools.Graph
        self.graph = graph(nodes, tails[self.order], heads[self.order])
        supplies = np.zeros(nodes, np.int64)
        supplies[0], supplies[1] = self.supply, -self.supply
        self.graph.set_node_supply(supplies)
        self.graph.set_edge_capacities(caps[self.order])
        if lo is not None and lo.any():
            mins = np.zeros(caps.size, np.int64)
            mins[self.first : self.first + self.count] = lo
            self.graph.set_edge_minimums(mins[self.order])
        self.graph.set_edge_costs(self.costs[self.order])

    def set_unit(self, unit: np.ndarray) -> None:
        if unit.max(initial=0) > self.m:
            raise ValueError("a unit score above the network's cost offset")
        self.costs[self.first : self.first + self.count] = self.m - unit
        self.graph.set_edge_costs(self.costs[self.order])

    def prices(self, n_rows: int) -> np.ndarray | None:
        """After solve(): what one more unit at each need is worth in the optimum (its
        dual value, by need row; 0 for needs without arcs), from the node potentials;
        None when the engine has none (OR-Tools' Bellman-Ford did not settle)."""
        pot = self.graph.potentials()
        if pot is None:
            return None
        pot = np.asarray(pot, np.int64)
        pi = np.zeros(n_rows, np.int64)
        pi[self.needs] = pot[1] - pot[self.need_node] - self.b
        return pi

    def solve(self) -> tuple[np.ndarray, int]:
        self.graph.solve()  # raises RuntimeError when infeasible (lower bounds only)
        res = np.empty(self.costs.size, np.int64)
        res[self.order] = self.graph.result()
        cost = int(np.dot(res, self.costs)) - self.supply * (self.m + self.b)
        return res[self.first : self.first + self.count], cost


def build(
    oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, available: np.ndarray, demand: np.ndarray,
    slice_left: np.ndarray, bonus: np.ndarray,
) -> tuple[Network, np.ndarray]:
    """The kind's flow with each arc's capacity min(offer available, need demand); returns
    the network and those capacities."""
    cap = np.minimum(available[oi], demand[ni]).astype(np.int64)
    return Network(oi, ni, unit.astype(np.int64), None, cap, available, demand, slice_left, bonus), cap


def reroute(
    oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, lo: np.ndarray, hi: np.ndarray, available: np.ndarray,
    demand: np.ndarray, slice_left: np.ndarray, bonus: np.ndarray,
) -> np.ndarray:
    """New flows on arcs (oi, ni), each within [lo, hi], best for the offers' capacities
    and needs' demands left by every other arc: with lo = current - what may be taken
    back and hi = current + what may be added, this is the residual flow of the current
    one, rerouting included (an offer hands a need over to another and serves a need
    still short)."""
    return Network(oi, ni, unit.astype(np.int64), lo, hi, available, demand, slice_left, bonus).solve()[0]
