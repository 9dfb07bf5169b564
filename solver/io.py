"""Compact files: instances and solutions as .npz (columnar, loads in well under a second)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np

from .types import Instance, NeedTable, OfferTable, Solution, Stats


def save_instance(inst: Instance, path: str | Path) -> None:
    """Writes exactly `path` (numpy's savez would add ".npz" to a name without it, and
    `solve` given the same name would then not find it)."""
    arrays = {f"o_{k}": v for k, v in dataclasses.asdict(inst.offers).items()}
    arrays |= {f"n_{k}": v for k, v in dataclasses.asdict(inst.needs).items()}
    with open(path, "wb") as f:
        np.savez_compressed(
            f, **arrays, sectors=np.array(inst.sectors, dtype=str), locked=inst.locked,
            forbidden=inst.forbidden, held=inst.held, east_west=np.array(inst.east_west, dtype=str).reshape(-1, 2),
        )


def load_instance(path: str | Path) -> Instance:
    with np.load(path, allow_pickle=False) as z:
        offers = OfferTable(**{f.name: z[f"o_{f.name}"] for f in dataclasses.fields(OfferTable)})
        needs = NeedTable(**{f.name: z[f"n_{f.name}"] for f in dataclasses.fields(NeedTable)})
        return Instance(
            offers, needs, tuple(str(s) for s in z["sectors"]), z["locked"].reshape(-1, 3),
            z["forbidden"].reshape(-1, 2), z["held"].reshape(-1, 2),
            tuple((str(a), str(b)) for a, b in z["east_west"]),
        )


def save_solution(sol: Solution, path: str | Path) -> None:
    """Writes exactly `path`, like save_instance."""
    with open(path, "wb") as f:
        np.savez_compressed(
            f, offer_id=sol.offer_id, need_id=sol.need_id, quantity=sol.quantity, parts=sol.parts,
            locked=sol.locked, stats=np.array(json.dumps(dataclasses.asdict(sol.stats))),
        )


def load_solution(path: str | Path) -> Solution:
    with np.load(path, allow_pickle=False) as z:
        raw = json.loads(str(z["stats"]))
        stats = Stats(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
        return Solution(z["offer_id"], z["need_id"], z["quantity"], z["parts"], z["locked"], stats)
