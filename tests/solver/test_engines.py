"""When pylmcf cannot be imported the flows are solved by OR-Tools (mcf_ortools.py): the
same optima, bounds and answers, and the statistics name the engine."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_helpers import instances
from test_bound import _kind
from test_flow import networks, value

from solver import Options, bound, check, flow, mcf_ortools, solve

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPT = Options(k=50, threads=1)


@pytest.fixture
def ortools(monkeypatch):
    """flow.py as it is when `import pylmcf` fails."""
    monkeypatch.setattr(flow, "pylmcf", None)


def test_a_failing_import_of_pylmcf_selects_ortools(monkeypatch):
    assert flow.engine() == "lemon"
    monkeypatch.setitem(sys.modules, "pylmcf", None)  # `import pylmcf` now raises ImportError
    try:
        importlib.reload(flow)
        assert flow.engine() == "ortools"
    finally:
        monkeypatch.undo()
        importlib.reload(flow)
    assert flow.engine() == "lemon"


@SETTINGS
@given(networks(), st.data())
def test_both_engines_find_the_same_optimum_within_arc_bounds(net, data):
    oi, ni, unit, unit2, available, demand, slice_left, bonus = net
    lemon, cap = flow.build(oi, ni, unit2, available, demand, slice_left, bonus)
    current, cost = lemon.solve()
    back = np.array(data.draw(st.lists(st.booleans(), min_size=oi.size, max_size=oi.size)))
    lo = np.where(back, 0, current)
    hi = np.maximum(lo, np.where(back, current, cap))
    a = flow.reroute(oi, ni, unit, lo, hi, available, demand, slice_left, bonus)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flow, "pylmcf", None)
        other, _ = flow.build(oi, ni, unit2, available, demand, slice_left, bonus)
        assert other.solve()[1] == cost
        b = flow.reroute(oi, ni, unit, lo, hi, available, demand, slice_left, bonus)
        other.set_unit(np.minimum(unit, unit2))  # a consolidating pass: solved afresh
        lower_cost = other.solve()[1]
    assert (b >= lo).all() and (b <= hi).all()
    assert value(a, oi, ni, unit, demand, slice_left, bonus) == value(b, oi, ni, unit, demand, slice_left, bonus)
    lemon.set_unit(np.minimum(unit, unit2))
    assert lemon.solve()[1] == lower_cost


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_ortools_prices_give_the_flow_optimum_as_the_bound_without_limits(data):
    # Bellman-Ford's potentials are optimal duals, as LEMON's are: at them the Lagrangian
    # bound of a kind without binding limits is the flow optimum itself.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flow, "pylmcf", None)
        oi, ni, unit, cap, reach, lim, net, best = _kind(data, limited=False)
        prices = net.prices(lim.demand.size)
    assert prices is not None
    assert bound.lagrangian(oi, ni, unit, cap, reach, lim, prices, net.needs) == best


@SETTINGS
@given(instances(limits=True))
def test_solve_gives_the_same_optimum_with_either_engine(inst):
    a = solve(inst, OPT)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flow, "pylmcf", None)
        b = solve(inst, OPT)
    assert check(inst, b) == []
    assert (a.stats.engine, b.stats.engine) == ("lemon", "ortools")
    assert a.stats.flow_bound == b.stats.flow_bound
    if a.stats.optimal and b.stats.optimal:
        assert a.stats.objective == b.stats.objective


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(limits=True))
def test_without_potentials_the_flow_bound_stands(inst):
    # Bellman-Ford that does not settle gives no prices: no Lagrangian bound, the flow's.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flow, "pylmcf", None)
        mp.setattr(mcf_ortools, "MAX_PASSES", 0)
        sol = solve(inst, Options(k=50, threads=1, exact=False))
    assert check(inst, sol) == [] and sol.stats.bound == sol.stats.flow_bound
