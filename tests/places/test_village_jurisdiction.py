"""A coordinator registers villages of their own jurisdiction only: a Sichuan coordinator
registering a Hunan village is refused (the access matrix's valid form found it)."""

from __future__ import annotations

import pytest
from enterprises import factories as f

import support
from pairing.places.models import Village


def _form() -> dict:
    return {"name": "排碧村", "province": "43", "county_code": f.HUAYUAN, "population": "1200",
            "households": "300", "poor_households": "90", "poor_population": "350",
            "income_per_capita": "3500", "description": "茶叶、猕猴桃"}


@pytest.mark.parametrize("jurisdiction,allowed", [("51", False), ("510104", False),
                                                  ("43", True), ("CN", True)])
def test_a_coordinator_registers_villages_in_their_jurisdiction(app, make_user,
                                                                 jurisdiction, allowed):
    coordinator = make_user("coordinator", jurisdiction=jurisdiction)
    client = app.test_client()
    support.login(client, coordinator.email)
    r = support.post(client, "/villages/new", _form())
    assert r.status_code == (302 if allowed else 403)
    assert (f.get(app, Village, 1) is not None) == allowed
