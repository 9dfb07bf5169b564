"""Bad input: a ValueError naming the row and the field."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from solver_helpers import PLACES

from solver import Instance, Need, Offer, solve

LON, LAT, PROV = PLACES[0]


def offer(**kw) -> Offer:
    return dataclasses.replace(Offer(1, 1, "jobs", 10, 3, LON, LAT, PROV, (), None), **kw)


def need(**kw) -> Need:
    return dataclasses.replace(Need(5, 50, "jobs", 4, None, 0.2, False, LON, LAT, PROV), **kw)


CASES = [
    (dict(offers=[offer(), offer(id=2, quantity=-1)]), r"offer row 1 \(id 2\): field quantity"),
    (dict(needs=[need(quantity=-3)]), r"need row 0 \(id 5\): field quantity"),
    (dict(offers=[offer(kind="gold")]), r"offer row 0: field kind"),
    (dict(needs=[need(kind="gold")]), r"need row 0: field kind"),
    (dict(offers=[offer(lon=math.nan)]), r"offer row 0 \(id 1\): field lon"),
    (dict(needs=[need(lat=80.0)]), r"need row 0 \(id 5\): field lat"),
    (dict(needs=[need(lon=10.0)]), r"need row 0 \(id 5\): field lon"),
    (dict(needs=[need(poverty_incidence=1.5)]), r"need row 0 \(id 5\): field poverty_incidence"),
    (dict(offers=[offer(max_villages=0)]), r"offer row 0 \(id 1\): field max_villages"),
    (dict(offers=[offer(province="99")]), r"offer row 0 \(id 1\): field province"),
    (dict(offers=[offer(province="Beijing")]), r"offer row 0: field province"),
    (dict(offers=[offer(), offer()]), r"offer row 1 \(id 1\): field id"),
    (dict(locked=[(1, 5, 2)], forbidden=[(1, 5)]), r"forbidden row 0: field need_id"),
    (dict(locked=[(1, 6, 2)]), r"locked row 0: field need_id"),
    (dict(locked=[(1, 5, 0)]), r"locked row 0: field quantity"),
    (dict(locked=[(1, 5, 5)]), r"need row 0 \(id 5\): field quantity"),
    (dict(held={1: -1}), r"held row 0: field quantity"),
    (dict(held={1: 9}, locked=[(1, 5, 2)]), r"offer row 0 \(id 1\): field quantity"),
    (dict(needs=[need(kind="training")], locked=[(1, 5, 1)]), r"locked row 0: field kind"),
]


@pytest.mark.parametrize(("rows", "message"), CASES)
def test_bad_input_names_row_and_field(rows, message):
    with pytest.raises(ValueError, match=message):
        inst = Instance.from_rows(rows.get("offers", [offer()]), rows.get("needs", [need()]),
                                  rows.get("locked", ()), rows.get("forbidden", ()), rows.get("held"))
        solve(inst)


def test_array_instance_checked_too():
    inst = Instance.from_rows([offer()], [need()])
    bad = dataclasses.replace(inst.needs, quantity=np.array([-2]))
    with pytest.raises(ValueError, match=r"need row 0 \(id 5\): field quantity"):
        solve(dataclasses.replace(inst, needs=bad))


def test_empty_and_zero_instances_solve():
    sol = solve(Instance.from_rows([offer(quantity=0)], [need()]))
    assert len(sol.quantity) == 0 and sol.stats.objective == 0 and sol.stats.gap == 0.0
