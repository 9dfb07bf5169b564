"""The solver against an independent exact MILP on small random instances: without
limits the flow is exact; with them the exact stage (exact.py) proves the optimum and
reaches it, and a bound it reports when stopped early is never below the optimum."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solver_helpers import FAMILIES, exact_optimum, instances

from solver import Options, Weights, check, greedy, solve

OPT = Options(k=50, threads=1)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances(limits=False))
def test_without_limits_equals_exact_optimum(inst):
    sol = solve(inst, OPT)
    assert check(inst, sol) == []
    best = exact_optimum(inst, Weights())
    assert sol.stats.objective == round(best)
    assert sol.stats.bound == sol.stats.flow_bound == sol.stats.objective
    assert sol.stats.gap == 0.0 and sol.stats.optimal


def _honest(s) -> None:
    assert s.gap == ((s.bound - s.objective) / s.bound if s.bound > 0 else 0.0)
    assert s.flow_gap == ((s.flow_bound - s.objective) / s.flow_bound if s.flow_bound > 0 else 0.0)


# 7 families x 30 examples: 210 instances.
@pytest.mark.parametrize("family", list(FAMILIES))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_exact_stage_reaches_the_optimum_it_proves(family, data):
    inst = data.draw(FAMILIES[family])
    best = round(exact_optimum(inst, Weights()))
    flow = solve(inst, Options(k=50, threads=1, exact=False))  # the flow heuristic alone
    sol = solve(inst, Options(k=50, threads=1, exact_seconds=20))
    assert check(inst, sol) == [] and check(inst, flow) == []
    s = sol.stats
    assert flow.stats.objective <= s.objective <= best <= s.bound <= flow.stats.bound <= s.flow_bound
    _honest(s)
    # Instances this small are proven in milliseconds: the 20 s limit never binds.
    assert s.optimal and s.objective == best and s.bound == best and s.gap == 0.0
    g = greedy(inst, OPT)
    assert check(inst, g) == [] and g.stats.objective <= best


@pytest.mark.parametrize("family", ["random", "limit 1", "synth"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_time_limit_leaves_an_honest_bound(family, data):
    # Stopped early the MILP reports its own bound: never below the optimum, never above
    # the flow heuristic's.
    inst = data.draw(FAMILIES[family])
    best = round(exact_optimum(inst, Weights()))
    flow = solve(inst, Options(k=50, threads=1, exact=False))
    sol = solve(inst, Options(k=50, threads=1, exact_seconds=0.002))
    assert check(inst, sol) == []
    s = sol.stats
    assert flow.stats.objective <= s.objective <= best <= s.bound <= flow.stats.bound
    _honest(s)
    assert s.optimal == (s.objective == s.bound)
