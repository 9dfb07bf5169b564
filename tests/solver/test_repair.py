"""Village-limit repair: rerouting, worker processes, and the synthetic limits."""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from solver_helpers import PLACES, draw_answer, draw_arcs, draw_ints

from solver import Instance, Need, Offer, Options, cardinality, check, flow, solve
from solver.solve import PROCESS_ARCS
from solver.synth import synth

TIANJIN, BEIJING = PLACES[7], PLACES[0]
solve_mod = sys.modules["solver.solve"]  # the module; `solver.solve` is the function


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
    # Without the exact stage: its MILP bound depends on how far HiGHS gets in its time.
    a = solve(inst, Options(threads=2, processes=True, exact=False))
    b = solve(inst, Options(threads=1, exact=False))
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


def test_the_polish_swaps_quantities_between_offers_of_one_village():
    """Offers 0 and 1 both serve village 0, each giving its ten units to the need where
    it earns less than the other offer would (10 and 50 points against 60 and 50). The
    polish keeps both in village 0 and swaps the needs: 1,100 points instead of 600."""
    oi, ni = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    kf = flow.KindFlow(oi, ni, np.array([10, 60, 50, 50], np.int64), np.full(4, 10, np.int64))
    lim = cardinality.Limits(
        village=np.array([0, 0]), slots=np.array([1, 1]), locked_keys=np.zeros(0, np.int64), vmax=1,
        slice_left=np.zeros(2, np.int64), bonus=np.zeros(2, np.int64), available=np.array([10, 10]),
        demand=np.array([10, 10]), poorest=np.array([False, False]))
    current = np.array([10, 0, 0, 10])
    _, kid, locked = cardinality.pairs(oi, ni, lim)
    polished = cardinality._polish(kf, current, kid, locked[kid], lim)
    assert polished.tolist() == [0, 10, 10, 0]
    assert cardinality._value(kf, polished, lim) == 1100 > cardinality._value(kf, current, lim) == 600


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_polish_never_gains_a_village_nor_loses_value(data):
    no, nn, oi, ni = draw_arcs(data, 4, 6)
    available, demand = draw_ints(data, no, 0, 30), draw_ints(data, nn, 0, 30)
    slice_left = np.minimum(demand, draw_ints(data, nn, 0, 5))
    kf = flow.KindFlow(oi, ni, draw_ints(data, oi.size, 0, 100), np.minimum(available[oi], demand[ni]))
    current = draw_answer(data, oi, ni, available, demand)
    village = draw_ints(data, nn, 0, 2)
    served = {(int(o), int(village[n])) for o, n in zip(oi[current > 0], ni[current > 0], strict=True)}
    lim = cardinality.Limits(
        village=village, slots=np.bincount([o for o, _ in served], minlength=no), locked_keys=np.zeros(0, np.int64),
        vmax=3, slice_left=slice_left, bonus=draw_ints(data, nn, 0, 101), available=available, demand=demand,
        poorest=np.zeros(nn, bool))
    _, kid, locked = cardinality.pairs(oi, ni, lim)
    polished = cardinality._polish(kf, current, kid, locked[kid], lim)
    assert (polished >= 0).all() and (polished <= kf.cap).all()
    assert (np.bincount(oi, weights=polished, minlength=no) <= available).all()
    assert (np.bincount(ni, weights=polished, minlength=nn) <= demand).all()
    assert {(int(o), int(village[n])) for o, n in zip(oi[polished > 0], ni[polished > 0], strict=True)} <= served
    assert cardinality._value(kf, polished, lim) >= cardinality._value(kf, current, lim)


@pytest.mark.parametrize(("arcs", "threads_running", "processes", "workers", "forked"), [
    (PROCESS_ARCS - 1, 1, None, 2, False),  # small: threads
    (PROCESS_ARCS, 1, None, 2, True),  # large, the caller's only thread: forked workers
    (PROCESS_ARCS, 3, None, 2, False),  # large inside a threaded (web) process: never fork
    (PROCESS_ARCS, 1, False, 2, False),
    (10, 3, True, 2, True),  # the caller's explicit choice wins
    (PROCESS_ARCS, 1, None, 1, False),  # one worker: no processes to spread over
])
def test_kinds_fork_worker_processes_only_when_large_and_single_threaded(
        monkeypatch, arcs, threads_running, processes, workers, forked):
    monkeypatch.setattr(solve_mod.threading, "active_count", lambda: threads_running)
    with solve_mod._workers(Options(threads=workers, processes=processes), arcs) as pool:
        assert isinstance(pool, ProcessPoolExecutor) is forked
        assert pool.submit(int, "7").result() == 7
