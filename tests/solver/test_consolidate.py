"""Consolidating flows: offers over their village limit are steered onto fewer villages
before the repair, which then loses less; the bound stays the first flow's."""

from __future__ import annotations

import time

import numpy as np
import pytest

from solver import Options, cardinality, check, consolidate, flow, solve
from solver.synth import synth

# Offer 0 (10 units, one village) and offer 1 (10 units, two villages) can both help
# need 0 (village 0, 10 units) and need 1 (village 1, 4 units), all at 50 points a unit:
# arcs 0: o0 -> n0, 1: o0 -> n1, 2: o1 -> n0, 3: o1 -> n1.
OI, NI = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
UNIT = np.full(4, 50, np.int64)
LIM = cardinality.Limits(
    village=np.array([0, 1]), slots=np.array([1, 2]), locked_keys=np.zeros(0, np.int64), vmax=2,
    slice_left=np.zeros(2, np.int64), bonus=np.zeros(2, np.int64), available=np.array([10, 10]),
    demand=np.array([10, 4]), poorest=np.array([False, False]))
REACH = np.array([10, 10])


def _net() -> flow.Network:
    return flow.build(OI, NI, UNIT, REACH, LIM.demand, LIM.slice_left, LIM.bonus)[0]


def test_an_offer_over_its_limit_is_steered_onto_the_village_that_can_take_most_of_it():
    # An optimum of the flow without limits: offer 0 spread over both villages, more of
    # it on village 1. Village 0 asks 10 units, village 1 only 4: a unit costs offer 0
    # less in village 0, so it leaves village 1 to offer 1 (priced by what each village
    # got, it would have left village 0).
    start, made = consolidate.flows(_net(), OI, NI, UNIT, REACH, LIM, np.array([3, 4, 7, 0]), passes=2)
    assert made == 1  # after one pass no offer is over its limit
    assert start[0] > 0 and start[1] == 0 and start[3] == 4 and start.sum() == 14


def test_a_flow_within_every_limit_is_left_alone():
    first = np.array([10, 0, 0, 4])
    start, made = consolidate.flows(_net(), OI, NI, UNIT, REACH, LIM, first, passes=2)
    assert made == 0 and start is first


def test_no_pass_starts_that_would_end_after_the_deadline():
    first = np.array([3, 4, 7, 0])
    start, made = consolidate.flows(_net(), OI, NI, UNIT, REACH, LIM, first, passes=2,
                                    deadline=time.monotonic() + 5, pass_s=60)
    assert made == 0 and start is first


def test_the_repair_still_improves_a_start_that_is_not_the_flow_optimum():
    kf = flow.KindFlow(OI, NI, UNIT, np.full(4, 10, np.int64))
    out, rounds, _ = cardinality.repair(kf, np.zeros(4, np.int64), LIM, None, 12, optimal=False)
    assert rounds >= 1 and out.sum() == 14  # every unit asked for placed by a residual round
    assert np.count_nonzero(out[:2]) == 1  # offer 0 within its one village


@pytest.mark.parametrize("seed", [1, 3, 7])
def test_dense_instances_lose_less_to_village_limits(seed):
    # A province: many offers compete for the same villages, the flow spreads them thin.
    inst = synth(846, 1000, seed, province=52)
    plain = solve(inst, Options(consolidate=0, processes=False))
    steered = solve(inst, Options(processes=False))
    assert check(inst, steered) == []
    assert steered.stats.bound == plain.stats.bound  # the bound is the first flow's
    assert steered.stats.objective > plain.stats.objective
    assert steered.stats.covered_by_decile[0] == 1.0  # the poorest keep their help
