""""At most N villages per offer": repair a flow optimum by residual re-solves.

A flow cannot count villages, so the flow optimum without the limit is a bound. The
repair starts from that optimum (or from the consolidating flows of consolidate.py),
keeps it wherever it respects the limits, and fixes the rest:

1. offers over their limit choose the villages they keep together, by a small assignment
   flow (slots of the offers -> the villages they serve, worth their flow value; a village
   nobody else covers is worth its fairness-slice bonuses once more, POOR_KEEP times for the
   poorest decile); villages an offer already serves for sure are always kept. The offer
   loses its arcs to every other village for good and flows there are dropped, so what
   remains is feasible;
2. what is left — capacity of offers, demand and fairness slices of needs — is offered to
   a residual flow on the arcs still open (an offer already at its limit may only add to
   villages it serves). The residual network also reroutes: an offer without capacity
   left that could help a need still short may hand needs it serves over to offers with
   capacity (its arcs may carry less, down to nothing), which recovers capacity that a
   dropped village left stranded. Its flows are added, and step 1 runs again on the sum,
   until a round adds less than STALL of the objective;
3. after each residual round and when the rounds stall, a polish: every offer's flows are
   solved again on the villages it serves (no village gained, so the limits hold; the
   objective never falls); when they stall, village exchanges (exchange.py), and more
   rounds refill what moved;
4. at the end, needs still without help get a swap, the poorest decile first: a candidate
   offer at its limit gives up its cheapest village (one where it helps no poorest need)
   when the need gains more than that village loses (as much, for the poorest).

Rounds close arcs and the residual problems shrink fast (tens of thousands of arcs, then a
few hundred), so they end; when the round or time budget runs out, step 1 alone leaves a
feasible answer. When no limit binds, the flow optimum is returned untouched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from . import exchange, flow, swaps

# When over-limit offers choose the villages they keep, the fairness-slice value of a
# poorest-decile need nobody else covers counts this many times (a village kept for its
# first slice only is worth less than a whole need elsewhere, yet it is the one the slice
# is for); swaps.fair then helps the poorest still left out.
POOR_KEEP = 4
# A residual round that adds less than this share of the objective ends the rounds.
STALL = 5e-4
# Passes of village exchanges (exchange.py) when the residual rounds stall.
EXCHANGES = 1


@dataclass(frozen=True)
class Limits:
    village: np.ndarray  # village of each need row
    slots: np.ndarray  # villages each offer may still add (limit minus locked villages)
    locked_keys: np.ndarray  # sorted offer * VMAX + village of locked pairs (free to reuse)
    vmax: int
    slice_left: np.ndarray
    bonus: np.ndarray
    available: np.ndarray  # offer capacity left after held and locked
    demand: np.ndarray  # need quantity left after locks
    poorest: np.ndarray  # need in the poorest decile


def reach(oi: np.ndarray, ni: np.ndarray, lim: Limits) -> np.ndarray:
    """Most each offer can send on arcs (oi, ni) to villages it may serve: its locked
    villages plus its `slots` candidate villages of largest demand. Capping offers at it
    keeps the flow a valid bound (every answer within the limits fits) and a tighter one."""
    uk, inv = np.unique(oi * lim.vmax + lim.village[ni], return_inverse=True)
    vd = np.bincount(inv, weights=lim.demand[ni]).astype(np.int64)
    off = uk // lim.vmax
    free = np.isin(uk, lim.locked_keys)
    order = np.lexsort((-vd, free, off))  # per offer: other villages by demand, locked last
    offs = off[order]
    rank = np.arange(offs.size) - np.searchsorted(offs, offs)
    ok = (rank < lim.slots[offs]) | free[order]
    return np.bincount(offs, weights=np.where(ok, vd[order], 0), minlength=lim.slots.size).astype(np.int64)


def pairs(oi: np.ndarray, ni: np.ndarray, lim: Limits) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (offer, village) pairs of arcs (oi, ni): their sorted keys offer * VMAX + village,
    each arc's index into them, and which are locked (they do not count against a limit)."""
    uk, kid = np.unique(oi * lim.vmax + lim.village[ni], return_inverse=True)
    return uk, kid, np.isin(uk, lim.locked_keys)


def served(uk: np.ndarray, kid: np.ndarray, flows: np.ndarray, free: np.ndarray, lim: Limits,
           ) -> tuple[np.ndarray, np.ndarray]:
    """(mask over the (offer, village) pairs uk of those served, count of villages per
    offer), locked villages not counted; kid maps each arc to its pair."""
    m = np.zeros(uk.size, bool)
    m[kid[(flows > 0) & ~free]] = True
    return m, np.bincount(uk[m] // lim.vmax, minlength=len(lim.slots))


def repair(
    kf: flow.KindFlow, flows: np.ndarray, lim: Limits, deadline: float | None, max_rounds: int,
    optimal: bool = True,
) -> tuple[np.ndarray, int, bool]:
    """Flows on kf's arcs respecting every village limit, the number of residual
    re-solves and whether the time limit cut the rounds short. `flows` is the flow
    optimum (returned as it is when it respects the limits) or, with optimal=False, a
    start the residual rounds still improve (consolidate.py)."""
    oi, ni, unit = kf.oi, kf.ni, kf.unit
    uk, kid, locked = pairs(oi, ni, lim)  # masks over the pairs, not isin on keys
    key, free = uk[kid], locked[kid]
    closed = np.zeros(oi.size, bool)
    total = np.zeros(oi.size, np.int64)  # accepted: feasible
    cur = flows.astype(np.int64)
    rounds, last, passes = 0, -1.0, 0
    while True:
        comb = total + cur
        _, count = served(uk, kid, comb, free, lim)
        over = np.flatnonzero(count > lim.slots)
        if over.size == 0 and not closed.any() and optimal:  # the flow optimum itself when no limit bound
            return comb, rounds, False
        if over.size:
            of_over = np.zeros(lim.slots.size, bool)
            of_over[over] = True
            of_over = of_over[oi]
            kept = np.zeros(uk.size, bool)
            kept[np.searchsorted(uk, _keep(key, comb, total, of_over, free, unit, ni, lim))] = True
            drop = of_over & ~free & ~kept[kid] & (total == 0)  # accepted flows only shrink by rerouting
            closed |= drop
            cur = np.where(drop, 0, cur)
        total += cur
        if rounds > 0:  # after a residual round (polishing the start itself measured worse)
            total = _polish(kf, total, kid, free, lim)
        value = _value(kf, total, lim)
        # More rounds would bring almost nothing (a start that is not optimal gets one first).
        if (over.size == 0 and (optimal or rounds > 0)) or value - last < STALL * value:
            if rounds == 0:  # else polished just above
                total = _polish(kf, total, kid, free, lim)
            gone = exchange.stranded(oi, ni, unit, kf.cap, total, key, free, lim) \
                if passes < EXCHANGES and (deadline is None or time.monotonic() < deadline) \
                else np.zeros(0, np.int64)
            if gone.size == 0:
                return swaps.fair(kf, total, key, free, lim, deadline), rounds, False
            closed[gone] = True  # exchanges changed total; the residual flow refills
            closed[total > 0] = False
            passes += 1
        last = value
        if rounds >= max_rounds or (deadline is not None and time.monotonic() > deadline):
            return _finish(kf, total, key, kid, free, lim, deadline), rounds, deadline is not None and rounds < max_rounds
        # Residual problem on the open arcs.
        avail = lim.available - np.bincount(oi, weights=total, minlength=lim.available.size).astype(np.int64)
        dem = lim.demand.copy()
        got = np.bincount(ni, weights=total, minlength=dem.size).astype(np.int64)
        dem -= got
        serving, count = served(uk, kid, total, free, lim)
        full = count >= lim.slots
        open_ = ~closed & (~full[oi] | free | serving[kid]) & (total < kf.cap)
        # Rerouting: offers without capacity left that could serve a need still short may
        # hand needs they serve to offers with capacity (through backward arcs).
        o1 = np.zeros(avail.size, bool)
        o1[oi[open_ & (avail[oi] <= 0) & (dem[ni] > 0)]] = True
        n1 = np.zeros(dem.size, bool)
        n1[ni[o1[oi] & (total > 0)]] = True
        fwd_ok = open_ & ((avail[oi] > 0) | o1[oi]) & ((dem[ni] > 0) | n1[ni])
        back_ok = o1[oi] & (total > 0) & ~free
        idx = np.flatnonzero(fwd_ok | back_ok)
        if not fwd_ok.any():
            return _finish(kf, total, key, kid, free, lim, deadline), rounds, False
        base = total[idx]
        lo = base - np.where(back_ok, total, 0)[idx]
        hi = base + np.where(fwd_ok, kf.cap - total, 0)[idx]
        # Arcs outside the residual keep their flows: what they use is not on offer.
        out = total.copy()
        out[idx] = 0
        got_out = np.bincount(ni, weights=out, minlength=dem.size).astype(np.int64)
        avail_out = lim.available - np.bincount(oi, weights=out, minlength=avail.size).astype(np.int64)
        new = flow.reroute(oi[idx], ni[idx], unit[idx], lo, hi, avail_out, lim.demand - got_out,
                           np.maximum(0, lim.slice_left - got_out), lim.bonus)
        cur = np.zeros(oi.size, np.int64)
        cur[idx] = new - base
        rounds += 1


def _finish(kf: flow.KindFlow, total: np.ndarray, key: np.ndarray, kid: np.ndarray, free: np.ndarray,
            lim: Limits, deadline: float | None = None) -> np.ndarray:
    """The answer's villages stay; how much each offer sends to each is solved again
    (_polish), then needs still without help get their swaps."""
    return swaps.fair(kf, _polish(kf, total, kid, free, lim), key, free, lim, deadline)


def _polish(kf: flow.KindFlow, total: np.ndarray, kid: np.ndarray, free: np.ndarray, lim: Limits) -> np.ndarray:
    """The best flows on the arcs between each offer and the villages it already serves
    (and its locked ones): no offer gains a village, so every limit still holds, and the
    current flows are one answer of it, so the objective never falls. The rounds may
    only reroute through offers without capacity left; here every offer may, which
    recovers what the rounds stranded (measured nationally: at the stall, gap 0.222% ->
    0.200%, 0.1-0.3 s a kind; after every round as well, 0.194%)."""
    pair = np.zeros(kid.max(initial=-1) + 1, bool)
    pair[kid[total > 0]] = True
    idx = np.flatnonzero(pair[kid] | free)
    if idx.size == 0:
        return total
    out = np.zeros_like(total)
    out[idx] = flow.reroute(kf.oi[idx], kf.ni[idx], kf.unit[idx], np.zeros(idx.size, np.int64), kf.cap[idx],
                            lim.available, lim.demand, lim.slice_left, lim.bonus)
    return out


def _value(kf: flow.KindFlow, x: np.ndarray, lim: Limits) -> float:
    """Objective of flows x on kf's arcs (unit scores plus covered slice bonuses)."""
    # In integers: a float dot goes to OpenBLAS, whose threads then spin on the cores the
    # other worker needs (two repair jobs at once ran 2.3x slower each on the province).
    got = np.bincount(kf.ni, weights=x, minlength=lim.demand.size).astype(np.int64)
    return float(np.dot(x, kf.unit) + np.dot(lim.bonus.astype(np.int64), np.minimum(got, lim.slice_left)))


def _keep(
    key: np.ndarray, comb: np.ndarray, total: np.ndarray, of_over: np.ndarray,
    free: np.ndarray, unit: np.ndarray, ni: np.ndarray, lim: Limits,
) -> np.ndarray:
    """Keys (offer, village) that over-limit offers keep, chosen together by a small
    assignment flow: each offer keeps villages it already serves for sure, then fills its
    free slots with villages by flow value, and a village nobody else covers is worth its
    fairness-slice bonuses once more (to the first offer that keeps it), so offers do not all
    drop the same poor village."""
    sel = of_over & (comb > 0) & ~free
    kk, inv = np.unique(key[sel], return_inverse=True)
    val = np.bincount(inv, weights=comb[sel] * unit[sel], minlength=kk.size)
    acc = np.bincount(inv, weights=total[sel], minlength=kk.size) > 0
    off = kk // lim.vmax
    vill = kk % lim.vmax
    # Villages already covered: by an offer within its limit, a locked pair or a kept pair.
    pos = comb > 0
    cov_v = np.unique(np.r_[(key % lim.vmax)[pos & (~of_over | free)], vill[acc]])
    got = np.bincount(ni[pos], weights=comb[pos], minlength=lim.bonus.size)
    sl_val = lim.bonus * np.minimum(got, lim.slice_left)
    sl_val = np.where(lim.poorest, POOR_KEEP * sl_val, sl_val)
    vu, vinv = np.unique(vill, return_inverse=True)
    need_u = np.unique(ni[sel])
    prem_v = np.zeros(vu.size)
    at = np.searchsorted(vu, lim.village[need_u])
    np.add.at(prem_v, at, sl_val[need_u])
    prem_v[np.isin(vu, cov_v)] = 0
    # Free slots per over-limit offer after its accepted villages.
    ou, oinv = np.unique(off, return_inverse=True)
    slots = lim.slots[ou] - np.bincount(oinv, weights=acc, minlength=ou.size).astype(np.int64)
    m = ~acc
    if not m.any() or slots.sum() <= 0:
        return kk[acc]
    scale = max(1.0, float(max(val.max(initial=0), prem_v.max(initial=0))) / 1e6)
    o_node = 2 + np.arange(ou.size)
    v_node = 2 + ou.size + np.arange(vu.size)
    supply = int(np.maximum(slots, 0).sum())
    pm = np.flatnonzero(m)
    tails = np.r_[np.zeros(ou.size, np.int64), o_node[oinv[pm]], v_node, v_node, 0]
    heads = np.r_[o_node, v_node[vinv[pm]], np.ones(2 * vu.size, np.int64), 1]
    caps = np.r_[np.maximum(slots, 0), np.ones(pm.size, np.int64), np.ones(vu.size, np.int64),
                 np.full(vu.size, supply, np.int64), supply]
    costs = np.r_[np.zeros(ou.size), -np.rint(val[pm] / scale), -np.rint(prem_v / scale), np.zeros(vu.size + 1)]
    mcf = min_cost_flow.SimpleMinCostFlow()
    ids = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs.astype(np.int64))
    mcf.set_nodes_supplies(np.array([0, 1]), np.array([supply, -supply]))
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    chosen = mcf.flows(ids[ou.size : ou.size + pm.size]) > 0
    return np.r_[kk[acc], kk[pm[chosen]]]
