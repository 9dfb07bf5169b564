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

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from .geo import haversine_km
from .score import NPROV, distance_points, east_west_table, preferred_keys
from .taxonomy import KIND_NAMES
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


@dataclass(frozen=True)
class DistanceTable:
    """Distance points between every distinct need and offer coordinate (about 3,000
    counties each), computed once for all kinds."""

    points: np.ndarray  # int16 (need coordinates, offer coordinates)
    need_coord: np.ndarray  # coordinate index of each need row
    offer_coord: np.ndarray  # coordinate index of each offer row

    @staticmethod
    def of(inst: Instance, w: Weights, offer_rows: np.ndarray | None = None,
           need_rows: np.ndarray | None = None) -> DistanceTable:
        o, n = inst.offers, inst.needs
        oc = np.full(len(o), -1, np.int64)
        nc = np.full(len(n), -1, np.int64)
        orows = np.arange(len(o)) if offer_rows is None else offer_rows
        nrows = np.arange(len(n)) if need_rows is None else need_rows
        oxy, oc[orows] = _coords(o.lon[orows], o.lat[orows])
        nxy, nc[nrows] = _coords(n.lon[nrows], n.lat[nrows])
        return DistanceTable(distance_table(nxy, oxy, w), nc, oc)


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
    excluded: np.ndarray, kind: int, dist: DistanceTable | None = None,
) -> Arcs:
    """Candidate arcs of one kind. available: offer capacity left after locks and held;
    demand: need quantity left after locks; excluded: sorted keys offer * n_needs + need
    of locked or forbidden pairs, never arcs; dist: distance points shared by all kinds
    (computed here when None)."""
    o, n = inst.offers, inst.needs
    nn = len(n)
    ok = np.flatnonzero((o.kind == kind) & (available > 0))
    nk = np.flatnonzero((n.kind == kind) & (demand > 0))
    if ok.size == 0 or nk.size == 0:
        z = np.zeros(0, np.int64)
        return Arcs(z, z, z, 0, 0)
    if dist is None:
        dist = DistanceTable.of(inst, w, ok, nk)
    # Offers sorted by coordinate, so a row of the distance table expands with np.repeat.
    ocoord_all = dist.offer_coord[ok]
    order = np.argsort(ocoord_all, kind="stable")
    ok = ok[order]
    oc_used, ocoord = np.unique(ocoord_all[order], return_inverse=True)
    counts = np.bincount(ocoord, minlength=oc_used.size)
    m = ok.size
    cap_rank = np.lexsort((ok, -available[ok]))  # largest capacity first, then row
    tie = np.empty(m, np.int32)
    tie[cap_rank] = np.arange(m - 1, -1, -1, dtype=np.int32)
    nc_used, ncoord = np.unique(dist.need_coord[nk], return_inverse=True)
    ncoord = ncoord.reshape(-1)
    nxy_n = nc_used.size
    # Keys are points * m + tie (int32: m * (max points + 1) stays far below 2**31).
    table = dist.points[np.ix_(nc_used, oc_used)].astype(np.int32) * np.int32(m)
    ew = east_west_table(inst)
    pref = np.zeros((NPROV, m), bool)  # pref[p, j]: offer ok[j] prefers province p
    prefk = preferred_keys(o)
    pk_off, pk_prov = prefk // NPROV, prefk % NPROV
    srt = np.argsort(ok)  # ok is sorted by coordinate, not row: map through a sorted copy
    pos = np.searchsorted(ok[srt], pk_off)
    hit = (pos < m) & (ok[srt][np.minimum(pos, m - 1)] == pk_off)
    pref[pk_prov[hit], srt[pos[hit]]] = True
    oprov = o.province[ok]

    # Rows: distinct (province, coordinate) of the needs; groups: (row, sector). A group
    # with sector s takes the best of (the row's top kmax without s) and (the top kmax
    # among offers of sector s, plus the sector bonus): exact, and rows are scored once.
    ns1 = len(inst.sectors) + 1
    rkey = n.province[nk].astype(np.int64) * nxy_n + ncoord
    rows_u, need_row = np.unique(rkey, return_inverse=True)
    row_prov, row_coord = rows_u // nxy_n, rows_u % nxy_n
    gu, need_g = np.unique(need_row.reshape(-1) * ns1 + n.sector[nk] + 1, return_inverse=True)
    need_g = need_g.reshape(-1)
    g_row, g_sec = gu // ns1, gu % ns1 - 1
    g_demand = np.bincount(need_g, weights=demand[nk], minlength=gu.size)
    n_order = np.argsort(need_g, kind="stable")
    g_start = np.searchsorted(need_g[n_order], np.arange(gu.size))
    g_len = np.bincount(need_g, minlength=gu.size)
    osec = o.sector[ok]
    sec_cols = {int(sv): np.flatnonzero(osec == sv) for sv in np.unique(g_sec) if sv >= 0}
    cap_k = available[ok]

    extra = 0
    if excluded.size:
        e_off, e_need = excluded // nn, excluded % nn
        mine = o.kind[e_off] == kind
        if mine.any():
            extra = int(np.bincount(e_need[mine], minlength=nn)[nk].max())
    kmax = min(m, opt.k * opt.widen_max + extra)
    out_o: list[np.ndarray] = []
    out_n: list[np.ndarray] = []
    out_s: list[np.ndarray] = []
    step = max(1, BLOCK_CELLS // m)
    base_cache: dict[int, np.ndarray] = {}
    sector_bonus = np.int32(w.sector * m)
    r0 = 0
    while r0 < rows_u.size:
        p = int(row_prov[r0])
        r1 = r0 + int(np.searchsorted(row_prov[r0 : r0 + step], p, side="right"))
        if p not in base_cache:  # east-west and preferred points depend on the province only
            base = ew[oprov, p].astype(np.int32) * w.east_west + pref[p].astype(np.int32) * w.preferred
            base_cache[p] = base * np.int32(m) + tie
        key0 = np.repeat(table[row_coord[r0:r1]], counts, axis=1)
        key0 += base_cache[p]
        top_all = _top(key0, kmax)
        ck_all = np.take_along_axis(key0, top_all, axis=1)
        g0, g1 = np.searchsorted(g_row, [r0, r1])
        for sv in np.unique(g_sec[g0:g1]).tolist():
            sel = g0 + np.flatnonzero(g_sec[g0:g1] == sv)
            r = g_row[sel] - r0
            cand = top_all[r]
            ck = ck_all[r]
            if sv >= 0:
                kr = key0[r]
                cols = sec_cols[sv]
                ck[osec[cand] == sv] = -1  # these come back below with their bonus
                sub = kr[:, cols]
                ts = _top(sub, min(kmax, cols.size))
                cand = np.concatenate([cand, cols[ts]], axis=1)
                ck = np.concatenate([ck, np.take_along_axis(sub, ts, axis=1) + sector_bonus], axis=1)
                best = _top(ck, kmax)
                cand, ck = np.take_along_axis(cand, best, axis=1), np.take_along_axis(ck, best, axis=1)
            srt_ = np.argsort(-ck, axis=1)
            cand, ck = np.take_along_axis(cand, srt_, axis=1), np.take_along_axis(ck, srt_, axis=1)
            # Widen: enough candidates to cover twice the group's demand, within [K, widen_max * K].
            cum = np.cumsum(cap_k[cand], axis=1)
            kg = np.clip((cum < 2 * g_demand[sel, None]).sum(axis=1) + 1, opt.k, opt.k * opt.widen_max)
            lens = g_len[sel]
            which = np.repeat(np.arange(sel.size), lens)
            first = np.repeat(g_start[sel] - np.cumsum(lens) + lens, lens) + np.arange(lens.sum())
            need = nk[n_order[first]]
            offers = ok[cand[which]]
            limit = kg[which][:, None]
            if extra:
                bad = np.isin(offers * nn + need[:, None], excluded)
                keep = ~bad & (np.cumsum(~bad, axis=1) <= limit)
            else:
                keep = np.arange(cand.shape[1])[None, :] < limit
            out_o.append(offers[keep])
            out_n.append(np.broadcast_to(need[:, None], keep.shape)[keep])
            out_s.append((ck[which] // m)[keep])
        r0 = r1
    oi = np.concatenate(out_o).astype(np.int64)
    ni = np.concatenate(out_n).astype(np.int64)
    sc = np.concatenate(out_s).astype(np.int64)
    return Arcs(oi, ni, sc, int(gu.size), int(rows_u.size) * m)


def build_all(
    inst: Instance, w: Weights, opt: Options, available: np.ndarray, demand: np.ndarray,
    excluded: np.ndarray, pool: Executor | None = None,
) -> list[Arcs]:
    """Candidate arcs of every kind (one distance table; kinds on the pool's threads,
    numpy releases the GIL in the large gathers, adds and partitions)."""
    dist = DistanceTable.of(inst, w)
    kinds = range(len(KIND_NAMES))
    # Largest kinds first so the threads finish together.
    order = sorted(kinds, key=lambda k: -int(((inst.offers.kind == k) & (available > 0)).sum())
                   * int(((inst.needs.kind == k) & (demand > 0)).sum()))

    def one(k: int) -> Arcs:
        return build(inst, w, opt, available, demand, excluded, k, dist)

    out = dict(zip(order, (pool.map(one, order) if pool else map(one, order)), strict=True))
    return [out[k] for k in kinds]


def _top(key: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k largest keys of each row (unordered)."""
    m = key.shape[1]
    if k >= m:
        return np.broadcast_to(np.arange(m), key.shape).copy()
    return np.argpartition(key, m - k, axis=1)[:, m - k :]
