"""Synthetic national instances with real county coordinates.

Enterprises sit mostly in the east, poor villages mostly in the west; sizes are
lognormal (skewed); most offers serve 1-10 villages, a few up to 50.

Village limits ("at most N villages") are drawn two ways:
- "budget" (the default): an enterprise sets N from its offer and what it means to give
  each village, about what a village asks for (a lognormal amount around the needs'
  median, sigma 0.5): N = ceil(quantity / amount), 1..50. 80% of offers then serve 1-10
  villages, 18% one village.
- "independent": N drawn without regard to the quantity (90% 1-10, 10% 11-50), so that
  an offer of millions may serve one village and one of two jobs ten: a stress case in
  which limits strand much of the capacity.
"""

from __future__ import annotations

import numpy as np

from .geo import counties, east_west_pairs, province_of
from .taxonomy import KIND_NAMES, KINDS
from .types import Instance, NeedTable, OfferTable

SECTORS = ("agriculture", "manufacturing", "tourism", "retail", "logistics", "construction", "health", "education")
EAST = {11, 12, 13, 21, 31, 32, 33, 35, 37, 44, 46}
WEST = {15, 45, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
KIND_SHARE = np.array([0.15, 0.15, 0.10, 0.15, 0.10, 0.15, 0.08, 0.07, 0.05])


def _region_weights(prov: np.ndarray, east: float, central: float, west: float) -> np.ndarray:
    w = np.where(np.isin(prov, list(EAST)), east, np.where(np.isin(prov, list(WEST)), west, central))
    return w / w.sum()


def _sizes(rng: np.random.Generator, kind: np.ndarray, yuan_median: float, people_median: float, sigma: float) -> np.ndarray:
    people = np.array([KINDS[k][1] == "people" for k in KIND_NAMES])[kind]
    median = np.where(people, people_median, yuan_median)
    return np.maximum(1, np.rint(median * rng.lognormal(0.0, sigma, kind.size))).astype(np.int64)


NEED_MEDIAN = (80_000, 8)  # yuan, people


def synth(enterprises: int, villages: int, seed: int = 0, province: int | None = None,
          limits: str = "budget") -> Instance:
    """110,000 enterprises with 1-3 offers and 130,000 villages with 1-4 needs is national;
    province (e.g. 52) puts every village in that province; limits "budget" or
    "independent" (see the module's docstring). Both draw the same offers and needs."""
    if limits not in ("budget", "independent"):
        raise ValueError(f"limits: 'budget' or 'independent', not {limits!r}")
    rng = np.random.default_rng(seed)
    code, lon, lat = counties()
    prov = province_of(code)
    # Offers: enterprises mostly in the east.
    e_county = rng.choice(code.size, enterprises, p=_region_weights(prov, 6.0, 2.0, 0.7))
    per_e = rng.choice([1, 2, 3], enterprises, p=[0.45, 0.35, 0.20])
    e_of = np.repeat(np.arange(enterprises), per_e)
    no = e_of.size
    oc = e_county[e_of]
    okind = rng.choice(len(KIND_NAMES), no, p=KIND_SHARE)
    e_sector = rng.integers(0, len(SECTORS), enterprises)
    osector = np.where(rng.random(no) < 0.8, e_sector[e_of], -1).astype(np.int32)
    limit = np.where(rng.random(no) < 0.9, rng.integers(1, 11, no), rng.integers(11, 51, no))
    # Preferred provinces: a third name one to three, often a west partner of their own.
    partners: dict[int, list[int]] = {}
    for e, w in east_west_pairs():
        partners.setdefault(int(e), []).append(int(w))
    west_codes = np.array(sorted(WEST))
    ptr, pref = [0], []
    for p in prov[oc]:
        if rng.random() < 0.33:
            pool = partners.get(int(p), []) + list(rng.choice(west_codes, 2, replace=False))
            pref.extend(sorted(set(pool[: rng.integers(1, 4)])))
        ptr.append(len(pref))
    quantity = _sizes(rng, okind, 300_000, 20, 1.2)
    if limits == "budget":  # own generator: the rest of the instance stays the same
        share = _sizes(np.random.default_rng([seed, 1]), okind, NEED_MEDIAN[0], NEED_MEDIAN[1], 0.5)
        limit = np.clip(-(-quantity // share), 1, 50)
    offers = OfferTable(
        id=np.arange(1, no + 1, dtype=np.int64), enterprise=e_of.astype(np.int64) + 1, kind=okind.astype(np.int8),
        quantity=quantity, max_villages=limit.astype(np.int64),
        lon=lon[oc], lat=lat[oc], province=prov[oc], sector=osector,
        pref_ptr=np.array(ptr, dtype=np.int64), pref_province=np.array(pref, dtype=np.int16),
    )
    # Needs: poor villages mostly in the west, poorer there too.
    vw = _region_weights(prov, 0.4, 2.5, 6.0) if province is None else (prov == province) / (prov == province).sum()
    v_county = rng.choice(code.size, villages, p=vw)
    west = np.isin(prov[v_county], list(WEST))
    incidence = np.clip(rng.beta(2, 6, villages) * np.where(west, 0.8, 0.5), 0, 1)
    deep = rng.random(villages) < np.where(west, 0.35, 0.1)
    per_v = rng.choice([1, 2, 3, 4], villages, p=[0.3, 0.3, 0.25, 0.15])
    v_of = np.repeat(np.arange(villages), per_v)
    nn = v_of.size
    nkind = rng.choice(len(KIND_NAMES), nn, p=KIND_SHARE)
    needs = NeedTable(
        id=np.arange(1, nn + 1, dtype=np.int64), village=v_of.astype(np.int64) + 1, kind=nkind.astype(np.int8),
        quantity=_sizes(rng, nkind, NEED_MEDIAN[0], NEED_MEDIAN[1], 1.0),
        sector=np.where(rng.random(nn) < 0.5, rng.integers(0, len(SECTORS), nn), -1).astype(np.int32),
        poverty_incidence=incidence[v_of], deep_poverty=deep[v_of],
        lon=lon[v_county[v_of]], lat=lat[v_county[v_of]], province=prov[v_county[v_of]],
    )
    return Instance(offers, needs, SECTORS, east_west=east_west_pairs())
