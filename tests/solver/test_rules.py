"""Locks, exclusions, determinism, fairness and candidate ranking."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from solver_helpers import PLACES, decile_of, instances, slice_of, unit_score

from solver import Instance, Need, Offer, Options, Weights, check, explain, solve
from solver.candidates import build
from solver.score import pair_parts
from solver.solve import prepare

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_locks_kept_forbidden_never_proposed(inst):
    sol = solve(inst, Options(k=3))
    assert check(inst, sol) == []
    pairs = dict(zip(zip(sol.offer_id.tolist(), sol.need_id.tolist(), strict=True), sol.quantity.tolist(), strict=True))
    for o, n, q in inst.locked.tolist():
        assert pairs[(o, n)] == q
    assert not {tuple(p) for p in inst.forbidden.tolist()} & set(pairs)
    assert sol.locked.sum() == len(inst.locked)


@FAST
@given(instances())
def test_deterministic(inst):
    a, b = solve(inst, Options(k=2)), solve(inst, Options(k=2, threads=1))
    for f in ("offer_id", "need_id", "quantity", "parts", "locked"):
        assert np.array_equal(getattr(a, f), getattr(b, f))
    assert a.stats.objective == b.stats.objective


@FAST
@given(instances(limits=False, fixed=False, max_needs=12))
def test_poorest_decile_helped_when_capacity_suffices(inst):
    """If a candidate offer of a poorest-decile need can cover the first slices of all
    poorest-decile needs of its kind, that need gets help (see README: fairness)."""
    w = Weights()
    sol = solve(inst, Options(k=50), w)
    helped = set(sol.need_id.tolist())
    o, n = inst.offers, inst.needs
    poorest = [c for c in range(len(n)) if decile_of(inst, c) == 0 and n.quantity[c] > 0]
    for c in poorest:
        first = sum(slice_of(int(n.quantity[d]), w) for d in poorest if n.kind[d] == n.kind[c])
        if any(o.kind[r] == n.kind[c] and o.quantity[r] >= first for r in range(len(o))):
            assert int(n.id[c]) in helped


@FAST
@given(instances(fixed=False, max_offers=12))
def test_candidates_are_the_k_best(inst):
    w, opt = Weights(), Options(k=2, widen_max=1)
    prep = prepare(inst, w)
    for kind in range(2):
        from solver.taxonomy import KIND_NAMES
        k = KIND_NAMES.index(("investment", "jobs")[kind])
        arcs = build(inst, w, opt, prep.available, prep.demand, prep.excluded, k)
        parts = pair_parts(inst, arcs.oi, arcs.ni, w)
        assert np.array_equal(parts[:, :4].sum(axis=1), arcs.score)
        for c in np.unique(arcs.ni):
            mine = arcs.oi[arcs.ni == c]
            others = [r for r in range(len(inst.offers))
                      if inst.offers.kind[r] == k and prep.available[r] > 0 and r not in mine]
            worst = min(unit_score(inst, r, c, w) for r in mine)
            assert len(mine) == min(2, len(mine) + len(others))
            assert all(unit_score(inst, r, c, w) <= worst for r in others)
            assert all(pair_parts(inst, np.array([r]), np.array([c]), w).sum() == unit_score(inst, r, c, w)
                       for r in mine)


def test_explain_and_proposals():
    lon, lat, prov = PLACES[3]  # Guizhou
    e_lon, e_lat, e_prov = PLACES[2]  # Guangdong: an east-west pair
    inst = Instance.from_rows(
        [Offer(1, 1, "investment", 100, 2, e_lon, e_lat, e_prov, (prov,), "tourism")],
        [Need(7, 70, "investment", 60, "tourism", 0.5, True, lon, lat, prov)],
    )
    sol = solve(inst)
    (p,) = sol.proposals()
    assert (p.offer_id, p.need_id, p.quantity) == (1, 7, 60)
    assert p.parts["east_west"] == 15 and p.parts["preferred"] == 10 and p.parts["sector"] == 10
    assert p.parts["poverty"] == 25 and p.score == sum(p.parts.values())
    assert explain(p.parts)[0].startswith("depth of the village")
    assert sol.stats.covered_by_decile[0] == 1.0
