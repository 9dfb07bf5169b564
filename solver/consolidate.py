"""Consolidating flows: a start for the village-limit repair that spreads offers less.

The bound flow spreads an offer over as many villages as pays, and the repair then cuts
it back to its limit and refills: capacity strands and chains of rerouting are lost. Here
"opening a village" gets a price, slope-scaling style: an offer over its limit pays
mu / x per unit on each arc, x being what the village received in the last flow (or its
demand, for villages it did not serve), so small shares of it cost much and its large
ones little; mu grows for offers still over their limit and the flow is solved again.
What comes out is not optimal for the true scores — the repair starts from it and values
everything at the true scores; the bound stays the first flow's.

Measured on the national instance (one kind at a time): the repair's gap to the bound fell
from 0.59% to 0.25% (investment) and from 0.81% to 0.40% (medical) after two passes of
the OR-Tools flow; with ten warm passes of LEMON's network simplex it is 0.22% and 0.37%
(0.20% and 0.34% with the repair's polish).
"""

from __future__ import annotations

import time

import numpy as np

from . import cardinality, flow
from .cardinality import Limits

# Each pass raises the price of a village for an offer still over its limit by THETA times
# its mean unit score times its fair share (reach / limit) times its excess (villages over
# the limit / limit, at most 1): a village getting that share pays up to THETA of its score
# per unit more each pass, offers far over their limit the most. Small steps and many
# passes do best once passes re-solve warm (about 0.5 s each for the largest kind): the
# national gap, all kinds, was 0.247% with 2 passes of 0.03, 0.240% with 4, 0.244% with 6;
# 6 of 0.02 0.233%, 10 of 0.01 0.222%, 15 of 0.01 0.232%, 20 of 0.005 0.212% (before the
# repair's polish; with it 0.200% and 0.192%, 52 s and 61 s). Options.consolidate = 10.
THETA = 0.01


def flows(
    net: flow.Network, oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, reach: np.ndarray, lim: Limits, first: np.ndarray,
    passes: int, deadline: float | None = None, pass_s: float = 0.0,
) -> tuple[np.ndarray, int]:
    """(flows on arcs (oi, ni) after up to `passes` consolidating re-solves of `net`, the
    flow whose optimum is `first` (offers capped at `reach`), the passes made): `first` and 0
    when no limit binds. A pass that would end after `deadline` (each takes about
    `pass_s`, the first flow's time) is not started."""
    uk, inv, locked = cardinality.pairs(oi, ni, lim)
    free = locked[inv]  # arcs to locked villages: not counted against a limit, never priced
    no = lim.slots.size
    sent = np.bincount(oi, weights=first, minlength=no)
    mean_unit = np.bincount(oi, weights=first * unit, minlength=no) / np.maximum(sent, 1)
    share = reach / np.maximum(lim.slots, 1)
    village_demand = np.bincount(inv, weights=lim.demand[ni], minlength=uk.size)
    mu = np.zeros(no)
    cur, made = first, 0
    for _ in range(passes):
        if deadline is not None and time.monotonic() + pass_s > deadline:
            break
        t = time.monotonic()
        got = np.bincount(inv, weights=cur, minlength=uk.size)
        count = cardinality.served(uk, inv, cur, free, lim)[1]
        over = count > lim.slots
        if not over.any():
            break
        excess = np.minimum(1.0, (count[over] - lim.slots[over]) / np.maximum(lim.slots[over], 1))
        mu[over] += THETA * mean_unit[over] * share[over] * excess
        ref = np.where(got > 0, got, village_demand)[inv]
        price = np.rint(mu[oi] / np.maximum(ref, 1)).astype(np.int64)
        # An arc never costs more than it earns, so slice bonuses still pull help to the poorest.
        price = np.where(free, 0, np.minimum(price, unit))
        net.set_unit(unit - price)  # network simplex restarts from the last basis
        cur, _ = net.solve()
        pass_s = time.monotonic() - t
        made += 1
    return cur, made
