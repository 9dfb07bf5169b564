"""A household's data through its secretary: export and erasure, logged; a household that
had a help request (money) is anonymised, one without is deleted; other secretaries get
404."""

from __future__ import annotations

import json

from giving_helpers import make_household, make_village, world
from sqlalchemy import func, select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving.models import HelpRequest, Household

ERASE = {"password": support.PASSWORD, "confirm": "y"}


def _login(app, user) -> object:  # noqa: ANN001
    client = app.test_client()
    support.login(client, user.email)
    return client


def _actions(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action))


def test_secretary_exports_a_households_data_logged(app, make_user):
    w = world(app, make_user)
    client = _login(app, w.secretary)
    page = client.get(f"/giving/households/{w.household_id}").get_data(as_text=True)
    assert f"/giving/households/{w.household_id}/data.json" in page
    r = client.get(f"/giving/households/{w.household_id}/data.json")
    data = json.loads(r.get_data(as_text=True))
    assert data["household"][0]["head_name"] == "龙德成"
    assert "id_number_enc" not in data["household"][0]
    assert data["help_requests"][0]["diagnosis"] == "尿毒症"
    assert "龙德成" in client.get(f"/giving/households/{w.household_id}/data.csv").get_data(
        as_text=True)
    assert _actions(app, "household.export") == 2
    other = _login(app, make_user("secretary"))
    assert other.get(f"/giving/households/{w.household_id}/data.json").status_code == 404
    assert support.post(other, f"/giving/households/{w.household_id}/erase",
                        ERASE).status_code == 404


def test_household_with_a_request_is_anonymised_not_deleted(app, make_user):
    w = world(app, make_user)  # its request is open: money may still come and go
    client = _login(app, w.secretary)
    r = support.post(client, f"/giving/households/{w.household_id}/erase", ERASE,
                     headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "still to be paid out" in r.get_data(as_text=True)
    with app.app_context():
        db.session.get(HelpRequest, w.request_id).status = "disbursed"
        db.session.commit()
    r = support.post(client, f"/giving/households/{w.household_id}/erase", ERASE)
    assert r.status_code == 302
    with app.app_context():
        household = db.session.get(Household, w.household_id)
        assert household is not None and "龙德成" not in household.head_name
        assert household.id_number_masked == "" and household.address == ""
        req = db.session.get(HelpRequest, w.request_id)
        assert req.diagnosis == "" and "透析" not in req.story
        assert req.amount_needed_fen == 1_000_000
    assert _actions(app, "household.erase") == 1


def test_household_without_requests_is_deleted(app, make_user):
    secretary = make_user("secretary")
    village = make_village(app, secretary.id)
    household_id = make_household(app, secretary.id, village)
    client = _login(app, secretary)
    wrong = support.post(client, f"/giving/households/{household_id}/erase",
                         {"password": "nope", "confirm": "y"})
    assert wrong.status_code == 200
    with app.app_context():
        assert db.session.get(Household, household_id) is not None
    r = support.post(client, f"/giving/households/{household_id}/erase", ERASE)
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(Household, household_id) is None
    assert _actions(app, "household.erase") == 1


def test_donor_cannot_reach_a_households_data(app, make_user, donor_client):
    w = world(app, make_user)
    assert donor_client.get(f"/giving/households/{w.household_id}/data.json").status_code in (
        403, 404)
