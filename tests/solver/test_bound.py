"""The Lagrangian bound (solver/bound.py) against an exact MILP of one kind."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import LinearConstraint, milp
from solver_helpers import draw_arcs, draw_ints

from solver import bound, cardinality, flow


def _limits(village, slots, available, demand, slice_left, bonus) -> cardinality.Limits:
    return cardinality.Limits(
        village=village, slots=slots, locked_keys=np.zeros(0, np.int64), vmax=int(village.max()) + 1,
        slice_left=slice_left, bonus=bonus, available=available, demand=demand, poorest=np.zeros(demand.size, bool))


def _best(oi, ni, unit, lim: cardinality.Limits) -> float:
    """The best answer within the village limits: arcs x, slices s, (offer, village) y."""
    uk, kid, _ = cardinality.pairs(oi, ni, lim)
    na, nn, npair = oi.size, lim.demand.size, uk.size
    nv = na + nn + npair
    x, s, y = np.arange(na), na + np.arange(nn), na + nn + np.arange(npair)
    cap = np.minimum(lim.available[oi], lim.demand[ni]).astype(float)
    no = lim.slots.size
    rows = [
        sp.csr_matrix((np.ones(na), (oi, x)), shape=(no, nv)),  # offer capacity
        sp.csr_matrix((np.ones(na), (ni, x)), shape=(nn, nv)),  # need demand
        sp.csr_matrix((np.r_[-np.ones(na), np.ones(nn)], (np.r_[ni, np.arange(nn)], np.r_[x, s])), shape=(nn, nv)),
        sp.csr_matrix((np.r_[np.ones(na), -cap], (np.r_[x, x], np.r_[x, y[kid]])), shape=(na, nv)),  # x <= cap·y
        sp.csr_matrix((np.ones(npair), (uk // lim.vmax, y)), shape=(no, nv)),  # villages <= limit
    ]
    upper = np.r_[lim.available, lim.demand, np.zeros(nn + na), lim.slots].astype(float)
    res = milp(-np.r_[unit.astype(float), lim.bonus.astype(float), np.zeros(npair)],
               constraints=LinearConstraint(sp.vstack(rows).tocsr(), -np.inf, upper),
               bounds=(0, np.r_[cap, lim.slice_left.astype(float), np.ones(npair)]), integrality=np.ones(nv))
    assert res.status == 0, res.message
    return -res.fun


def _kind(data, limited: bool):
    no, nn, oi, ni = draw_arcs(data, 5, 8)
    available, demand = draw_ints(data, no, 0, 30), draw_ints(data, nn, 0, 12)
    village = draw_ints(data, nn, 0, 4)
    slots = draw_ints(data, no, 1, 3) if limited else np.full(no, nn, np.int64)
    lim = _limits(village, slots, available, demand, np.minimum(demand, draw_ints(data, nn, 0, 3)),
                  draw_ints(data, nn, 0, 101))
    unit = draw_ints(data, oi.size, 0, 100)
    reach = np.minimum(available, cardinality.reach(oi, ni, lim))
    net, cap = flow.build(oi, ni, unit, reach, lim.demand, lim.slice_left, lim.bonus)
    cost = net.solve()[1]
    return oi, ni, unit, cap, reach, lim, net, -cost


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_at_any_prices_no_answer_within_the_limits_beats_it(data):
    oi, ni, unit, cap, reach, lim, net, _ = _kind(data, limited=True)
    pi = draw_ints(data, lim.demand.size, -120, 120)
    assert bound.lagrangian(oi, ni, unit, cap, reach, lim, pi, net.needs) >= round(_best(oi, ni, unit, lim))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_at_the_flows_prices_it_is_the_flow_bound_or_below_it(data):
    """Without limits it is the flow optimum itself (the prices are its dual values);
    with them it lies between the best answer and the flow optimum."""
    oi, ni, unit, cap, reach, lim, net, flow_bound = _kind(data, limited=data.draw(st.booleans()))
    at_flow = bound.lagrangian(oi, ni, unit, cap, reach, lim, net.prices(lim.demand.size), net.needs)
    if (lim.slots >= lim.demand.size).all():
        assert at_flow == flow_bound
    assert round(_best(oi, ni, unit, lim)) <= at_flow <= flow_bound


def test_an_offer_limited_to_one_village_is_held_to_its_best_village():
    """An offer of 6 units may serve one village: need 0 (village 0) asks 5 at 50 points,
    need 1 (village 1) asks 1 at 90. The flow (capped at 5, the largest village's demand)
    sends 1 unit to need 1 and 4 to need 0: 290. Within the limit the best is village 0
    alone, 250, and so is the bound: every other need is priced at 0, and the offer's best
    single village is worth 5 x 50."""
    oi, ni = np.array([0, 0]), np.array([0, 1])
    unit = np.array([50, 90], np.int64)
    zero = np.zeros(2, np.int64)
    lim = _limits(np.array([0, 1]), np.array([1]), np.array([6]), np.array([5, 1]), zero, zero)
    reach = np.minimum(lim.available, cardinality.reach(oi, ni, lim))
    net, cap = flow.build(oi, ni, unit, reach, lim.demand, lim.slice_left, lim.bonus)
    assert -net.solve()[1] == 290
    assert bound.lagrangian(oi, ni, unit, cap, reach, lim, net.prices(2), net.needs) == 250 == _best(oi, ni, unit, lim)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_large_quantities_give_the_same_bound_scaled(data):
    """Scaling every quantity by 2^35 scales the bound by as much: the offers' values then
    pass the one-key sort's range and take the other sort, which must agree."""
    oi, ni, unit, cap, reach, lim, net, _ = _kind(data, limited=True)
    pi = draw_ints(data, lim.demand.size, -20, 120)
    k = 1 << 35
    big = _limits(lim.village, lim.slots, lim.available * k, lim.demand * k, lim.slice_left * k, lim.bonus)
    small_bound = bound.lagrangian(oi, ni, unit, cap, reach, lim, pi, net.needs)
    assert bound.lagrangian(oi, ni, unit, cap * k, reach * k, big, pi, net.needs) == small_bound * k
