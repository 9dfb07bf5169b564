"""Consolidating flows: a start for the village-limit repair that spreads offers less.

The bound flow spreads an offer over as many villages as pays, and the repair then cuts
it back to its limit and refills: capacity strands and chains of rerouting are lost. Here
"opening a village" gets a price: an offer over its limit pays mu / U per unit on each
arc, U being what the village's needs on its arcs ask in all, so a village that can take
much of the offer costs little per unit and one that takes a sliver costs much. This is
the per-unit form of the perspective relaxation's price on the limit (x_ov <= U_ov y_ov,
sum of y_ov <= N_o): the flows approach that LP, which spreads offers less than the flow
bound. mu grows for offers still over their limit and the flow is solved again. What
comes out is not optimal for the true scores — the repair starts from it and values
everything at the true scores; the bound stays the first flow's.

Measured on the national instance, all kinds, ten warm passes of 1% then the repair:
gap 0.176% against 0.193% with slope-scaling prices mu / x (x what the village got in
the last flow), which stops 13 and 14 used; U won on every kind (investment 0.181%
against 0.190%, medical 0.288% against 0.341%). With the OR-Tools flows and two passes
of 3%, stop 13 had measured the opposite (investment 0.36% against 0.25%).
"""

from __future__ import annotations

import time

import numpy as np

from . import cardinality, flow
from .cardinality import Limits

# Each pass raises the price of a village for an offer still over its limit by THETA times
# its mean unit score times its fair share (reach / limit) times its excess (villages over
# the limit / limit, at most 1): a village asking that share pays up to THETA of its score
# per unit more each pass, offers far over their limit the most. Small steps and many
# passes do best once passes re-solve warm (about 0.5 s each for the largest kind).
# National gap, all kinds, after the repair: ten passes of 0.01 0.176%, of 0.005 0.179%,
# of 0.02 0.197%; 8 of 0.01 0.178%, 12 0.174%, 15 0.184%. Options.consolidate = 10.
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
    # U of each arc's (offer, village): what the village's needs on the offer's arcs ask
    asked = np.maximum(np.bincount(inv, weights=lim.demand[ni], minlength=uk.size)[inv], 1)
    mu = np.zeros(no)
    cur, made = first, 0
    for _ in range(passes):
        if deadline is not None and time.monotonic() + pass_s > deadline:
            break
        t = time.monotonic()
        count = cardinality.served(uk, inv, cur, free, lim)[1]
        over = count > lim.slots
        if not over.any():
            break
        excess = np.minimum(1.0, (count[over] - lim.slots[over]) / np.maximum(lim.slots[over], 1))
        mu[over] += THETA * mean_unit[over] * share[over] * excess
        price = np.rint(mu[oi] / asked).astype(np.int64)
        # An arc never costs more than it earns, so slice bonuses still pull help to the poorest.
        price = np.where(free, 0, np.minimum(price, unit))
        net.set_unit(unit - price)  # network simplex restarts from the last basis
        cur, _ = net.solve()
        pass_s = time.monotonic() - t
        made += 1
    return cur, made
