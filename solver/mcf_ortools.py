"""The flow engine when pylmcf (LEMON's network simplex) cannot be imported: OR-Tools'
SimpleMinCostFlow (cost scaling) behind the few methods of pylmcf.Graph that flow.py
uses. pylmcf is a single-author package with its own binary backend; OR-Tools is a
dependency anyway. Same optima, about 3 times slower nationally and no warm start
(every solve starts afresh).

OR-Tools has no arc minimums: they are sent beforehand (taken out of the arcs'
capacities and moved between the nodes' supplies) and added back to the result. It has
no node potentials either: they are the shortest distances in the optimum's residual
network (Bellman-Ford from a virtual root), which satisfy what LEMON's do — every arc
with room left has cost + pi(tail) - pi(head) >= 0, every arc above its minimum <= 0.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

# Bellman-Ford passes before giving up on potentials (each pass is O(arcs) in numpy).
# Without them the caller keeps the plain flow bound.
MAX_PASSES = 2_000


class Graph:
    """Arcs (tails[i], heads[i]) among `nodes` nodes, as pylmcf.Graph takes them."""

    def __init__(self, nodes: int, tails: np.ndarray, heads: np.ndarray) -> None:
        self.nodes = nodes
        self.tails, self.heads = np.asarray(tails, np.int64), np.asarray(heads, np.int64)
        self.supply = np.zeros(nodes, np.int64)
        self.cap = np.zeros(self.tails.size, np.int64)
        self.mins = np.zeros(self.tails.size, np.int64)
        self.costs = np.zeros(self.tails.size, np.int64)
        self.flows = np.zeros(self.tails.size, np.int64)

    def set_node_supply(self, supply: np.ndarray) -> None:
        self.supply = np.asarray(supply, np.int64).copy()

    def set_edge_capacities(self, cap: np.ndarray) -> None:
        self.cap = np.asarray(cap, np.int64).copy()

    def set_edge_minimums(self, mins: np.ndarray) -> None:
        self.mins = np.asarray(mins, np.int64).copy()

    def set_edge_costs(self, costs: np.ndarray) -> None:
        self.costs = np.asarray(costs, np.int64).copy()

    def solve(self) -> None:
        """Raises RuntimeError when no flow meets the supplies within the bounds."""
        if (self.mins > self.cap).any():
            raise RuntimeError("an arc's minimum exceeds its capacity")
        supply = self.supply - np.bincount(self.tails, weights=self.mins, minlength=self.nodes).astype(np.int64) \
            + np.bincount(self.heads, weights=self.mins, minlength=self.nodes).astype(np.int64)
        mcf = min_cost_flow.SimpleMinCostFlow()
        ids = mcf.add_arcs_with_capacity_and_unit_cost(self.tails, self.heads, self.cap - self.mins, self.costs)
        mcf.set_nodes_supplies(np.arange(self.nodes), supply)
        status = mcf.solve()
        if status != mcf.OPTIMAL:
            raise RuntimeError(f"OR-Tools min-cost flow: no optimum (status {status})")
        self.flows = mcf.flows(ids).astype(np.int64) + self.mins

    def result(self) -> np.ndarray:
        return self.flows

    def potentials(self) -> np.ndarray | None:
        """Node potentials of the last optimum, or None when Bellman-Ford does not settle
        within MAX_PASSES passes."""
        fwd, back = self.flows < self.cap, self.flows > self.mins
        tails = np.r_[self.tails[fwd], self.heads[back]]
        heads = np.r_[self.heads[fwd], self.tails[back]]
        costs = np.r_[self.costs[fwd], -self.costs[back]]
        order = np.argsort(heads, kind="stable")
        tails, heads, costs = tails[order], heads[order], costs[order]
        starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]]) if heads.size else np.zeros(0, np.int64)
        dist = np.zeros(self.nodes, np.int64)  # a virtual root at distance 0 from every node
        for _ in range(MAX_PASSES):
            if heads.size == 0:
                return dist
            best = np.minimum.reduceat(dist[tails] + costs, starts)
            new = dist.copy()
            new[heads[starts]] = np.minimum(dist[heads[starts]], best)
            if (new == dist).all():
                return dist
            dist = new
        return None
