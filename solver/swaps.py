"""Swaps for needs the village-limit repair left without any help (cardinality.py).

A need with no help at all loses its fairness slice as well as its units. A candidate
offer with room takes it; one at its village limit may give up its cheapest village for
it, when that raises the objective. The poorest decile goes first.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

# Passes of swaps at most (a second one helps needs whose village a swap gave up).
PASSES = 10

if TYPE_CHECKING:  # cardinality imports this module
    from .cardinality import Limits
    from .flow import KindFlow


def fair(kf: KindFlow, total: np.ndarray, key: np.ndarray, free: np.ndarray, lim: Limits,
         deadline: float | None = None) -> np.ndarray:
    """Help needs left without any, the poorest decile first: a candidate offer (best unit
    score first) with room takes the need; one at its village limit gives up its cheapest
    village where it helps no poorest need, when what the need gains (unit score on its
    units, slice bonus on the first ones) beats what that village loses (ties go to the
    poorest). Each swap raises the objective (or keeps it, for the poorest); limits stay
    respected."""
    oi, ni, unit = kf.oi, kf.ni, kf.unit
    got = np.bincount(ni, weights=total, minlength=lim.demand.size).astype(np.int64)
    left = np.unique(ni[(got[ni] == 0) & (lim.demand[ni] > 0)])
    todo = left[np.argsort(~lim.poorest[left], kind="stable")]  # the poorest first
    if todo.size == 0:
        return total
    total = total.copy()
    cap = lim.available - np.bincount(oi, weights=total, minlength=lim.available.size).astype(np.int64)
    pos = np.flatnonzero(total > 0)
    # Per offer: village -> (value, arcs, helps a poorest need) of what it serves.
    served: dict[int, dict[int, list]] = {}
    for a, o, v, val, poor, fr in zip(pos.tolist(), oi[pos].tolist(), (key[pos] % lim.vmax).tolist(),
                                      (total[pos] * unit[pos] + lim.bonus[ni[pos]] * np.minimum(total[pos], lim.slice_left[ni[pos]])).tolist(),
                                      lim.poorest[ni[pos]].tolist(),
                                      free[pos].tolist(), strict=True):
        rec = served.setdefault(o, {}).setdefault(v, [0, [], False, fr])
        rec[0] += val
        rec[1].append(a)
        rec[2] |= poor
    # offer -> (villages counted, cheapest droppable (value, village), units it would free);
    # a swap changes only its own offer's arcs, so the entry of that offer alone is redone
    state: dict[int, tuple[int, tuple[int, int] | None, int]] = {}

    def offer_state(o: int) -> tuple[int, tuple[int, int] | None, int]:
        st = state.get(o)
        if st is None:
            mine = served.get(o, {})
            drops = [(r[0], v) for v, r in mine.items() if not r[2] and not r[3]]
            cheapest = min(drops) if drops else None
            back = int(total[mine[cheapest[1]][1]].sum()) if cheapest is not None else 0
            st = (sum(1 for r in mine.values() if not r[3]), cheapest, back)
            state[o] = st
        return st

    cap_l = cap.tolist()

    def one_pass(todo: np.ndarray) -> bool:
        """Swaps for the needs in todo, in that order; whether any village was given up."""
        # An offer without capacity left that cannot give up a village never takes a need, and
        # only its own swap could change that: its arcs are left out from the start.
        no = lim.slots.size
        cap = np.array(cap_l, np.int64)
        movable = cap > 0
        counted0, freed0, has_cheap, cheap_val = (np.zeros(no, np.int64), np.zeros(no, np.int64), np.zeros(no, bool),
                                                  np.zeros(no, np.int64))
        for o in served:
            counted, cheapest, freed = offer_state(o)
            movable[o] |= cheapest is not None and counted >= lim.slots[o]
            counted0[o], freed0[o] = counted, freed
            if cheapest is not None:
                has_cheap[o], cheap_val[o] = True, cheapest[0]
        short = np.zeros(lim.demand.size, bool)
        short[todo] = True
        arcs = np.flatnonzero(short[ni] & movable[oi] & (kf.cap > 0))
        rank = np.zeros(lim.demand.size, np.int64)
        rank[todo] = np.arange(todo.size)
        order = arcs[np.lexsort((-unit[arcs], rank[ni[arcs]]))]  # by need as in todo, best unit score first
        ends = np.searchsorted(rank[ni[order]], np.arange(todo.size), side="right")
        # The loop's test below, for all arcs at once against their offers' current states: an
        # arc that fails it fails for as long as its offer does not swap, and a swap redoes the
        # test for that offer's arcs, so the loop looks only at needs with an arc that passes
        # (province: the swaps took 0.47 s, visiting 180,000 arcs of 10,000 needs).
        o_, n_ = oi[order], ni[order]
        kcap_o, unit_o = kf.cap[order], unit[order]

        def test(ps, counted, freed, cheap, cheap_val, room, served_v):
            o, n = o_[ps], n_[ps]
            drop = ~served_v & (counted >= lim.slots[o])
            q = np.minimum(np.minimum(room + np.where(drop, freed, 0), lim.demand[n]), kcap_o[ps])
            gain = q * unit_o[ps] + lim.bonus[n] * np.minimum(q, lim.slice_left[n])
            loss = np.where(drop, cheap_val, 0)
            return ~(drop & ~cheap) & (q > 0) & ((gain > loss) | ((gain == loss) & lim.poorest[n]))

        every = np.arange(order.size)
        passes = test(every, counted0[o_], freed0[o_], has_cheap[o_], cheap_val[o_], cap[o_],
                      np.isin(key[order], key[total > 0]))  # served now, after earlier passes
        by_offer = np.argsort(o_, kind="stable")
        offer_at = np.searchsorted(o_[by_offer], np.arange(no + 1))
        order_l, oi_l, unit_l, kcap_l = order.tolist(), o_.tolist(), unit_o.tolist(), kcap_o.tolist()
        free_l = free[order].tolist()
        slots_l = lim.slots

        s1, dropped = 0, False
        while s1 < order.size:  # from one need with an arc that passes to the next
            s0 = s1 + int(passes[s1:].argmax())
            if not passes[s0]:
                break
            i = int(np.searchsorted(ends, s0, side="right"))
            n, s1 = int(todo[i]), int(ends[i])
            v_n = int(lim.village[n])
            poor_n = bool(lim.poorest[n])
            dem, sl, b = int(lim.demand[n]), int(lim.slice_left[n]), int(lim.bonus[n])
            for p in (s0 + np.flatnonzero(passes[s0:s1])).tolist():  # lists aligned with order
                a, o = order_l[p], oi_l[p]
                counted, cheapest, freed = offer_state(o)
                mine = served.get(o, {})
                drop, back = None, 0
                if v_n not in mine and counted >= slots_l[o]:
                    if cheapest is None:
                        continue
                    drop, back = cheapest[1], freed
                q = min(cap_l[o] + back, dem, kcap_l[p])
                if q <= 0:
                    continue
                gain = q * unit_l[p] + b * min(q, sl)
                loss = mine[drop][0] if drop is not None else 0
                if gain < loss or (gain == loss and not poor_n):
                    continue
                mine = served.setdefault(o, {})
                if drop is not None:
                    for x in mine.pop(drop)[1]:
                        total[x] = 0
                    dropped = True
                cap_l[o] += back - q
                total[a] = q
                rec = mine.setdefault(v_n, [0, [], False, free_l[p]])
                rec[0] += gain
                rec[1].append(a)
                rec[2] |= poor_n
                state.pop(o, None)
                counted, cheapest, freed = offer_state(o)
                ps = by_offer[offer_at[o] : offer_at[o + 1]]
                passes[ps] = test(ps, counted, freed, np.bool_(cheapest is not None),  # ~ negates it
                                  cheapest[0] if cheapest else 0, cap_l[o],
                                  np.isin(lim.village[n_[ps]], np.fromiter(mine, np.int64, len(mine))))
                break
        return dropped

    # A need whose village an offer gave up may be left without help: it gets another
    # pass. Each swap raises the objective (or helps one more poorest need, whose
    # villages are never given up), so the passes end; PASSES bounds them all the same.
    for _ in range(PASSES):  # the first always; more only before the deadline
        if not one_pass(todo) or (deadline is not None and time.monotonic() > deadline):
            break
        got = np.bincount(ni, weights=total, minlength=lim.demand.size).astype(np.int64)
        left = np.unique(ni[(got[ni] == 0) & (lim.demand[ni] > 0)])
        todo = left[np.argsort(~lim.poorest[left], kind="stable")]
    return slices(kf, total, free, lim)


def slices(kf: KindFlow, total: np.ndarray, free: np.ndarray, lim: Limits) -> np.ndarray:
    """Poorest-decile needs still without help get their first slice from a candidate
    offer that has a slot for their village (or serves it) but no units left: it moves
    units from its own arcs of lowest unit score, only units beyond those needs' own first
    slices and never from a poorest need. A unit moved earns the slice bonus (101) plus
    its unit score and costs at most one unit score (100), so each move raises the
    objective. The swaps above cannot do this: they take no units from an offer's other
    needs. Nationally it helped the last 2 of 29,274 poorest needs."""
    oi, ni, unit = kf.oi, kf.ni, kf.unit
    got = np.bincount(ni, weights=total, minlength=lim.demand.size).astype(np.int64)
    arcs = np.flatnonzero(lim.poorest[ni] & (got[ni] == 0) & (lim.slice_left[ni] > 0) & (kf.cap > 0))
    if arcs.size == 0:
        return total
    total = total.copy()
    room = lim.available - np.bincount(oi, weights=total, minlength=lim.available.size).astype(np.int64)
    by_offer = np.argsort(oi, kind="stable")
    at = np.searchsorted(oi[by_offer], np.arange(lim.slots.size + 1))
    vill = lim.village
    for a in arcs[np.lexsort((-unit[arcs], ni[arcs]))].tolist():  # by need, best unit score first
        n, o = int(ni[a]), int(oi[a])
        if got[n] > 0:  # helped through an earlier arc
            continue
        mine = by_offer[at[o] : at[o + 1]]
        used = mine[total[mine] > 0]
        counted = np.unique(vill[ni[used[~free[used]]]])
        if not free[a] and vill[n] not in counted and counted.size >= lim.slots[o]:
            continue
        want = int(min(lim.slice_left[n], kf.cap[a], lim.demand[n]))
        q = min(want, max(0, int(room[o])))
        room[o] -= q
        for b in used[np.argsort(unit[used], kind="stable")].tolist():  # cheapest units first
            if q == want:
                break
            m = int(ni[b])
            spare = min(int(total[b]), int(got[m] - lim.slice_left[m]))
            if lim.poorest[m] or spare <= 0 or unit[b] > unit[a] + lim.bonus[n]:
                continue
            x = min(spare, want - q)
            total[b] -= x
            got[m] -= x
            q += x
        if q > 0:
            total[a] += q
            got[n] += q
    return total
