"""Shared test helpers: a hypothesis strategy for small instances and an exact MILP
reference written independently of the solver (plain math, scipy.optimize.milp)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import lil_matrix

from solver import Instance, Need, Offer, Weights
from solver.geo import counties
from solver.synth import synth

_code, _lon, _lat = counties()
# A few counties in east and west provinces, so east-west and preferred bonuses occur.
_PICK = [int(np.flatnonzero(_code // 10**10 == p)[0]) for p in (11, 15, 44, 52, 31, 53, 62, 12)]
PLACES = [(float(_lon[i]), float(_lat[i]), f"{_code[i] // 10**10:02d}") for i in _PICK]
KINDS = ("investment", "jobs")
SECTORS = (None, "agriculture", "tourism")


@st.composite
def instances(draw, limits: bool = True, fixed: bool = True, max_offers: int = 6, max_needs: int = 8,
              max_limit: int = 3, offer_qty: int = 30, need_qty: int = 25, places: int = len(PLACES),
              forbid: int = 1, lock: int = 1) -> Instance:
    """Offers with village limits 1..max_limit (limits) and quantities 0..offer_qty, needs
    of 0..need_qty in 5 villages, at the first `places` of PLACES; each same-kind pair is
    forbidden with chance forbid/10 and locked with chance lock/10 (fixed). places=1
    and no sectors (ties) make every score equal."""
    no = draw(st.integers(1, max_offers))
    nn = draw(st.integers(1, max_needs))
    where = PLACES[:places]
    sectors = SECTORS if places > 1 else (None,)
    offers = []
    for i in range(no):
        lon, lat, prov = draw(st.sampled_from(where))
        offers.append(Offer(
            id=100 + i, enterprise=draw(st.integers(1, 3)), kind=draw(st.sampled_from(KINDS)),
            quantity=draw(st.integers(0, offer_qty)), max_villages=draw(st.integers(1, max_limit)) if limits else 1000,
            lon=lon, lat=lat, province=prov,
            preferred_provinces=tuple(draw(st.lists(st.sampled_from([p[2] for p in where]), max_size=2, unique=True))),
            sector=draw(st.sampled_from(sectors)),
        ))
    needs = []
    for i in range(nn):
        lon, lat, prov = draw(st.sampled_from(where))
        needs.append(Need(
            id=500 + i, village=draw(st.integers(1, 5)), kind=draw(st.sampled_from(KINDS)),
            quantity=draw(st.integers(0, need_qty)), sector=draw(st.sampled_from(sectors)),
            poverty_incidence=draw(st.floats(0, 1)) if places > 1 else 0.5, deep_poverty=draw(st.booleans()),
            lon=lon, lat=lat, province=prov,
        ))
    locked, forbidden, held = [], [], {}
    if fixed:
        cap = {o.id: o.quantity for o in offers}
        dem = {n.id: n.quantity for n in needs}
        vill: dict[int, set[int]] = {o.id: set() for o in offers}
        for o in offers:
            for n in needs:
                if o.kind != n.kind:
                    continue
                r = draw(st.integers(0, 9))
                if r < forbid:
                    forbidden.append((o.id, n.id))
                elif r < forbid + lock and cap[o.id] and dem[n.id] and (
                    n.village in vill[o.id] or len(vill[o.id]) < o.max_villages
                ):
                    q = draw(st.integers(1, min(cap[o.id], dem[n.id])))
                    locked.append((o.id, n.id, q))
                    cap[o.id] -= q
                    dem[n.id] -= q
                    vill[o.id].add(n.village)
            if cap[o.id] and draw(st.integers(0, 4)) == 0:
                held[o.id] = draw(st.integers(0, cap[o.id]))
    return Instance.from_rows(offers, needs, locked, forbidden, held)


@st.composite
def synth_instances(draw) -> Instance:
    """synth's own generator at a small size: a few enterprises (1-3 offers each, all
    kinds, budget or independent limits) and villages (1-4 needs each)."""
    return synth(draw(st.integers(2, 10)), draw(st.integers(2, 8)), draw(st.integers(0, 10**6)),
                 province=draw(st.sampled_from([None, 52])), limits=draw(st.sampled_from(["budget", "independent"])))


# The families of the exact tests: name -> strategy.
FAMILIES = {
    "random": instances(max_offers=8, max_needs=10),
    "tight capacity": instances(max_offers=8, max_needs=10, offer_qty=8, need_qty=30),
    "limit 1": instances(max_offers=10, max_needs=12, max_limit=1),
    "ties": instances(max_offers=8, max_needs=10, places=1),
    "locks": instances(max_offers=8, max_needs=10, lock=4),
    "forbidden": instances(max_offers=8, max_needs=10, forbid=4),
    "synth": synth_instances(),
}


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lo1, la1), (lo2, la2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def unit_score(inst: Instance, r: int, c: int, w: Weights) -> int:
    """Unit score of offer row r and need row c, straight from the documented formula."""
    o, n = inst.offers, inst.needs
    km = _km((o.lon[r], o.lat[r]), (n.lon[c], n.lat[c]))
    pref = set(o.pref_province[o.pref_ptr[r] : o.pref_ptr[r + 1]].tolist())
    ew = {(int(a), int(b)) for a, b in inst.east_west}
    s = round(w.distance * math.exp(-km / w.distance_km))
    s += w.east_west * ((int(o.province[r]), int(n.province[c])) in ew)
    s += w.preferred * (int(n.province[c]) in pref)
    s += w.sector * (n.sector[c] >= 0 and n.sector[c] == o.sector[r])
    return s + round(w.poverty * depth_of(inst, c))


def depth_of(inst: Instance, c: int) -> float:
    n = inst.needs
    return 0.6 * min(1.0, n.poverty_incidence[c] / 0.4) + 0.4 * bool(n.deep_poverty[c])


def decile_of(inst: Instance, c: int) -> int:
    d = [depth_of(inst, i) for i in range(len(inst.needs))]
    return 10 * sum(x > d[c] for x in d) // len(d)


def slice_of(q: int, w: Weights) -> int:
    return min(q, max(1, math.ceil(q * w.slice_share)))


def bonus_of(decile: int, w: Weights) -> int:
    return w.slice_bonus if decile == 0 else w.slice_step * (10 - decile)


def exact_optimum(inst: Instance, w: Weights) -> float:
    """Optimum of the same model (village limits included) by MILP over all pairs."""
    o, n = inst.offers, inst.needs
    forb = {tuple(p) for p in inst.forbidden.tolist()}
    lock = {(a, b): q for a, b, q in inst.locked.tolist()}
    held = dict(inst.held.tolist())
    pairs = [(r, c) for r in range(len(o)) for c in range(len(n))
             if o.kind[r] == n.kind[c] and (int(o.id[r]), int(n.id[c])) not in forb]
    vpairs = sorted({(r, int(n.village[c])) for r, c in pairs})
    nx, ns, ny = len(pairs), len(n), len(vpairs)
    nv = nx + ns + ny
    cost = np.zeros(nv)
    lb, ub = np.zeros(nv), np.zeros(nv)
    for j, (r, c) in enumerate(pairs):
        cost[j] = -unit_score(inst, r, c, w)
        q = lock.get((int(o.id[r]), int(n.id[c])))
        lb[j], ub[j] = (q, q) if q is not None else (0, min(o.quantity[r], n.quantity[c]))
    for c in range(ns):
        cost[nx + c] = -bonus_of(decile_of(inst, c), w)
        ub[nx + c] = slice_of(int(n.quantity[c]), w)
    ub[nx + ns :] = 1
    rows = len(o) + 2 * ns + nx + len(o)
    a = lil_matrix((rows, nv))
    lo_, hi = np.full(rows, -np.inf), np.zeros(rows)
    yidx = {p: nx + ns + i for i, p in enumerate(vpairs)}
    for j, (r, c) in enumerate(pairs):
        a[r, j] = 1  # capacity
        a[len(o) + c, j] = 1  # demand
        a[len(o) + ns + c, j] = -1  # slice covered <= received
        big = float(min(o.quantity[r], n.quantity[c]))
        a[len(o) + 2 * ns + j, j] = 1  # x <= big * y(offer, village)
        a[len(o) + 2 * ns + j, yidx[(r, int(n.village[c]))]] = -big
    for r in range(len(o)):
        hi[r] = o.quantity[r] - held.get(int(o.id[r]), 0)
        for (rr, _v), i in yidx.items():
            if rr == r:
                a[len(o) + 2 * ns + nx + r, i] = 1
        hi[len(o) + 2 * ns + nx + r] = o.max_villages[r]
    for c in range(ns):
        hi[len(o) + c] = n.quantity[c]
        a[len(o) + ns + c, nx + c] = 1
    integrality = np.r_[np.ones(nx), np.zeros(ns), np.ones(ny)]
    # mip_rel_gap 0: HiGHS' default (1e-4) stops 10,000 points short on a value of 1e8.
    res = milp(cost, constraints=LinearConstraint(a.tocsr(), lo_, hi), integrality=integrality,
               bounds=(lb, ub), options={"mip_rel_gap": 0.0})
    assert res.status == 0, res.message
    return -res.fun


def draw_ints(data, n: int, lo: int, hi: int) -> np.ndarray:
    """n integers in [lo, hi] drawn from hypothesis' `data`."""
    return np.array(data.draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n)), np.int64)


def draw_arcs(data, max_offers: int, max_needs: int) -> tuple[int, int, np.ndarray, np.ndarray]:
    """(offers, needs, arcs' offer rows, arcs' need rows): a random bipartite set of arcs."""
    no, nn = data.draw(st.integers(1, max_offers)), data.draw(st.integers(1, max_needs))
    arcs = sorted(data.draw(st.sets(st.tuples(st.integers(0, no - 1), st.integers(0, nn - 1)), min_size=1)))
    return no, nn, np.array([a[0] for a in arcs]), np.array([a[1] for a in arcs])


def draw_answer(data, oi: np.ndarray, ni: np.ndarray, available: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Some feasible flows on arcs (oi, ni): arcs filled in a drawn order, each with a
    drawn share of what its offer and need have left."""
    current = np.zeros(oi.size, np.int64)
    for a in data.draw(st.permutations(range(oi.size))):
        left = min(available[oi[a]] - current[oi == oi[a]].sum(), demand[ni[a]] - current[ni == ni[a]].sum())
        current[a] = data.draw(st.integers(0, max(0, int(left))))
    return current
