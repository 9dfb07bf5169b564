""""At most N villages per offer": repair a flow optimum by re-solving.

A flow cannot count villages, so the flow optimum without the limit is a bound. Each
round, every offer over its limit keeps the N villages where its flow is worth most and
loses its other arcs (capacity 0), then the kind is re-solved. An offer cut once only
keeps villages it already serves, so rounds end; if the round or time budget runs out,
flows to the villages an offer did not keep are dropped, which is always feasible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import flow


@dataclass(frozen=True)
class Limits:
    village: np.ndarray  # village of each need row
    slots: np.ndarray  # villages each offer may still add (limit minus locked villages)
    locked_keys: np.ndarray  # sorted offer * VMAX + village of locked pairs (free to reuse)
    vmax: int
    slice_left: np.ndarray
    bonus: np.ndarray


def _over(kf: flow.KindFlow, flows: np.ndarray, lim: Limits) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(arc keys, arc value, offers over their limit) of the current flows."""
    key = kf.oi * lim.vmax + lim.village[kf.ni]
    used = flows > 0
    uk = np.unique(key[used])
    uk = uk[~np.isin(uk, lim.locked_keys)]
    count = np.bincount(uk // lim.vmax, minlength=len(lim.slots))
    over = np.flatnonzero(count > lim.slots)
    value = flows * kf.unit + lim.bonus[kf.ni] * np.minimum(flows, lim.slice_left[kf.ni])
    return key, value, over


def _kept(key: np.ndarray, value: np.ndarray, flows: np.ndarray, over: np.ndarray, lim: Limits) -> np.ndarray:
    """Mask of arcs of over-limit offers that go to a kept (or locked) village."""
    sel = np.isin(key // lim.vmax, over) & (flows > 0)
    k, v = key[sel], value[sel]
    uk, inv = np.unique(k, return_inverse=True)
    val = np.bincount(inv, weights=v, minlength=uk.size)
    off = uk // lim.vmax
    order = np.lexsort((uk, -val, off))  # by offer, most valuable village first
    off_sorted = off[order]
    first = np.searchsorted(off_sorted, off_sorted)
    rank = np.arange(order.size) - first
    keep_keys = uk[order][rank < lim.slots[off_sorted]]
    return np.isin(key, keep_keys) | np.isin(key, lim.locked_keys)


def repair(
    kf: flow.KindFlow, flows: np.ndarray, lim: Limits, deadline: float | None, max_rounds: int,
) -> tuple[np.ndarray, int, bool]:
    """Flows respecting every village limit, the number of re-solves and whether the
    time limit cut the rounds short."""
    closed = np.zeros(flows.size, bool)
    rounds = 0
    hit = False
    while True:
        key, value, over = _over(kf, flows, lim)
        if over.size == 0:
            return flows, rounds, hit
        of_over = np.isin(kf.oi, over)
        kept = _kept(key, value, flows, over, lim)
        if rounds >= max_rounds or (deadline is not None and time.monotonic() > deadline):
            hit = deadline is not None and rounds < max_rounds
            return np.where(of_over & ~kept, 0, flows), rounds, hit
        close = of_over & ~kept & ~closed
        closed |= close
        idx = np.flatnonzero(close)
        kf.mcf.set_arc_capacities(kf.arcs[idx], np.zeros(idx.size, np.int64))
        flows, _ = flow.solve(kf)
        rounds += 1
