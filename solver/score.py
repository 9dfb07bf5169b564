"""Score of a pair, fairness slice and objective: small integers so flows stay exact.

Unit score of offer o helping need n (only pairs of the same kind exist):
  distance  round(W.distance * exp(-km / W.distance_km))      0..40
  east_west W.east_west if (o.province, n.province) is an east-west pair  0/15
  preferred W.preferred if n.province is among o's preferred provinces    0/10
  sector    W.sector if n names a sector and it equals o's sector        0/10
  poverty   round(W.poverty * depth(n))                                  0..25
depth = 0.6 * min(1, poverty_incidence / 0.4) + 0.4 * deep_poverty, in 0..1.
"""

from __future__ import annotations

import numpy as np

from .types import Instance, NeedTable, OfferTable, Weights

NPROV = 100  # province codes are < 100


def depth(needs: NeedTable) -> np.ndarray:
    return 0.6 * np.minimum(1.0, needs.poverty_incidence / 0.4) + 0.4 * needs.deep_poverty


def deciles(d: np.ndarray) -> np.ndarray:
    """Poverty decile of each need, 0 = poorest; equal depths share a decile."""
    n = len(d)
    if n == 0:
        return np.zeros(0, np.int8)
    s = np.sort(d)
    deeper = n - np.searchsorted(s, d, side="right")
    return (10 * deeper // n).astype(np.int8)


def poverty_points(needs: NeedTable, w: Weights) -> np.ndarray:
    return np.rint(w.poverty * depth(needs)).astype(np.int16)


def distance_points(km: np.ndarray, w: Weights) -> np.ndarray:
    return np.rint(w.distance * np.exp(-np.asarray(km) / w.distance_km)).astype(np.int16)


def east_west_table(inst: Instance) -> np.ndarray:
    """t[offer_province, need_province] is True for east-west cooperation pairs."""
    t = np.zeros((NPROV, NPROV), bool)
    for e, wst in inst.east_west:
        t[int(e), int(wst)] = True
    return t


def preferred_keys(offers: OfferTable) -> np.ndarray:
    """Sorted keys offer_index * NPROV + preferred province, for isin lookups."""
    rows = np.repeat(np.arange(len(offers), dtype=np.int64), np.diff(offers.pref_ptr))
    return np.unique(rows * NPROV + offers.pref_province)


def slice_size(quantity: np.ndarray, w: Weights) -> np.ndarray:
    """First slice of each need: ceil(slice_share * quantity), at least 1 unit when q > 0."""
    q = np.asarray(quantity, dtype=np.int64)
    return np.minimum(q, np.maximum(1, np.ceil(q * w.slice_share).astype(np.int64)))


def slice_bonus(decile: np.ndarray, w: Weights) -> np.ndarray:
    return np.where(decile == 0, w.slice_bonus, w.slice_step * (10 - decile.astype(np.int64))).astype(np.int64)


def pair_parts(inst: Instance, oi: np.ndarray, ni: np.ndarray, w: Weights) -> np.ndarray:
    """Score parts (rows, 5) int16 for offer rows oi and need rows ni, in PARTS order."""
    o, n = inst.offers, inst.needs
    km = _haversine(o.lon[oi], o.lat[oi], n.lon[ni], n.lat[ni])
    op, np_ = o.province[oi].astype(np.int64), n.province[ni].astype(np.int64)
    parts = np.empty((len(oi), 5), np.int16)
    parts[:, 0] = distance_points(km, w)
    parts[:, 1] = east_west_table(inst)[op, np_] * w.east_west
    parts[:, 2] = np.isin(oi.astype(np.int64) * NPROV + np_, preferred_keys(o)) * w.preferred
    parts[:, 3] = ((n.sector[ni] >= 0) & (n.sector[ni] == o.sector[oi])) * w.sector
    parts[:, 4] = poverty_points(n, w)[ni]
    return parts


def objective(inst: Instance, ni: np.ndarray, qty: np.ndarray, unit: np.ndarray, w: Weights) -> int:
    """Objective of a solution given its rows' need index, quantity and unit score."""
    n = inst.needs
    got = np.bincount(ni, weights=qty, minlength=len(n)).astype(np.int64)
    bonus = slice_bonus(deciles(depth(n)), w)
    covered = np.minimum(got, slice_size(n.quantity, w))
    return int((qty.astype(np.int64) * unit).sum() + (bonus * covered).sum())


def _haversine(lon1, lat1, lon2, lat2):
    from .geo import haversine_km

    return haversine_km(lon1, lat1, lon2, lat2)
