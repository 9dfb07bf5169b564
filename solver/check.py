"""Independent validator: recomputes every constraint from the instance and a solution.

It shares no code with the model beyond the input types, so a bug in the solver does
not hide itself here.
"""

from __future__ import annotations

from collections import defaultdict

from .types import Instance, Solution


def check(inst: Instance, sol: Solution) -> list[str]:
    """Violations found (empty when the solution respects every quantity, kind,
    village limit, lock and exclusion)."""
    errors: list[str] = []
    o, n = inst.offers, inst.needs
    orow = {int(i): r for r, i in enumerate(o.id.tolist())}
    nrow = {int(i): r for r, i in enumerate(n.id.tolist())}
    given: dict[int, int] = defaultdict(int)
    got: dict[int, int] = defaultdict(int)
    villages: dict[int, set[int]] = defaultdict(set)
    pairs: dict[tuple[int, int], int] = {}
    for oid, nid, q in zip(sol.offer_id.tolist(), sol.need_id.tolist(), sol.quantity.tolist(), strict=True):
        if oid not in orow or nid not in nrow:
            errors.append(f"pair ({oid}, {nid}): unknown offer or need")
            continue
        if q <= 0:
            errors.append(f"pair ({oid}, {nid}): quantity {q} is not positive")
        if (oid, nid) in pairs:
            errors.append(f"pair ({oid}, {nid}): proposed twice")
        pairs[(oid, nid)] = q
        if o.kind[orow[oid]] != n.kind[nrow[nid]]:
            errors.append(f"pair ({oid}, {nid}): kinds differ")
        given[oid] += q
        got[nid] += q
        villages[oid].add(int(n.village[nrow[nid]]))
    held = {int(a): int(b) for a, b in inst.held.tolist()}
    for oid, q in given.items():
        r = orow[oid]
        if q + held.get(oid, 0) > o.quantity[r]:
            errors.append(f"offer {oid}: gives {q} + held {held.get(oid, 0)} > quantity {int(o.quantity[r])}")
        if len(villages[oid]) > o.max_villages[r]:
            errors.append(f"offer {oid}: serves {len(villages[oid])} villages > limit {int(o.max_villages[r])}")
    for nid, q in got.items():
        if q > n.quantity[nrow[nid]]:
            errors.append(f"need {nid}: gets {q} > quantity {int(n.quantity[nrow[nid]])}")
    for oid, nid, q in inst.locked.tolist():
        if pairs.get((oid, nid)) != q:
            errors.append(f"locked pair ({oid}, {nid}): quantity {pairs.get((oid, nid))} instead of {q}")
    for oid, nid in inst.forbidden.tolist():
        if (oid, nid) in pairs:
            errors.append(f"forbidden pair ({oid}, {nid}) proposed")
    return errors
