"""Village exchanges: an offer at its limit trades its least valuable village for one
that takes more of it or where it earns more, pushing out a worse offer."""

from __future__ import annotations

import numpy as np

from solver import cardinality, exchange

# Arcs: 0 offer 0 -> need 0 (village 0), 1 offer 0 -> need 1 (village 1),
#       2 offer 1 -> need 1, 3 offer 1 -> need 0.
OI, NI = np.array([0, 0, 1, 1]), np.array([0, 1, 1, 0])
UNIT = np.array([40, 38, 20, 10], np.int64)
CAP = np.array([3, 24, 24, 3], np.int64)


def _limits(poorest: bool = False) -> cardinality.Limits:
    return cardinality.Limits(
        village=np.array([0, 1]), slots=np.array([1, 5]), locked_keys=np.zeros(0, np.int64), vmax=2,
        slice_left=np.zeros(2, np.int64), bonus=np.zeros(2, np.int64), available=np.array([24, 30]),
        demand=np.array([3, 24]), poorest=np.array([poorest, False]))


def _stranded(lim: cardinality.Limits) -> tuple[np.ndarray, np.ndarray]:
    total = np.array([3, 0, 24, 0], np.int64)  # offer 0 strands 21 of its 24 units
    gone = exchange.stranded(OI, NI, UNIT, CAP, total, OI * lim.vmax + lim.village[NI], np.zeros(4, bool), lim)
    return total, gone


def test_an_offer_at_its_limit_trades_a_small_village_for_a_large_one():
    total, gone = _stranded(_limits())
    assert gone.tolist() == [0]
    assert total.tolist() == [0, 24, 0, 0]  # 24 × 38 instead of 3 × 40 + 24 × 20
    assert np.dot(total, UNIT) > 3 * 40 + 24 * 20


def test_a_village_that_helps_the_poorest_is_never_traded_away():
    total, gone = _stranded(_limits(poorest=True))
    assert gone.size == 0 and total.tolist() == [3, 0, 24, 0]


def test_an_offer_without_capacity_left_trades_its_village_for_one_where_it_earns_more():
    """Offer 0 (3 units, one village) gives need 0 3 units at 10 points; at need 1, where
    offer 1 gives 3 at 20, it would earn 40. Pushing offer 1 out gains 3 × 40 − 3 × 20 = 60,
    more than the 30 that village 0 loses (and offer 1 may refill need 0 later)."""
    oi, ni = np.array([0, 0, 1, 1]), np.array([0, 1, 1, 0])
    unit = np.array([10, 40, 20, 10], np.int64)
    lim = cardinality.Limits(
        village=np.array([0, 1]), slots=np.array([1, 5]), locked_keys=np.zeros(0, np.int64), vmax=2,
        slice_left=np.zeros(2, np.int64), bonus=np.zeros(2, np.int64), available=np.array([3, 3]),
        demand=np.array([3, 3]), poorest=np.zeros(2, bool))
    total = np.array([3, 0, 3, 0], np.int64)
    gone = exchange.stranded(oi, ni, unit, np.full(4, 3, np.int64), total, oi * 2 + lim.village[ni], np.zeros(4, bool),
                             lim)
    assert gone.tolist() == [0]
    assert total.tolist() == [0, 3, 0, 0]


def test_an_offer_serving_only_its_locked_village_has_nothing_to_trade():
    """Its limit is used up by a locked village, which never counts as droppable (the
    vectorised first test once indexed an empty array here; hypothesis found it)."""
    oi, ni = np.array([0, 0]), np.array([0, 1])
    lim = cardinality.Limits(
        village=np.array([0, 1]), slots=np.array([0]), locked_keys=np.array([0]), vmax=2,
        slice_left=np.zeros(2, np.int64), bonus=np.zeros(2, np.int64), available=np.array([6]),
        demand=np.array([3, 3]), poorest=np.zeros(2, bool))
    total = np.array([3, 0], np.int64)
    gone = exchange.stranded(oi, ni, np.array([10, 40], np.int64), np.full(2, 3, np.int64), total,
                             oi * 2 + lim.village[ni], np.array([True, False]), lim)
    assert gone.size == 0 and total.tolist() == [3, 0]
