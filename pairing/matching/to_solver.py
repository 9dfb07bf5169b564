"""The one place that turns rows into solver input and a solution back into rows.

The site stores money in fen, the solver works in whole yuan: fen go in floored, yuan
come out times 100. Capacity the solver must not touch (pairings, pending proposals) is
expressed in yuan so that what it may give never exceeds what is left in fen.

A nationwide round has about 190,000 offers and 250,000 needs: everything here reads
plain columns (no ORM objects, which a commit would expire and the write path would then
reload one by one) and hands back numpy arrays, so the write path inserts in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

import solver
import solver.types
from solver.geo import haversine_km
from solver.score import deciles, depth
from solver.taxonomy import KIND_NAMES, KINDS

from ..enterprises.kinds import is_money, mechanism
from ..enterprises.models import Enterprise, Offer
from ..enterprises.services import offer_is_public
from ..needs.models import Need
from ..places.models import County, EastWestPair, Village
from .models import Pairing, Proposal, Round

NO_USER = -1  # in the officer / secretary arrays: nobody to notify


def to_units(kind: str, stored: int) -> int:
    """Stored quantity (fen or people) -> solver units (whole yuan, floored, or people)."""
    return stored // 100 if is_money(kind) else stored


def from_units(kind: str, units: int) -> int:
    return units * 100 if is_money(kind) else units


def committed(p: Pairing) -> int:
    """What a pairing takes of its offer and need: all of it, or what a lapsed one delivered."""
    return p.delivered_quantity if p.status == "lapsed" else p.quantity


@dataclass
class Prepared:
    """A solver instance plus, aligned with its offers and needs (both sorted by id), what
    turns its answer back into rows: stored units, places, who is told."""

    instance: solver.Instance
    offer_id: np.ndarray  # int64, ascending
    offer_money: np.ndarray  # bool: quantities in fen (else people)
    offer_key: np.ndarray  # int64 index into KEYS ("mechanism:unit")
    offer_officer: np.ndarray  # int64 user id or NO_USER
    offer_lonlat: np.ndarray  # float64 (n, 2)
    free_offer: np.ndarray  # int64 fen/people left for new proposals
    need_id: np.ndarray
    need_secretary: np.ndarray
    need_lonlat: np.ndarray
    free_need: np.ndarray
    decile: np.ndarray  # int8 poverty decile of each need, 0 = poorest

    @property
    def offers(self) -> int:
        return int(self.offer_id.size)

    @property
    def needs(self) -> int:
        return int(self.need_id.size)


KEYS = sorted({f"{mechanism(k)}:{'yuan' if is_money(k) else 'people'}" for k in KINDS})


def _columns(rows: list, n: int) -> list[tuple]:
    return list(zip(*rows, strict=True)) if rows else [()] * n


def _fetch(session: Session, q: Select, n: int) -> list[tuple]:
    """Columns of a plain select: through the connection (not the ORM's loading, a third
    of the time for 190,000 rows), as the driver's tuples."""
    return _columns(session.connection().execute(q).all(), n)


OFFER_COLUMNS = (Offer.id, Offer.enterprise_id, Offer.kind, Offer.quantity,
                 Offer.paired_quantity, Offer.max_villages, Offer.provinces, Enterprise.sector,
                 Enterprise.officer_id, County.lon, County.lat, County.province_code)
NEED_COLUMNS = (Need.id, Need.village_id, Need.kind, Need.quantity, Need.sector,
                Village.population, Village.poor_population, Village.deep_poverty,
                Village.secretary_id, County.lon, County.lat, County.province_code)


def _offer_columns(session: Session) -> list[tuple]:
    return _fetch(session, select(*OFFER_COLUMNS).select_from(Offer)
                  .join(Enterprise, Offer.enterprise_id == Enterprise.id)
                  .join(County, County.code == Enterprise.county_code)
                  .where(offer_is_public()).order_by(Offer.id), len(OFFER_COLUMNS))


def _need_columns(session: Session, province: str | None) -> list[tuple]:
    q = (select(*NEED_COLUMNS).select_from(Need).join(Village, Need.village_id == Village.id)
         .join(County, County.code == Village.county_code).where(Need.public))
    if province:
        q = q.where(Village.county_code.startswith(province))
    return _fetch(session, q.order_by(Need.id), len(NEED_COLUMNS))


KIND_INDEX = {k: i for i, k in enumerate(KIND_NAMES)}
MONEY = np.array([is_money(k) for k in KIND_NAMES])
KIND_KEY = np.array([KEYS.index(f"{mechanism(k)}:{'yuan' if is_money(k) else 'people'}")
                     for k in KIND_NAMES], np.int64)


def _i64(values: tuple, none: int = NO_USER) -> np.ndarray:
    return np.array([none if v is None else v for v in values], np.int64)


def _sum_by(ids: np.ndarray, keys: list[int], values: list[int]) -> np.ndarray:
    """Per row of `ids` (ascending), the sum of `values` whose key is that id."""
    out = np.zeros(ids.size, np.int64)
    if keys and ids.size:
        k = np.array(keys, np.int64)
        at = np.minimum(np.searchsorted(ids, k), ids.size - 1)
        hit = ids[at] == k
        np.add.at(out, at[hit], np.array(values, np.int64)[hit])
    return out


def _units(money: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """to_units, column-wise."""
    return np.where(money, stored // 100, stored)


def prepare(session: Session, rnd: Round) -> Prepared:
    """Open offers and needs of the round's scope with locks, exclusions and held capacity,
    column by column (a nationwide round reads 440,000 rows)."""
    (o_id, o_ent, o_kind, o_qty, o_paired, o_max, o_prov_pref, o_sector, o_officer, o_lon,
     o_lat, o_prov) = _offer_columns(session)
    (n_id, n_vil, n_kind, n_qty, n_sector, n_pop, n_poor, n_deep, n_secretary, n_lon, n_lat,
     n_prov) = _need_columns(session, rnd.province_code)
    offer_id, need_id = np.array(o_id, np.int64), np.array(n_id, np.int64)
    okind = np.array([KIND_INDEX[k] for k in o_kind], np.int8)
    nkind = np.array([KIND_INDEX[k] for k in n_kind], np.int8)
    omoney, nmoney = MONEY[okind], MONEY[nkind]
    offer_set, need_set = set(o_id), set(n_id)
    money_of = dict(zip(o_id, omoney.tolist(), strict=True))

    used_keys: list[int] = []
    used_values: list[int] = []
    locked: dict[tuple[int, int], int] = defaultdict(int)
    for o, n, status, qty, delivered in session.execute(select(
            Pairing.offer_id, Pairing.need_id, Pairing.status, Pairing.quantity,
            Pairing.delivered_quantity)):
        c = delivered if status == "lapsed" else qty  # as committed()
        used_keys.append(n)
        used_values.append(c)
        if o in offer_set and n in need_set and c > 0:
            locked[(o, n)] += c
    pending = session.execute(select(Proposal.offer_id, Proposal.need_id, Proposal.quantity)
                              .where(Proposal.status == "pending")).all()
    p_offer, p_need, p_qty = _columns(pending, 3)
    declined = set(session.execute(
        select(Proposal.offer_id, Proposal.need_id).where(Proposal.status == "declined")).all())

    held_offer = _sum_by(offer_id, list(p_offer), list(p_qty))
    used_need = _sum_by(need_id, used_keys + list(p_need), used_values + list(p_qty))
    o_quantity, n_quantity = np.array(o_qty, np.int64), np.array(n_qty, np.int64)
    free_offer = np.maximum(0, o_quantity - np.array(o_paired, np.int64) - held_offer)
    free_need = np.maximum(0, n_quantity - used_need)
    lock_units = {k: u for k, q in locked.items() if (u := q // 100 if money_of[k[0]] else q) > 0}
    lock_keys = list(lock_units)
    lock_by_offer = _sum_by(offer_id, [a for a, _b in lock_keys], list(lock_units.values()))
    lock_by_need = _sum_by(need_id, [b for _a, b in lock_keys], list(lock_units.values()))

    total = _units(omoney, free_offer) + lock_by_offer
    # Capacity = locked + free; whatever else the offer has is held.
    cap = np.maximum(total, _units(omoney, o_quantity))
    held = {int(i): int(h) for i, h in zip(offer_id, cap - total, strict=True) if h > 0}
    sectors = sorted({x for x in o_sector if x} | {x for x in n_sector if x})
    sector = {x: i for i, x in enumerate(sectors)}
    pref = [[int(c) for c in p.split(",") if c] if p else [] for p in o_prov_pref]
    pop, poor = np.array(n_pop, np.float64), np.array(n_poor, np.float64)
    offers = solver.types.OfferTable(
        id=offer_id, enterprise=np.array(o_ent, np.int64), kind=okind, quantity=cap,
        max_villages=np.array(o_max, np.int64), lon=np.array(o_lon, np.float64),
        lat=np.array(o_lat, np.float64), province=np.array([int(p) for p in o_prov], np.int16),
        sector=np.array([sector[x] if x else -1 for x in o_sector], np.int32),
        pref_ptr=np.concatenate([[0], np.cumsum([len(p) for p in pref], dtype=np.int64)]),
        pref_province=np.array([c for p in pref for c in p], np.int16))
    needs = solver.types.NeedTable(
        id=need_id, village=np.array(n_vil, np.int64), kind=nkind,
        quantity=lock_by_need + _units(nmoney, free_need),
        sector=np.array([sector[x] if x else -1 for x in n_sector], np.int32),
        poverty_incidence=np.where(pop > 0, np.minimum(1.0, poor / np.maximum(pop, 1)), 0.0),
        deep_poverty=np.array(n_deep, bool).reshape(-1), lon=np.array(n_lon, np.float64),
        lat=np.array(n_lat, np.float64), province=np.array([int(p) for p in n_prov], np.int16))
    forbidden = {(a, b) for a, b in declined | set(zip(p_offer, p_need, strict=True))
                 if a in offer_set and b in need_set and (a, b) not in lock_units}
    inst = solver.Instance(
        offers=offers, needs=needs, sectors=tuple(sectors),
        locked=np.array([(a, b, u) for (a, b), u in sorted(lock_units.items())],
                        np.int64).reshape(-1, 3),
        forbidden=np.array(sorted(forbidden), np.int64).reshape(-1, 2),
        held=np.array(sorted(held.items()), np.int64).reshape(-1, 2),
        east_west=tuple((e, w) for e, w in session.execute(
            select(EastWestPair.east_code, EastWestPair.west_code))))
    return Prepared(
        instance=inst, offer_id=offer_id, offer_money=omoney, offer_key=KIND_KEY[okind],
        offer_officer=_i64(o_officer), offer_lonlat=np.c_[offers.lon, offers.lat],
        free_offer=free_offer, need_id=need_id, need_secretary=_i64(n_secretary),
        need_lonlat=np.c_[needs.lon, needs.lat], free_need=free_need,
        decile=deciles(depth(needs)) if need_id.size else np.zeros(0, np.int8))


@dataclass(frozen=True)
class NewRows:
    """New proposals of a solution, column by column, quantities in stored units;
    `oi` / `ni` index the Prepared offers and needs."""

    oi: np.ndarray
    ni: np.ndarray
    offer_id: np.ndarray
    need_id: np.ndarray
    quantity: np.ndarray
    parts: np.ndarray  # (rows, len(PARTS))
    distance_km: np.ndarray

    def __len__(self) -> int:
        return int(self.offer_id.size)


def _new(sol: solver.Solution) -> np.ndarray:
    return ~sol.locked.astype(bool) & (sol.quantity > 0)


def rows(prep: Prepared, sol: solver.Solution) -> NewRows:
    """New (not locked) pairs of a solution, quantities back in fen/people, never more than
    what is left of the offer and the need in stored units."""
    new = _new(sol)
    oi = np.searchsorted(prep.offer_id, sol.offer_id[new])
    ni = np.searchsorted(prep.need_id, sol.need_id[new])
    units = sol.quantity[new].astype(np.int64)
    want = np.where(prep.offer_money[oi], units * 100, units).tolist()
    # Clamped in order, as each row takes from what the rows before it left.
    free_o, free_n = prep.free_offer.tolist(), prep.free_need.tolist()
    qty = [0] * len(want)
    for i, (a, b, q) in enumerate(zip(oi.tolist(), ni.tolist(), want, strict=True)):
        x = min(q, free_o[a], free_n[b])
        if x > 0:
            free_o[a] -= x
            free_n[b] -= x
            qty[i] = x
    quantity = np.array(qty, np.int64)
    keep = quantity > 0
    oi, ni = oi[keep], ni[keep]
    a, b = prep.offer_lonlat[oi], prep.need_lonlat[ni]
    km = haversine_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) if oi.size else np.zeros(0)
    return NewRows(oi, ni, prep.offer_id[oi], prep.need_id[ni], quantity[keep],
                   sol.parts[new][keep].astype(np.int64), np.rint(km).astype(np.int64))


def figures(prep: Prepared | None, sol: solver.Solution, bound: int | None = None) -> dict:
    """What the round page shows of one solution (solver or greedy), JSON-ready. The
    greedy baseline has no bound of its own: pass the solver's, so that its gap says how
    far below the best possible it is (it once read 0.00%, as if optimal)."""
    new = _new(sol)
    by_mech: dict[str, int] = {}
    if prep is not None and new.any():
        key = prep.offer_key[np.searchsorted(prep.offer_id, sol.offer_id[new])]
        sums = np.zeros(len(KEYS), np.int64)
        np.add.at(sums, key, sol.quantity[new].astype(np.int64))
        seen = np.bincount(key, minlength=len(KEYS))
        by_mech = {KEYS[i]: int(sums[i]) for i in range(len(KEYS)) if seen[i]}
    st = sol.stats
    bound = st.bound if bound is None else bound
    return {
        "pairs": int(new.sum()),
        "locked": int(sol.locked.sum()),
        "by_mechanism": by_mech,
        "objective": int(st.objective),
        "bound": int(bound),
        "gap": float((bound - st.objective) / bound) if bound > 0 else 0.0,
        "optimal": bool(st.objective >= bound),  # the round page says "proven optimal" instead of a gap
        "engine": st.engine,
        "covered_by_decile": [float(x) for x in st.covered_by_decile],
        "needs_by_decile": [int(x) for x in st.needs_by_decile],
        "seconds": {k: round(float(v), 4) for k, v in st.seconds.items()},
        "time_limit_hit": bool(st.time_limit_hit),
    }
