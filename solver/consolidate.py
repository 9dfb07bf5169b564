"""Consolidating flows: a start for the village-limit repair that spreads offers less.

The bound flow spreads an offer over as many villages as pays, and the repair then cuts
it back to its limit and refills: capacity strands and chains of rerouting are lost. Here
"opening a village" gets a price, in the per-unit form of the perspective relaxation
(x_ov <= U_ov y_ov, sum of y_ov <= N_o): an offer pays mu / U per unit on each arc, U
being what the village's needs on its arcs ask in all, so a village that can take much
of the offer costs little per unit and one that takes a sliver costs much. mu grows, a
subgradient step, while the offer fills more than its limit, each village counted by
the part of what it asks that it got, and the flow is solved again. What comes out is
not optimal for the true scores — the repair starts from it and values everything at
the true scores; the bound stays the first flow's.

Measured on the national instance (seed 7), all kinds, then the repair: 0.153% with
twenty passes of 3%; 0.176% with ten passes of 1% where mu grew while the offer served
more villages than its limit (whatever their parts); 0.193% with slope-scaling prices
mu / x (x what the village got in the last flow), which stops 13 and 14 used. Seeds 3
and 11: 0.230% -> 0.199% and 0.160% -> 0.140% against the count rule.
"""

from __future__ import annotations

import time

import numpy as np

from . import cardinality, flow
from .cardinality import Limits

# Each pass raises an offer's mu by THETA times its mean unit score times its fair share
# (reach / limit) times its excess (villages filled over the limit / limit, at most 1).
# Small steps and many passes do best once passes re-solve warm. National gap, all kinds,
# after the repair (seed 7): ten passes of 0.02 0.173%, 0.025 0.166%, 0.03 0.165%, 0.04
# 0.164%, 0.05 0.172%, 0.1 0.188%; of 0.03: 8 passes 0.170%, 12 0.164%, 15 0.158%, 20
# 0.153%, 25 0.159%; 20 of 0.02 0.159%, 30 of 0.02 0.160%. Options.consolidate = 20.
THETA = 0.03


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
        if not (cardinality.served(uk, inv, cur, free, lim)[1] > lim.slots).any():
            break
        # Villages the offer fills, each counted by the part of what it asks that it got
        # (the perspective constraint's left side): offers serving many villages a sliver
        # each pay little more, those filling more than their limit the most.
        filled = np.bincount(oi, weights=np.where(free, 0, cur / asked), minlength=no)
        mu += THETA * mean_unit * share * np.clip((filled - lim.slots) / np.maximum(lim.slots, 1), 0, 1)
        price = np.rint(mu[oi] / asked).astype(np.int64)
        # An arc never costs more than it earns, so slice bonuses still pull help to the poorest.
        price = np.where(free, 0, np.minimum(price, unit))
        net.set_unit(unit - price)  # network simplex restarts from the last basis
        cur, _ = net.solve()
        pass_s = time.monotonic() - t
        made += 1
    return cur, made
