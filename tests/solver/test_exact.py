"""The solver against an independent exact MILP on small random instances."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from solver_helpers import exact_optimum, instances

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
    assert sol.stats.gap == 0.0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(limits=True))
def test_with_limits_bounded_and_honest(inst):
    sol = solve(inst, OPT)
    assert check(inst, sol) == []
    best = round(exact_optimum(inst, Weights()))
    s = sol.stats
    assert s.objective <= best <= s.bound <= s.flow_bound  # the Lagrangian bound, never above the flow's
    assert s.gap == ((s.bound - s.objective) / s.bound if s.bound > 0 else 0.0)
    assert s.flow_gap == ((s.flow_bound - s.objective) / s.flow_bound if s.flow_bound > 0 else 0.0)
    g = greedy(inst, OPT)
    assert check(inst, g) == []
    assert g.stats.objective <= best
