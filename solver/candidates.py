"""Candidate arcs: for each need, its best K offers of the same kind.

The ranking of offers for a need depends only on the need's coordinates (county),
province, kind and sector, so needs are grouped by those and each group is ranked once.
Scoring uses a table of distance points between distinct need and offer coordinates
(about 3,000 counties), per-province vectors (east-west and preferred bonuses) and
per-sector vectors, so a block of groups costs a gather and an add per offer; top-K is
argpartition. Ties break on larger available capacity, then lower row: deterministic.
Groups whose demand exceeds what their top K can supply get up to widen_max * K
candidates, so many needs in one county do not all compete for the same few offers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geo import haversine_km
from .score import NPROV, distance_points, east_west_table, preferred_keys
from .types import Instance, Options, Weights

BLOCK_CELLS = 2_000_000  # scored pairs per block: a few MB of int64 keys


@dataclass(frozen=True)
class Arcs:
    oi: np.ndarray  # offer row, int64
    ni: np.ndarray  # need row, int64
    score: np.ndarray  # unit score without the poverty part (the need's own constant)
    groups: int  # ranking groups
    scored: int  # scored (group, offer) pairs


def _coords(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct coordinates (as (c, 2) array) and each row's index into them."""
    xy = np.stack([lon, lat], axis=1)
    uniq, inv = np.unique(xy, axis=0, return_inverse=True)
    return uniq, inv.reshape(-1)


def distance_table(need_xy: np.ndarray, offer_xy: np.ndarray, w: Weights) -> np.ndarray:
    """Distance points (int16) between every distinct need and offer coordinate."""
    out = np.empty((len(need_xy), len(offer_xy)), np.int16)
    step = max(1, BLOCK_CELLS // max(1, len(offer_xy)))
    for a in range(0, len(need_xy), step):
        b = need_xy[a : a + step]
        km = haversine_km(b[:, :1], b[:, 1:], offer_xy[None, :, 0], offer_xy[None, :, 1])
        out[a : a + step] = distance_points(km, w)
    return out


def build(
    inst: Instance, w: Weights, opt: Options, available: np.ndarray, demand: np.ndarray,
    excluded: np.ndarray, kind: int,
) -> Arcs:
    """Candidate arcs of one kind. available: offer capacity left after locks and held;
    demand: need quantity left after locks; excluded: sorted keys offer * n_needs + need
    of locked or forbidden pairs, never arcs."""
    o, n = inst.offers, inst.needs
    nn = len(n)
    ok = np.flatnonzero((o.kind == kind) & (available > 0))
    nk = np.flatnonzero((n.kind == kind) & (demand > 0))
    if ok.size == 0 or nk.size == 0:
        z = np.zeros(0, np.int64)
        return Arcs(z, z, z, 0, 0)
    # Offers sorted by coordinate, so a row of the distance table expands with np.repeat.
    oxy, ocoord = _coords(o.lon[ok], o.lat[ok])
    order = np.argsort(ocoord, kind="stable")
    ok, ocoord = ok[order], ocoord[order]
    counts = np.bincount(ocoord, minlength=len(oxy))
    m = ok.size
    cap_rank = np.lexsort((ok, -available[ok]))  # largest capacity first, then row
    tie = np.empty(m, np.int64)
    tie[cap_rank] = np.arange(m - 1, -1, -1)
    nxy, ncoord = _coords(n.lon[nk], n.lat[nk])
    table = distance_table(nxy, oxy, w).astype(np.int64) * m
    ew = east_west_table(inst)
    prefk = preferred_keys(o)

    # Groups: (province, sector, coordinate); sorted so blocks share province and sector.
    gkey = (n.province[nk].astype(np.int64) * (len(inst.sectors) + 1) + n.sector[nk] + 1) * len(nxy) + ncoord
    gorder = np.argsort(gkey, kind="stable")
    nk_sorted, gk_sorted = nk[gorder], gkey[gorder]
    starts = np.flatnonzero(np.r_[True, gk_sorted[1:] != gk_sorted[:-1]])
    ng = starts.size
    gsize = np.diff(np.r_[starts, nk.size])
    g_of_need = np.repeat(np.arange(ng), gsize)
    gdemand = np.add.reduceat(demand[nk_sorted], starts)
    gps = gk_sorted[starts] // len(nxy)  # province-sector of each group
    gcoord = gk_sorted[starts] % len(nxy)

    extra = 0
    if excluded.size:
        e_off, e_need = excluded // nn, excluded % nn
        mine = o.kind[e_off] == kind
        if mine.any():
            extra = int(np.bincount(e_need[mine], minlength=nn)[nk_sorted].max())
    kmax = min(m, opt.k * opt.widen_max + extra)
    out_o: list[np.ndarray] = []
    out_n: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    vec_cache: dict[int, np.ndarray] = {}
    step = max(1, BLOCK_CELLS // m)
    g = 0
    while g < ng:
        ps = int(gps[g])
        end = min(ng, g + step)
        end = g + int(np.searchsorted(gps[g:end], ps, side="right"))
        vec = vec_cache.get(ps)
        if vec is None:
            p, s = divmod(ps, len(inst.sectors) + 1)
            s -= 1
            base = ew[o.province[ok], p] * w.east_west
            base = base + np.isin(ok * NPROV + p, prefk) * w.preferred
            if s >= 0:
                base = base + (o.sector[ok] == s) * w.sector
            vec = base.astype(np.int64) * m + tie
            vec_cache[ps] = vec
        key = np.repeat(table[gcoord[g:end]], counts, axis=1)
        key += vec
        if kmax < m:
            top = np.argpartition(key, m - kmax, axis=1)[:, m - kmax :]
        else:
            top = np.broadcast_to(np.arange(m), key.shape)
        tk = np.take_along_axis(key, top, axis=1)
        srt = np.argsort(-tk, axis=1)
        cand = np.take_along_axis(top, srt, axis=1)  # local offer index, best first
        # Widen: enough candidates to cover twice the group's demand, within [K, kmax].
        cum = np.cumsum(available[ok][cand], axis=1)
        need_k = (cum < 2 * gdemand[g:end, None]).sum(axis=1) + 1
        kg = np.clip(need_k, opt.k, opt.k * opt.widen_max)
        a, b = starts[g], (starts[end] if end < ng else nk.size)
        rows = cand[g_of_need[a:b] - g]
        need = nk_sorted[a:b]
        offers = ok[rows]
        limit = kg[g_of_need[a:b] - g][:, None]
        if extra:
            bad = np.isin(offers * nn + need[:, None], excluded)
            keep = ~bad & (np.cumsum(~bad, axis=1) <= limit)
        else:
            keep = np.arange(kmax)[None, :] < limit
        out_o.append(offers[keep])
        out_n.append(np.broadcast_to(need[:, None], keep.shape)[keep])
        out_s.append((np.take_along_axis(tk, srt, axis=1)[g_of_need[a:b] - g] // m)[keep])
        g = end
    oi = np.concatenate(out_o).astype(np.int64)
    ni = np.concatenate(out_n).astype(np.int64)
    sc = np.concatenate(out_s).astype(np.int64)
    return Arcs(oi, ni, sc, int(ng), int(ng) * m)
