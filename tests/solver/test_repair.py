"""Village-limit repair: rerouting, worker processes, and the synthetic limits."""

from __future__ import annotations

import numpy as np
import pytest
from solver_helpers import PLACES

from solver import Instance, Need, Offer, Options, check, solve
from solver.synth import synth

TIANJIN, BEIJING = PLACES[7], PLACES[0]


def _need(nid: int, village: int, place: tuple[float, float, str]) -> Need:
    lon, lat, prov = place
    return Need(id=nid, village=village, kind="investment", quantity=10, sector=None, poverty_incidence=0.3,
                deep_poverty=False, lon=lon, lat=lat, province=prov)


def test_rerouting_fills_what_a_dropped_village_strands():
    """Offer 1 (one village) is best for all three needs; offer 2 (ten units, any
    villages) is needed too. The flow spreads offer 1 over both villages; once it keeps
    village 1, the repair must move offer 2 off village 1 to village 2 and let offer 1
    take all of village 1: 30 units, the bound itself (the earlier repair stopped at 29)."""
    offers = [Offer(id=i, enterprise=i, kind="investment", quantity=q, max_villages=limit, lon=TIANJIN[0],
                    lat=TIANJIN[1], province=TIANJIN[2]) for i, q, limit in ((1, 20, 1), (2, 10, 5))]
    needs = [_need(10, 1, TIANJIN), _need(11, 1, TIANJIN), _need(20, 2, BEIJING)]
    inst = Instance.from_rows(offers, needs)
    sol = solve(inst, Options(k=5))
    assert check(inst, sol) == []
    assert sol.quantity.sum() == 30
    assert sol.stats.objective == sol.stats.bound and sol.stats.gap == 0
    by_offer = {(o, n) for o, n in zip(sol.offer_id.tolist(), sol.need_id.tolist(), strict=True)}
    assert by_offer == {(1, 10), (1, 11), (2, 20)}


def test_worker_processes_give_the_same_answer_as_threads():
    inst = synth(300, 400, seed=3)
    a = solve(inst, Options(threads=2, processes=True))
    b = solve(inst, Options(threads=1))
    assert check(inst, a) == []
    for f in ("offer_id", "need_id", "quantity", "parts", "locked"):
        assert np.array_equal(getattr(a, f), getattr(b, f))
    assert (a.stats.objective, a.stats.bound, a.stats.rounds) == (b.stats.objective, b.stats.bound, b.stats.rounds)


def test_synthetic_limits_follow_the_budget_or_not():
    budget, independent = synth(2000, 2000, seed=4), synth(2000, 2000, seed=4, limits="independent")
    for f in ("id", "kind", "quantity", "lon", "lat", "sector"):
        assert np.array_equal(getattr(budget.offers, f), getattr(independent.offers, f))
    assert np.array_equal(budget.needs.quantity, independent.needs.quantity)
    lim, q = budget.offers.max_villages, budget.offers.quantity
    assert lim.min() >= 1 and lim.max() <= 50 and np.mean(lim <= 10) > 0.7
    # Within a kind, larger offers serve more villages when limits follow the budget.
    inv = budget.offers.kind == 0
    assert np.corrcoef(np.log(q[inv]), np.log(lim[inv]))[0, 1] > 0.8
    assert abs(np.corrcoef(np.log(q[inv]), np.log(independent.offers.max_villages[inv]))[0, 1]) < 0.1
    with pytest.raises(ValueError, match="limits"):
        synth(10, 10, limits="random")
