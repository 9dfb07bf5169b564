"""Input validation: every error is a ValueError naming the row and the field."""

from __future__ import annotations

import numpy as np

from .geo import LAT_RANGE, LON_RANGE
from .taxonomy import KIND_NAMES, PROVINCES
from .types import Instance

_PROVINCE_CODES = np.array(sorted(int(p) for p in PROVINCES), dtype=np.int16)


def _fail(table: str, row: int, ids: np.ndarray | None, field: str, what: str) -> None:
    ident = f" (id {int(ids[row])})" if ids is not None and len(ids) > row else ""
    raise ValueError(f"{table} row {row}{ident}: field {field}: {what}")


def _first(mask: np.ndarray) -> int | None:
    bad = np.flatnonzero(mask)
    return int(bad[0]) if bad.size else None


def _check_rows(table: str, t, ids: np.ndarray) -> None:
    n = len(ids)
    for name in t.__dataclass_fields__:
        arr = getattr(t, name)
        if name not in ("pref_ptr", "pref_province") and len(arr) != n:
            raise ValueError(f"{table} table: field {name}: {len(arr)} values for {n} rows")
    if (r := _first(t.quantity < 0)) is not None:
        _fail(table, r, ids, "quantity", f"negative ({int(t.quantity[r])})")
    if (r := _first((t.kind < 0) | (t.kind >= len(KIND_NAMES)))) is not None:
        _fail(table, r, ids, "kind", f"unknown kind index {int(t.kind[r])}")
    for name, (lo, hi) in (("lon", LON_RANGE), ("lat", LAT_RANGE)):
        v = getattr(t, name)
        if (r := _first(~np.isfinite(v) | (v < lo) | (v > hi))) is not None:
            _fail(table, r, ids, name, f"{v[r]} is NaN or outside China")
    if (r := _first(~np.isin(t.province, _PROVINCE_CODES))) is not None:
        _fail(table, r, ids, "province", f"unknown province code {int(t.province[r])}")
    order = np.argsort(ids, kind="stable")
    dup = order[1:][ids[order][1:] == ids[order][:-1]]
    if dup.size:
        _fail(table, int(dup.min()), ids, "id", "duplicate id")


def validate(inst: Instance) -> None:
    """Raise ValueError on the first bad row; return None when the instance is sound."""
    o, n = inst.offers, inst.needs
    _check_rows("offer", o, o.id)
    _check_rows("need", n, n.id)
    if (r := _first(o.max_villages < 1)) is not None:
        _fail("offer", r, o.id, "max_villages", f"must be at least 1 ({int(o.max_villages[r])})")
    if len(o.pref_ptr) != len(o) + 1 or o.pref_ptr[-1] != len(o.pref_province):
        raise ValueError("offer table: field preferred_provinces: bad CSR pointers")
    bad = ~np.isin(o.pref_province, _PROVINCE_CODES)
    if bad.any():
        r = int(np.searchsorted(o.pref_ptr, np.flatnonzero(bad)[0], side="right") - 1)
        _fail("offer", r, o.id, "preferred_provinces", "unknown province code")
    ns = len(inst.sectors)
    for table, t in (("offer", o), ("need", n)):
        if (r := _first((t.sector < -1) | (t.sector >= ns))) is not None:
            _fail(table, r, t.id, "sector", f"unknown sector index {int(t.sector[r])}")
    pi = n.poverty_incidence
    if (r := _first(~np.isfinite(pi) | (pi < 0) | (pi > 1))) is not None:
        _fail("need", r, n.id, "poverty_incidence", f"{pi[r]} is not within 0..1")
    for e, w in inst.east_west:
        for p in (e, w):
            if p not in PROVINCES:
                raise ValueError(f"east_west pair ({e}, {w}): field province: unknown code {p!r}")
    _check_pairs(inst)


def _index(ids: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Row index of each query id in ids, -1 when absent."""
    order = np.argsort(ids, kind="stable")
    pos = np.searchsorted(ids[order], query).clip(0, max(len(ids) - 1, 0))
    found = len(ids) > 0
    hit = (ids[order][pos] == query) if found else np.zeros(len(query), bool)
    return np.where(hit, order[pos] if found else -1, -1)


def _check_pairs(inst: Instance) -> None:
    o, n = inst.offers, inst.needs
    lk, fb, hd = inst.locked, inst.forbidden, inst.held
    for name, arr, cols in (("locked", lk, 3), ("forbidden", fb, 2), ("held", hd, 2)):
        if arr.ndim != 2 or arr.shape[1] != cols:
            raise ValueError(f"{name} rows: expected {cols} columns")
    for name, arr, cols in (("locked", lk, (0, 1)), ("forbidden", fb, (0, 1)), ("held", hd, (0,))):
        for c in cols:
            idx = _index(o.id if c == 0 else n.id, arr[:, c])
            if (r := _first(idx < 0)) is not None:
                field = "offer_id" if c == 0 else "need_id"
                raise ValueError(f"{name} row {r}: field {field}: unknown id {int(arr[r, c])}")
    if (r := _first(hd[:, 1] < 0)) is not None:
        raise ValueError(f"held row {r}: field quantity: negative ({int(hd[r, 1])})")
    if (r := _first(lk[:, 2] <= 0)) is not None:
        raise ValueError(f"locked row {r}: field quantity: must be positive ({int(lk[r, 2])})")
    oi, ni = _index(o.id, lk[:, 0]), _index(n.id, lk[:, 1])
    if (r := _first(o.kind[oi] != n.kind[ni])) is not None:
        raise ValueError(f"locked row {r}: field kind: offer and need kinds differ")
    lock_pairs = {(int(a), int(b)) for a, b in lk[:, :2]}
    if len(lock_pairs) != len(lk):
        seen: set[tuple[int, int]] = set()
        for r, (a, b) in enumerate(lk[:, :2].tolist()):
            if (a, b) in seen:
                raise ValueError(f"locked row {r}: field need_id: pair ({a}, {b}) locked twice")
            seen.add((a, b))
    for r, (a, b) in enumerate(fb.tolist()):
        if (a, b) in lock_pairs:
            raise ValueError(f"forbidden row {r}: field need_id: pair ({a}, {b}) is also locked")
    used = np.zeros(len(o), np.int64)
    np.add.at(used, oi, lk[:, 2])
    np.add.at(used, _index(o.id, hd[:, 0]), hd[:, 1])
    if (r := _first(used > o.quantity)) is not None:
        _fail("offer", r, o.id, "quantity", f"locked and held {int(used[r])} exceed {int(o.quantity[r])}")
    got = np.zeros(len(n), np.int64)
    np.add.at(got, ni, lk[:, 2])
    if (r := _first(got > n.quantity)) is not None:
        _fail("need", r, n.id, "quantity", f"locked {int(got[r])} exceed {int(n.quantity[r])}")
    villages = np.unique(np.stack([oi, n.village[ni]], axis=1), axis=0) if len(lk) else np.zeros((0, 2), np.int64)
    count = np.bincount(villages[:, 0], minlength=len(o)) if len(villages) else np.zeros(len(o), np.int64)
    if (r := _first(count > o.max_villages)) is not None:
        _fail("offer", r, o.id, "max_villages", f"{int(count[r])} villages locked")
