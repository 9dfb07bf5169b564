"""The one place that turns rows into solver input and a solution back into rows.

The site stores money in fen, the solver works in whole yuan: fen go in floored, yuan
come out times 100. Capacity the solver must not touch (pairings, pending proposals) is
expressed in yuan so that what it may give never exceeds what is left in fen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

import solver
from solver.geo import haversine_km
from solver.score import deciles, depth

from ..enterprises.kinds import is_money
from ..enterprises.models import Enterprise, Offer
from ..enterprises.services import public_offers
from ..needs.models import Need
from ..needs.services import public_needs
from ..places.models import County, EastWestPair, Village
from .models import Pairing, Proposal, Round


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
    """A solver instance plus what is needed to turn its answer back into rows."""

    instance: solver.Instance
    offers: dict[int, Offer]
    needs: dict[int, Need]
    free_offer: dict[int, int]  # fen/people left for new proposals
    free_need: dict[int, int]
    decile: dict[int, int] = field(default_factory=dict)  # need id -> poverty decile


def _point(county: County) -> tuple[float, float, str]:
    return county.lon, county.lat, county.province_code


def prepare(session: Session, rnd: Round) -> Prepared:
    """Open offers and needs of the round's scope with locks, exclusions and held capacity."""
    offers = list(session.scalars(public_offers().options(
        joinedload(Offer.enterprise).joinedload(Enterprise.county))))
    nq = public_needs().options(joinedload(Need.village).joinedload(Village.county))
    if rnd.province_code:
        nq = nq.where(Village.county_code.startswith(rnd.province_code))
    needs = list(session.scalars(nq))
    by_offer = {o.id: o for o in offers}
    by_need = {n.id: n for n in needs}

    used_offer: dict[int, int] = defaultdict(int)
    used_need: dict[int, int] = defaultdict(int)
    locked: dict[tuple[int, int], int] = defaultdict(int)
    for p in session.scalars(select(Pairing)):
        c = committed(p)
        used_need[p.need_id] += c
        if p.offer_id in by_offer and p.need_id in by_need and c > 0:
            locked[(p.offer_id, p.need_id)] += c
    held_offer: dict[int, int] = defaultdict(int)
    pending_pairs: set[tuple[int, int]] = set()
    for pr in session.scalars(select(Proposal).where(Proposal.status == "pending")):
        held_offer[pr.offer_id] += pr.quantity
        used_need[pr.need_id] += pr.quantity
        pending_pairs.add((pr.offer_id, pr.need_id))
    for o in offers:
        used_offer[o.id] = o.paired_quantity
    declined = set(session.execute(
        select(Proposal.offer_id, Proposal.need_id).where(Proposal.status == "declined")).all())

    free_offer = {o.id: max(0, o.quantity - used_offer[o.id] - held_offer[o.id]) for o in offers}
    free_need = {n.id: max(0, n.quantity - used_need[n.id]) for n in needs}
    lock_units = {k: to_units(by_offer[k[0]].kind, q) for k, q in locked.items()}
    lock_units = {k: u for k, u in lock_units.items() if u > 0}
    lock_by_offer: dict[int, int] = defaultdict(int)
    lock_by_need: dict[int, int] = defaultdict(int)
    for (o_id, n_id), u in lock_units.items():
        lock_by_offer[o_id] += u
        lock_by_need[n_id] += u

    rows_o, held = [], {}
    for o in offers:
        lon, lat, prov = _point(o.enterprise.county)
        free = to_units(o.kind, free_offer[o.id])
        total = free + lock_by_offer[o.id]
        # Capacity = locked + free; whatever else the offer has is held.
        cap = max(total, to_units(o.kind, o.quantity))
        if cap - total > 0:
            held[o.id] = cap - total
        rows_o.append(solver.Offer(
            id=o.id, enterprise=o.enterprise_id, kind=o.kind, quantity=cap,
            max_villages=o.max_villages, lon=lon, lat=lat, province=prov,
            preferred_provinces=tuple(o.province_codes), sector=o.enterprise.sector or None))
    rows_n = []
    for n in needs:
        lon, lat, prov = _point(n.village.county)
        v = n.village
        rows_n.append(solver.Need(
            id=n.id, village=n.village_id, kind=n.kind,
            quantity=lock_by_need[n.id] + to_units(n.kind, free_need[n.id]),
            sector=n.sector or None, poverty_incidence=v.poverty_incidence,
            deep_poverty=v.deep_poverty, lon=lon, lat=lat, province=prov))
    forbidden = {(a, b) for a, b in declined | pending_pairs
                 if a in by_offer and b in by_need and (a, b) not in lock_units}
    pairs = [(e, w) for e, w in session.execute(
        select(EastWestPair.east_code, EastWestPair.west_code)).all()]
    inst = solver.Instance.from_rows(
        rows_o, rows_n, locked=[(a, b, u) for (a, b), u in sorted(lock_units.items())],
        forbidden=sorted(forbidden), held=held, east_west=pairs)
    dec = deciles(depth(inst.needs)) if len(needs) else np.zeros(0, np.int8)
    return Prepared(inst, by_offer, by_need, free_offer, free_need,
                    {int(i): int(d) for i, d in zip(inst.needs.id, dec, strict=True)})


@dataclass(frozen=True)
class Row:
    """A new proposal, in stored units."""

    offer_id: int
    need_id: int
    quantity: int
    score: int
    parts: dict[str, int]
    distance_km: int


def rows(prep: Prepared, sol: solver.Solution) -> list[Row]:
    """New (not locked) pairs of a solution, quantities back in fen/people, never more than
    what is left of the offer and the need in stored units."""
    out: list[Row] = []
    free_o, free_n = dict(prep.free_offer), dict(prep.free_need)
    for p in sol.proposals():
        if p.locked or p.quantity <= 0:
            continue
        offer, need = prep.offers[p.offer_id], prep.needs[p.need_id]
        qty = min(from_units(offer.kind, p.quantity), free_o[offer.id], free_n[need.id])
        if qty <= 0:
            continue
        free_o[offer.id] -= qty
        free_n[need.id] -= qty
        a, b = offer.enterprise.county, need.village.county
        km = float(haversine_km(np.array([a.lon]), np.array([a.lat]),
                                np.array([b.lon]), np.array([b.lat]))[0])
        out.append(Row(offer.id, need.id, qty, p.score, dict(p.parts), round(km)))
    return out


def figures(prep: Prepared, sol: solver.Solution, bound: int | None = None) -> dict:
    """What the round page shows of one solution (solver or greedy), JSON-ready. The
    greedy baseline has no bound of its own: pass the solver's, so that its gap says how
    far below the best possible it is (it once read 0.00%, as if optimal)."""
    from ..enterprises.kinds import mechanism

    new = [p for p in sol.proposals() if not p.locked and p.quantity > 0]
    by_mech: dict[str, int] = defaultdict(int)
    for p in new:
        kind = prep.offers[p.offer_id].kind
        by_mech[f"{mechanism(kind)}:{'yuan' if is_money(kind) else 'people'}"] += p.quantity
    st = sol.stats
    bound = st.bound if bound is None else bound
    return {
        "pairs": len(new),
        "locked": int(sol.locked.sum()),
        "by_mechanism": dict(by_mech),
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
