"""Provinces and counties from real administrative codes; east–west pairs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.places import services
from pairing.places.models import County, EastWestPair, Province


def test_all_provinces_and_counties_with_coordinates(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Province)) == 34
        count = db.session.scalar(select(func.count()).select_from(County))
        assert 2800 < count < 3200
        # Every county lies inside China's bounding box.
        bad = db.session.scalar(select(func.count()).select_from(County).where(
            (County.lon < 73) | (County.lon > 136) | (County.lat < 3) | (County.lat > 54)))
        assert bad == 0
        huayuan = db.session.get(County, "433124")
        assert huayuan.name == "花垣县" and huayuan.province_code == "43"
        assert huayuan.full_name == "湖南省湘西土家族苗族自治州花垣县"
        assert db.session.scalar(select(func.count()).select_from(County)
                                 .where(County.name == "市辖区")) == 0


def test_counties_lacking_coordinates_take_their_city(app):
    provinces, counties = services.read_adcodes()
    assert all(c["lon"] != 0.0 for c in counties)
    assert {p["code"] for p in provinces} >= {"11", "44", "65"}


def test_default_east_west_pairs_are_loaded(app):
    with app.app_context():
        pairs = services.east_west_pairs()
        assert ("44", "45") in pairs  # Guangdong helps Guangxi
        assert ("31", "53") in pairs  # Shanghai helps Yunnan


def test_counties_json_for_pickers(client):
    data = client.get("/places/counties?province=65").get_json()
    assert data["province"] == "65"
    assert any(c["name"] == "叶城县" for c in data["counties"])


def test_coordinator_edits_east_west_pairs(app, coordinator_client):
    r = support.post(coordinator_client, "/admin/east-west", {"pairs": "44-45\n31-53\n11-15\n"})
    assert r.status_code == 302
    with app.app_context():
        assert services.east_west_pairs() == [("11", "15"), ("31", "53"), ("44", "45")]
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "east_west.replace"))
        assert event.after == {"pairs": ["11-15", "31-53", "44-45"]}


@pytest.mark.parametrize("text", ["44/45", "44-99", "44-44", "abc"])
def test_bad_east_west_input_changes_nothing(app, coordinator_client, text):
    with app.app_context():
        before = services.east_west_pairs()
    r = support.post(coordinator_client, "/admin/east-west", {"pairs": text},
                     headers={"Accept-Language": "en"})
    assert r.status_code == 200
    assert 'class="error"' in r.get_data(as_text=True)
    with app.app_context():
        assert services.east_west_pairs() == before


def test_only_coordinators_edit_pairs(app, verifier_client):
    assert verifier_client.get("/admin/east-west").status_code == 403
    assert support.post(verifier_client, "/admin/east-west", {"pairs": ""}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EastWestPair)) > 0
