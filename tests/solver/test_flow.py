"""The kind's flow on LEMON's network simplex against OR-Tools' min-cost flow: the same
optimum from scratch, after a warm re-solve with new scores, and within arc bounds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import flow, reference

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw):
    no, nn = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    pairs = sorted(draw(st.sets(st.tuples(st.integers(0, no - 1), st.integers(0, nn - 1)), min_size=1, max_size=20)))
    oi, ni = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    ints = lambda n, lo, hi: np.array(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n)), np.int64)  # noqa: E731
    unit, unit2 = ints(oi.size, 0, 100), ints(oi.size, 0, 100)
    available, demand = ints(no, 0, 50), ints(nn, 0, 50)
    slice_left = np.minimum(demand, ints(nn, 0, 10))
    return oi, ni, unit, unit2, available, demand, slice_left, ints(nn, 0, 101)


def value(flows, oi, ni, unit, demand, slice_left, bonus) -> int:
    got = np.bincount(ni, weights=flows, minlength=demand.size).astype(np.int64)
    return int(np.dot(flows, unit)) + int(np.dot(np.minimum(got, slice_left), bonus))


def feasible(flows, oi, ni, lo, hi, available, demand) -> bool:
    return bool((flows >= lo).all() and (flows <= hi).all()
                and (np.bincount(oi, weights=flows, minlength=available.size) <= available).all()
                and (np.bincount(ni, weights=flows, minlength=demand.size) <= demand).all())


@SETTINGS
@given(networks())
def test_same_optimum_as_ortools_cold_and_after_a_warm_re_solve(net):
    oi, ni, unit, unit2, available, demand, slice_left, bonus = net
    network, cap = flow.build(oi, ni, unit, available, demand, slice_left, bonus)
    assert (cap == np.minimum(available[oi], demand[ni])).all()
    lo = np.zeros(oi.size, np.int64)
    flows, cost = network.solve()
    assert feasible(flows, oi, ni, lo, cap, available, demand)
    assert cost == reference.optimal_cost(oi, ni, unit, lo, cap, available, demand, slice_left, bonus)
    assert -cost == value(flows, oi, ni, unit, demand, slice_left, bonus)
    # Consolidating passes lower scores and re-solve from the last basis.
    lower = np.minimum(unit, unit2)
    network.set_unit(lower)
    flows, cost = network.solve()
    assert feasible(flows, oi, ni, lo, cap, available, demand)
    assert cost == reference.optimal_cost(oi, ni, lower, lo, cap, available, demand, slice_left, bonus)


@SETTINGS
@given(networks(), st.data())
def test_rerouting_keeps_each_arc_within_its_bounds(net, data):
    oi, ni, unit, unit2, available, demand, slice_left, bonus = net
    network, cap = flow.build(oi, ni, unit2, available, demand, slice_left, bonus)
    current, _ = network.solve()  # a flow that is not optimal for `unit`
    # Some arcs may give back what they carry, some may add up to their capacity.
    back = np.array(data.draw(st.lists(st.booleans(), min_size=oi.size, max_size=oi.size)))
    lo = np.where(back, 0, current)
    hi = np.maximum(lo, np.where(back, current, cap))
    flows = flow.reroute(oi, ni, unit, lo, hi, available, demand, slice_left, bonus)
    assert feasible(flows, oi, ni, lo, hi, available, demand)
    best = -reference.optimal_cost(oi, ni, unit, lo, hi, available, demand, slice_left, bonus)
    assert value(flows, oi, ni, unit, demand, slice_left, bonus) == best


def test_a_higher_score_than_the_network_was_built_for_is_refused():
    oi, ni = np.array([0]), np.array([0])
    network, _ = flow.build(oi, ni, np.array([40]), np.array([5]), np.array([5]), np.array([1]), np.array([3]))
    with pytest.raises(ValueError, match="offset"):
        network.set_unit(np.array([41]))
