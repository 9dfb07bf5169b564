"""Typed inputs and outputs of the solver.

Rows (Offer, Need) are what the site builds; the solver works on columnar numpy tables
(OfferTable, NeedTable) so national instances (300k+ rows) stay fast. Province fields are
2-digit codes ("11" .. "65") in rows and small ints in tables; kinds are indices into
taxonomy.KIND_NAMES; sectors are indices into Instance.sectors (-1: none).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .taxonomy import KIND_NAMES

PARTS: tuple[str, ...] = ("distance", "east_west", "preferred", "sector", "poverty")


@dataclass(frozen=True)
class Offer:
    id: int
    enterprise: int
    kind: str
    quantity: int
    max_villages: int
    lon: float
    lat: float
    province: str
    preferred_provinces: tuple[str, ...] = ()
    sector: str | None = None


@dataclass(frozen=True)
class Need:
    id: int
    village: int
    kind: str
    quantity: int
    sector: str | None
    poverty_incidence: float
    deep_poverty: bool
    lon: float
    lat: float
    province: str


@dataclass(frozen=True)
class Weights:
    """Points of each score part (per unit of help) and of the fairness slice.

    Unit score = distance * exp(-km / distance_km) + east_west + preferred + sector
    + poverty * depth, each part rounded to an integer: 0..100 with the defaults.
    The first `slice_share` of each need's quantity (at least one unit) earns a further
    bonus: `slice_bonus` in the poorest decile, `slice_step * (10 - decile)` in the others.
    With slice_bonus > max unit score and slice_bonus - 9 * slice_step > the non-poverty
    parts, a poorest-decile need always gets help when one of its candidate offers has
    capacity for the first slices of all poorest-decile needs listing it (see README).
    """

    distance: int = 40
    distance_km: float = 600.0
    east_west: int = 15
    preferred: int = 10
    sector: int = 10
    poverty: int = 25
    slice_share: float = 0.1
    slice_bonus: int = 101
    slice_step: int = 2

    def max_unit_score(self) -> int:
        return self.distance + self.east_west + self.preferred + self.sector + self.poverty


@dataclass(frozen=True)
class Options:
    k: int = 30
    time_limit_s: float | None = None
    threads: int = 2  # workers: threads for candidates, processes for large flows
    processes: bool | None = None  # None: worker processes when the instance is large
    widen_max: int = 4  # groups of many needs get up to widen_max * k candidates
    max_rounds: int = 12  # cardinality repair re-solves per kind
    consolidate: int = 20  # consolidating re-solves of each kind's flow before the repair
    exact: bool | None = None  # the exact MILP stage (exact.py); None: when offers + needs <= exact_rows
    exact_rows: int = 3_000
    exact_seconds: float = 5.0  # the exact stage's time, all kinds together (within time_limit_s)


@dataclass(frozen=True)
class OfferTable:
    id: np.ndarray  # int64
    enterprise: np.ndarray  # int64
    kind: np.ndarray  # int8, index into KIND_NAMES
    quantity: np.ndarray  # int64
    max_villages: np.ndarray  # int64
    lon: np.ndarray  # float64
    lat: np.ndarray  # float64
    province: np.ndarray  # int16, e.g. 11
    sector: np.ndarray  # int32, index into Instance.sectors, -1 none
    pref_ptr: np.ndarray  # int64 CSR pointers, len n + 1
    pref_province: np.ndarray  # int16

    def __len__(self) -> int:
        return len(self.id)


@dataclass(frozen=True)
class NeedTable:
    id: np.ndarray
    village: np.ndarray
    kind: np.ndarray
    quantity: np.ndarray
    sector: np.ndarray
    poverty_incidence: np.ndarray  # float64 0..1
    deep_poverty: np.ndarray  # bool
    lon: np.ndarray
    lat: np.ndarray
    province: np.ndarray

    def __len__(self) -> int:
        return len(self.id)


def _empty_pairs(cols: int) -> np.ndarray:
    return np.zeros((0, cols), dtype=np.int64)


@dataclass(frozen=True)
class Instance:
    """A round: offers, needs, fixed decisions and the cooperation pairs.

    locked: (offer_id, need_id, quantity) rows, kept as they are; forbidden:
    (offer_id, need_id) rows, never proposed; held: (offer_id, quantity) rows of capacity
    held by pending proposals; east_west: (east, west) province code pairs.
    """

    offers: OfferTable
    needs: NeedTable
    sectors: tuple[str, ...] = ()
    locked: np.ndarray = field(default_factory=lambda: _empty_pairs(3))
    forbidden: np.ndarray = field(default_factory=lambda: _empty_pairs(2))
    held: np.ndarray = field(default_factory=lambda: _empty_pairs(2))
    east_west: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def from_rows(
        offers: Sequence[Offer],
        needs: Sequence[Need],
        locked: Iterable[tuple[int, int, int]] = (),
        forbidden: Iterable[tuple[int, int]] = (),
        held: dict[int, int] | None = None,
        east_west: Iterable[tuple[str, str]] | None = None,
    ) -> Instance:
        """Build from row dataclasses. Unknown kinds and bad province codes raise
        ValueError naming the row and field; the rest is checked by validate()."""
        from .geo import east_west_pairs

        sectors = sorted({o.sector for o in offers if o.sector} | {n.sector for n in needs if n.sector})
        sec = {s: i for i, s in enumerate(sectors)}

        def kind(rows: str, i: int, k: str) -> int:
            if k not in KIND_NAMES:
                raise ValueError(f"{rows} row {i}: field kind: unknown kind {k!r}")
            return KIND_NAMES.index(k)

        def prov(rows: str, i: int, name: str, p: str) -> int:
            if not (isinstance(p, str) and len(p) == 2 and p.isdigit()):
                raise ValueError(f"{rows} row {i}: field {name}: not a 2-digit province code: {p!r}")
            return int(p)

        ptr = np.zeros(len(offers) + 1, dtype=np.int64)
        pref: list[int] = []
        for i, o in enumerate(offers):
            pref.extend(prov("offer", i, "preferred_provinces", p) for p in o.preferred_provinces)
            ptr[i + 1] = len(pref)
        ot = OfferTable(
            id=np.array([o.id for o in offers], dtype=np.int64),
            enterprise=np.array([o.enterprise for o in offers], dtype=np.int64),
            kind=np.array([kind("offer", i, o.kind) for i, o in enumerate(offers)], dtype=np.int8),
            quantity=np.array([o.quantity for o in offers], dtype=np.int64),
            max_villages=np.array([o.max_villages for o in offers], dtype=np.int64),
            lon=np.array([o.lon for o in offers], dtype=np.float64),
            lat=np.array([o.lat for o in offers], dtype=np.float64),
            province=np.array([prov("offer", i, "province", o.province) for i, o in enumerate(offers)], dtype=np.int16),
            sector=np.array([sec[o.sector] if o.sector else -1 for o in offers], dtype=np.int32),
            pref_ptr=ptr,
            pref_province=np.array(pref, dtype=np.int16),
        )
        nt = NeedTable(
            id=np.array([n.id for n in needs], dtype=np.int64),
            village=np.array([n.village for n in needs], dtype=np.int64),
            kind=np.array([kind("need", i, n.kind) for i, n in enumerate(needs)], dtype=np.int8),
            quantity=np.array([n.quantity for n in needs], dtype=np.int64),
            sector=np.array([sec[n.sector] if n.sector else -1 for n in needs], dtype=np.int32),
            poverty_incidence=np.array([n.poverty_incidence for n in needs], dtype=np.float64),
            deep_poverty=np.array([bool(n.deep_poverty) for n in needs], dtype=bool),
            lon=np.array([n.lon for n in needs], dtype=np.float64),
            lat=np.array([n.lat for n in needs], dtype=np.float64),
            province=np.array([prov("need", i, "province", n.province) for i, n in enumerate(needs)], dtype=np.int16),
        )
        return Instance(
            offers=ot,
            needs=nt,
            sectors=tuple(sectors),
            locked=np.array(list(locked), dtype=np.int64).reshape(-1, 3),
            forbidden=np.array(list(forbidden), dtype=np.int64).reshape(-1, 2),
            held=np.array(sorted((held or {}).items()), dtype=np.int64).reshape(-1, 2),
            east_west=tuple(east_west) if east_west is not None else east_west_pairs(),
        )


@dataclass(frozen=True)
class Proposal:
    offer_id: int
    need_id: int
    quantity: int
    score: int  # unit score: the sum of parts
    parts: dict[str, int]
    locked: bool = False


@dataclass(frozen=True)
class Stats:
    objective: int  # sum of quantity * unit score plus the fairness-slice bonuses
    bound: int  # no answer within the limits can beat it: the Lagrangian bound (bound.py) or flow_bound
    gap: float  # (bound - objective) / bound, 0 when bound <= 0
    covered_by_decile: tuple[float, ...]  # share of needs with any help, poorest decile first
    needs_by_decile: tuple[int, ...]
    seconds: dict[str, float]  # by stage
    peak_mb: dict[str, float]  # peak resident memory during each stage
    arcs: int
    rounds: int  # flow solves beyond the first, summed over kinds
    time_limit_hit: bool
    flow_bound: int = 0  # the flow optimum without village limits (>= bound), which the gap goal names
    exact: bool = False  # the exact stage (exact.py: the MILP, or the plain flow where no limit binds) ran on a kind
    engine: str = ""  # the flow engine of solve(): "lemon" (pylmcf) or "ortools" (when pylmcf cannot be imported)

    @property
    def optimal(self) -> bool:
        """Proven optimal: the answer reaches the bound."""
        return self.objective >= self.bound

    @property
    def flow_gap(self) -> float:
        """(flow_bound - objective) / flow_bound: the gap to the plain flow bound."""
        return (self.flow_bound - self.objective) / self.flow_bound if self.flow_bound > 0 else 0.0


@dataclass(frozen=True)
class Solution:
    """Columnar result (arrays aligned row by row); proposals() gives dataclass rows."""

    offer_id: np.ndarray
    need_id: np.ndarray
    quantity: np.ndarray
    parts: np.ndarray  # int16 (rows, len(PARTS))
    locked: np.ndarray  # bool
    stats: Stats

    @property
    def score(self) -> np.ndarray:
        return self.parts.sum(axis=1, dtype=np.int64)

    def proposals(self) -> list[Proposal]:
        score = self.score
        return [
            Proposal(
                int(self.offer_id[i]), int(self.need_id[i]), int(self.quantity[i]), int(score[i]),
                dict(zip(PARTS, map(int, self.parts[i]), strict=True)), bool(self.locked[i]),
            )
            for i in range(len(self.offer_id))
        ]
