""""At most N villages per offer": repair a flow optimum by residual re-solves.

A flow cannot count villages, so the flow optimum without the limit is a bound. The
repair keeps that optimum wherever it respects the limits, and fixes the rest:

1. every offer over its limit keeps the N villages where its flow is worth most (villages
   it already serves for sure first) and loses its other arcs for good; flows to the
   villages it did not keep are dropped, so what remains is feasible;
2. what is left — capacity of offers, demand and fairness slices of needs — is offered to
   a residual flow on the arcs still open (an offer already at its limit may only add to
   villages it serves); its flows are added, and step 1 runs again on the sum.

Each round closes arcs and the residual problems shrink fast (a few thousand arcs after
the first), so rounds end; when the round or time budget runs out, step 1 alone leaves a
feasible answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import flow

# A village where the offer covers a poorest-decile need counts this many times its flow
# value when an over-limit offer chooses the villages it keeps: slots are the scarce
# resource, and a poorest need kept for its first slice is worth less than a whole need
# elsewhere, but it is the one the fairness slice is for (province benchmark: x4 keeps
# 80% of the poorest helped instead of 68% for 4% of the objective).
POOR_KEEP = 4


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


def _served(key: np.ndarray, flows: np.ndarray, free: np.ndarray, lim: Limits) -> tuple[np.ndarray, np.ndarray]:
    """(sorted keys of the villages served, count of villages per offer), locked villages
    not counted."""
    uk = np.unique(key[(flows > 0) & ~free])
    return uk, np.bincount(uk // lim.vmax, minlength=len(lim.slots))


def repair(
    kf: flow.KindFlow, flows: np.ndarray, lim: Limits, deadline: float | None, max_rounds: int,
) -> tuple[np.ndarray, int, bool]:
    """Flows on kf's arcs respecting every village limit, the number of residual
    re-solves and whether the time limit cut the rounds short."""
    oi, ni, unit = kf.oi, kf.ni, kf.unit
    key = oi * lim.vmax + lim.village[ni]
    free = np.isin(key, lim.locked_keys)
    closed = np.zeros(oi.size, bool)
    total = np.zeros(oi.size, np.int64)  # accepted: feasible
    cur = flows.astype(np.int64)
    rounds = 0
    while True:
        comb = total + cur
        _, count = _served(key, comb, free, lim)
        over = np.flatnonzero(count > lim.slots)
        if over.size == 0:
            return comb, rounds, False
        # Keep each over-limit offer's best villages: accepted ones first, then by value.
        of_over = np.isin(oi, over)
        sel = of_over & (comb > 0) & ~free
        kk, inv = np.unique(key[sel], return_inverse=True)
        value = comb[sel] * unit[sel] + lim.bonus[ni[sel]] * np.minimum(comb[sel], lim.slice_left[ni[sel]])
        val = np.bincount(inv, weights=value, minlength=kk.size)
        acc = np.bincount(inv, weights=total[sel], minlength=kk.size) > 0
        top = lim.bonus[ni[sel]] >= lim.bonus.max(initial=0)
        poor = np.bincount(inv, weights=top & (comb[sel] > 0), minlength=kk.size) > 0
        off = kk // lim.vmax
        order = np.lexsort((kk, -val * np.where(poor, POOR_KEEP, 1), ~acc, off))
        offs = off[order]
        rank = np.arange(offs.size) - np.searchsorted(offs, offs)
        keep = kk[order][rank < lim.slots[offs]]
        drop = of_over & ~free & ~np.isin(key, keep)
        closed |= drop
        total += np.where(drop, 0, cur)
        if rounds >= max_rounds or (deadline is not None and time.monotonic() > deadline):
            return total, rounds, deadline is not None and rounds < max_rounds
        # Residual problem on the open arcs.
        avail = lim.available.copy()
        np.subtract.at(avail, oi, total)
        dem = lim.demand.copy()
        got = np.bincount(ni, weights=total, minlength=dem.size).astype(np.int64)
        dem -= got
        sl = np.maximum(0, lim.slice_left - got)
        served, count = _served(key, total, free, lim)
        full = count >= lim.slots
        ok = ~closed & (avail[oi] > 0) & (dem[ni] > 0) & (~full[oi] | free | np.isin(key, served))
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            return total, rounds, False
        rkf = flow.build(oi[idx], ni[idx], unit[idx], avail, dem, sl, lim.bonus)
        rf, _ = flow.solve(rkf)
        cur = np.zeros(oi.size, np.int64)
        cur[idx] = rf
        rounds += 1
