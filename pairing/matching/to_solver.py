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
from sqlalchemy import select
from sqlalchemy.orm import Session

import solver
from solver.geo import haversine_km
from solver.score import deciles, depth
from solver.taxonomy import KINDS

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


def _key(kind: str) -> int:
    return KEYS.index(f"{mechanism(kind)}:{'yuan' if is_money(kind) else 'people'}")


def _offer_rows(session: Session) -> list:
    return list(session.execute(
        select(Offer.id, Offer.enterprise_id, Offer.kind, Offer.quantity, Offer.paired_quantity,
               Offer.max_villages, Offer.provinces, Enterprise.sector, Enterprise.officer_id,
               County.lon, County.lat, County.province_code)
        .select_from(Offer).join(Enterprise, Offer.enterprise_id == Enterprise.id)
        .join(County, County.code == Enterprise.county_code)
        .where(offer_is_public()).order_by(Offer.id)))


def _need_rows(session: Session, province: str | None) -> list:
    q = (select(Need.id, Need.village_id, Need.kind, Need.quantity, Need.sector,
                Village.population, Village.poor_population, Village.deep_poverty,
                Village.secretary_id, County.lon, County.lat, County.province_code)
         .select_from(Need).join(Village, Need.village_id == Village.id)
         .join(County, County.code == Village.county_code).where(Need.public))
    if province:
        q = q.where(Village.county_code.startswith(province))
    return list(session.execute(q.order_by(Need.id)))


def prepare(session: Session, rnd: Round) -> Prepared:
    """Open offers and needs of the round's scope with locks, exclusions and held capacity."""
    offers, needs = _offer_rows(session), _need_rows(session, rnd.province_code)
    offer_kind = {o.id: o.kind for o in offers}
    need_ids = {n.id for n in needs}

    used_need: dict[int, int] = defaultdict(int)
    locked: dict[tuple[int, int], int] = defaultdict(int)
    for o_id, n_id, status, qty, delivered in session.execute(select(
            Pairing.offer_id, Pairing.need_id, Pairing.status, Pairing.quantity,
            Pairing.delivered_quantity)):
        c = delivered if status == "lapsed" else qty  # as committed()
        used_need[n_id] += c
        if o_id in offer_kind and n_id in need_ids and c > 0:
            locked[(o_id, n_id)] += c
    held_offer: dict[int, int] = defaultdict(int)
    pending_pairs: set[tuple[int, int]] = set()
    for o_id, n_id, qty in session.execute(select(
            Proposal.offer_id, Proposal.need_id, Proposal.quantity).where(Proposal.status == "pending")):
        held_offer[o_id] += qty
        used_need[n_id] += qty
        pending_pairs.add((o_id, n_id))
    declined = set(session.execute(
        select(Proposal.offer_id, Proposal.need_id).where(Proposal.status == "declined")).all())

    free_offer = [max(0, o.quantity - o.paired_quantity - held_offer[o.id]) for o in offers]
    free_need = [max(0, n.quantity - used_need[n.id]) for n in needs]
    lock_units = {k: u for k, q in locked.items() if (u := to_units(offer_kind[k[0]], q)) > 0}
    lock_by_offer: dict[int, int] = defaultdict(int)
    lock_by_need: dict[int, int] = defaultdict(int)
    for (o_id, n_id), u in lock_units.items():
        lock_by_offer[o_id] += u
        lock_by_need[n_id] += u

    rows_o, held = [], {}
    for o, free_fen in zip(offers, free_offer, strict=True):
        total = to_units(o.kind, free_fen) + lock_by_offer[o.id]
        # Capacity = locked + free; whatever else the offer has is held.
        cap = max(total, to_units(o.kind, o.quantity))
        if cap - total > 0:
            held[o.id] = cap - total
        rows_o.append(solver.Offer(
            id=o.id, enterprise=o.enterprise_id, kind=o.kind, quantity=cap,
            max_villages=o.max_villages, lon=o.lon, lat=o.lat, province=o.province_code,
            preferred_provinces=tuple(c for c in o.provinces.split(",") if c),
            sector=o.sector or None))
    rows_n = [solver.Need(
        id=n.id, village=n.village_id, kind=n.kind,
        quantity=lock_by_need[n.id] + to_units(n.kind, free_fen), sector=n.sector or None,
        poverty_incidence=min(1.0, n.poor_population / n.population) if n.population > 0 else 0.0,
        deep_poverty=n.deep_poverty, lon=n.lon, lat=n.lat, province=n.province_code)
        for n, free_fen in zip(needs, free_need, strict=True)]
    forbidden = {(a, b) for a, b in declined | pending_pairs
                 if a in offer_kind and b in need_ids and (a, b) not in lock_units}
    pairs = [(e, w) for e, w in session.execute(
        select(EastWestPair.east_code, EastWestPair.west_code)).all()]
    inst = solver.Instance.from_rows(
        rows_o, rows_n, locked=[(a, b, u) for (a, b), u in sorted(lock_units.items())],
        forbidden=sorted(forbidden), held=held, east_west=pairs)
    user = lambda uid: NO_USER if uid is None else uid  # noqa: E731
    return Prepared(
        instance=inst,
        offer_id=np.array([o.id for o in offers], np.int64),
        offer_money=np.array([is_money(o.kind) for o in offers], bool),
        offer_key=np.array([_key(o.kind) for o in offers], np.int64),
        offer_officer=np.array([user(o.officer_id) for o in offers], np.int64),
        offer_lonlat=np.array([(o.lon, o.lat) for o in offers], np.float64).reshape(-1, 2),
        free_offer=np.array(free_offer, np.int64),
        need_id=np.array([n.id for n in needs], np.int64),
        need_secretary=np.array([user(n.secretary_id) for n in needs], np.int64),
        need_lonlat=np.array([(n.lon, n.lat) for n in needs], np.float64).reshape(-1, 2),
        free_need=np.array(free_need, np.int64),
        decile=deciles(depth(inst.needs)) if needs else np.zeros(0, np.int8))


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
        "covered_by_decile": [float(x) for x in st.covered_by_decile],
        "needs_by_decile": [int(x) for x in st.needs_by_decile],
        "seconds": {k: round(float(v), 4) for k, v in st.seconds.items()},
        "time_limit_hit": bool(st.time_limit_hit),
    }
