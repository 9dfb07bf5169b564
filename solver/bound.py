"""A Lagrangian bound tighter than the flow optimum, from the flow's own need prices.

Relax "a need takes at most its demand" with a price pi per unit at each need. What is
left splits into one problem per offer — send at most what it can reach, at reduced
scores unit - pi, to at most N villages — and one per need (take z units at pi each plus
the slice bonus). For any prices the sum of their optima is a bound on every answer
within the limits. Without the village limits and at the flow's optimal prices this sum
is the flow optimum itself; with them each offer that could serve more villages than its
limit earns less, and the bound falls below the flow's:

- an offer limited to one village: exactly its best village (a fractional knapsack there);
- other limited offers: min over lam >= 0 of lam * reach + the N largest village values
  sum over arcs of cap * (reduced score - lam)+, the offer's LP with x <= cap * y (any lam
  is an upper bound; the function is convex in lam, so a bisection on integers finds its
  least value).

Measured nationally at the flow's prices (seed 7): 0.020% below the flow bound over all
kinds (0.004-0.043% by kind), about 1 s a kind. The perspective LP lies 0.050% below;
subgradient steps from these prices did not move toward it (a few tried: every step
gave a worse bound), so only the first evaluation is made.
"""

from __future__ import annotations

import numpy as np

from .cardinality import Limits


def lagrangian(oi: np.ndarray, ni: np.ndarray, unit: np.ndarray, cap: np.ndarray, reach: np.ndarray, lim: Limits,
               pi: np.ndarray, needs: np.ndarray) -> int:
    """Upper bound on the kind's objective (arcs oi -> ni, unit scores, arc capacities,
    offers' reach) for any answer within the village limits, at need prices pi (by need
    row; `needs`: the rows with arcs). Integers throughout, rounded up."""
    p = pi[needs]
    d, sl, b = lim.demand[needs], lim.slice_left[needs], lim.bonus[needs]
    need_part = int(np.where(p >= 0, p * d + b * sl, np.maximum(0, (p + b) * sl)).sum())
    r = unit - pi[ni]
    m = r > 0  # arcs at a reduced score <= 0 never add to an offer's best
    o, r, c = oi[m], r[m].astype(np.int64), cap[m].astype(np.int64)
    uk, kinv = np.unique(o.astype(np.int64) * lim.vmax + lim.village[ni[m]], return_inverse=True)
    free = np.isin(uk, lim.locked_keys)  # locked villages do not count against a limit
    koff = uk // lim.vmax
    n_off = lim.slots.size
    reach = reach.astype(np.int64)
    best = _knapsack(o, r, c, reach[o], n_off)  # no limit
    limited = np.bincount(koff[~free], minlength=n_off) > lim.slots
    one = limited & (lim.slots == 1) & ~(np.bincount(koff[free], minlength=n_off) > 0)
    if one.any():
        by_village = _knapsack(kinv, r, c, reach[o], uk.size)
        top = np.zeros(n_off)
        np.maximum.at(top, koff, by_village)
        best[one] = top[one]
    lp = limited & ~one
    if lp.any():
        best[lp] = np.minimum(best[lp], _lp(o, r, c, kinv, koff, free, reach, lim.slots, lp)[lp])
    return int(np.ceil(best.sum())) + need_part


def _knapsack(group: np.ndarray, r: np.ndarray, c: np.ndarray, room: np.ndarray, n: int) -> np.ndarray:
    """Per group, the best sum of r * x with x <= c and at most `room` units (the room of
    each arc's offer; every group lies within one offer): fill by r, highest first."""
    order = np.argsort((group.astype(np.int64) << 32) - r, kind="stable")  # by group, r falling (0 < r < 2^32)
    g, cc = group[order], c[order]
    cum = np.cumsum(cc)
    start = np.searchsorted(g, g)
    before = cum - cc - np.where(start > 0, cum[start - 1], 0)
    take = np.clip(room[order] - before, 0, cc)
    return np.bincount(g, weights=take * r[order], minlength=n)


def _lp(o, r, c, kinv, koff, free, reach, slots, lp) -> np.ndarray:
    """Per offer in `lp`: min over integer lam >= 0 of lam * reach + its locked villages'
    values + its `slots` largest other village values, a village's value being the sum
    of c * (r - lam)+ over its arcs."""
    sel = lp[o]
    keys, kin = np.unique(kinv[sel], return_inverse=True)
    off, fr = koff[keys], free[keys]
    os_, rs, cs = o[sel], r[sel], c[sel]
    n_off = slots.size
    locked_before = np.bincount(off[fr], minlength=n_off)  # they come first and take no slot
    h_max = np.bincount(kin, weights=cs * rs, minlength=keys.size).max(initial=0)  # each village's value at 0
    wide = n_off >= 1 << 21 or h_max >= 1 << 39  # beyond the int64 key below

    def top(lam: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sum of the chosen villages' values at lam, sum of x over them), per offer."""
        h = np.bincount(kin, weights=cs * np.maximum(rs - lam[os_], 0), minlength=keys.size)
        if wide:
            order = np.lexsort((np.where(fr, -np.inf, -h), off))  # per offer: locked villages, then by value
        else:  # the same order by one int64 key, sorted 1.5x faster (h: halves, exact)
            order = np.argsort((off << 42) | np.where(fr, 0, (1 << 41) - 1 - (2 * h).astype(np.int64)), kind="stable")
        ko = off[order]
        rank = np.arange(ko.size) - np.searchsorted(ko, ko) - locked_before[ko]
        take = fr[order] | (rank < slots[ko])
        return (np.bincount(ko, weights=np.where(take, h[order], 0), minlength=n_off),
                np.bincount(ko, weights=np.where(take, x[order], 0), minlength=n_off))

    # The least lam where the function stops falling: its slope between lam and lam + 1 is
    # reach minus the units the chosen villages take above lam + 1/2 (one sort a step).
    lo = np.zeros(n_off, np.int64)
    hi = np.zeros(n_off, np.int64)
    np.maximum.at(hi, os_, rs)
    while (act := lp & (lo < hi)).any():
        mid = (lo + hi) // 2
        above = np.bincount(kin, weights=np.where(rs > mid[os_], cs, 0), minlength=keys.size)
        falls = reach - top(mid + 0.5, above)[1] < 0
        lo = np.where(act & falls, mid + 1, lo)
        hi = np.where(act & ~falls, mid, hi)
    return lo * reach + top(lo, np.zeros(keys.size))[0]
