"""Village pages: registration, resubmission, hand-over, access, public list and page."""

from __future__ import annotations

import pytest
from enterprises import factories as f

import support
from pairing.places.models import Village

EN = {"Accept-Language": "en"}


def _form(**kw) -> dict:
    data = {"name": "排碧村", "province": "43", "county_code": f.HUAYUAN, "population": "1200",
            "households": "300", "poor_households": "90", "poor_population": "350",
            "income_per_capita": "3500", "description": "茶叶、猕猴桃"}
    data.update(kw)
    return data


def test_register_smuggled_fields_ignored(app, secretary_client, make_user):
    other = make_user("secretary")
    r = support.post(secretary_client, "/villages/new",
                     _form(status="verified", secretary_id=str(other.id), verified_by_id="1"))
    assert r.status_code == 302
    v = f.get(app, Village, 1)
    assert (v.status, v.secretary_id, v.verified_by_id) == ("pending", secretary_client.user.id,
                                                            None)


@pytest.mark.parametrize("kw,message", [({"county_code": "999999"}, "Unknown county"),
                                        ({"population": "-3"}, ""), ({"name": ""}, "")])
def test_bad_village_input(app, secretary_client, kw, message):
    r = support.post(secretary_client, "/villages/new", _form(**kw), headers=EN)
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert f.get(app, Village, 1) is None


def test_duplicate_village_in_county_refused(app, secretary_client):
    f.village(app, None, name="排碧村")
    r = support.post(secretary_client, "/villages/new", _form(), headers=EN)
    assert "already has a village of this name" in r.get_data(as_text=True)


def test_rejected_village_resubmitted(app, secretary_client):
    v = f.village(app, secretary_client.user.id, status="rejected", reject_reason="户数有误")
    assert "户数有误" in secretary_client.get("/my/villages").get_data(as_text=True)
    support.post(secretary_client, f"/villages/{v}/edit", _form(name="十八洞村"))
    row = f.get(app, Village, v)
    assert row.status == "pending" and row.reject_reason == "" and row.population == 1200


@pytest.mark.parametrize("role", ["secretary", "enterprise", "donor", "verifier", "coordinator"])
def test_others_cannot_edit_a_village(app, make_user, role):
    owner = make_user("secretary")
    v = f.village(app, owner.id)
    c = app.test_client()
    support.login(c, make_user(role).email)
    assert support.post(c, f"/villages/{v}/edit", _form(name="改名村")).status_code in (403, 404)
    assert f.get(app, Village, v).name == "十八洞村"


def test_hand_over_only_by_coordinator(app, coordinator_client, secretary_client, make_user):
    v = f.village(app, secretary_client.user.id)
    new = make_user("secretary", email="new.secretary@example.org")
    assert support.post(secretary_client, f"/villages/{v}/hand-over",
                        {"email": new.email}).status_code == 403
    support.post(coordinator_client, f"/villages/{v}/hand-over", {"email": new.email})
    assert f.get(app, Village, v).secretary_id == new.id


def test_public_village_page_and_list(app, client):
    v = f.village(app, None, description="苗族聚居村，发展猕猴桃产业")
    f.need(app, v, description="猕猴桃冷库")
    page = client.get(f"/villages/{v}", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "猕猴桃冷库" in page and "建档立卡贫困人口" in page and "533" in page
    assert "十八洞村" in client.get("/villages?q=猕猴桃").get_data(as_text=True)
    assert "十八洞村" in client.get("/villages?q=十八").get_data(as_text=True)
    assert "十八洞村" not in client.get("/villages?province=51").get_data(as_text=True)


def test_village_list_sorts_by_name_of_a_thing(app, client):
    """The sort option is the village's 名称, not a person's 姓名."""
    page = client.get("/villages", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert '<option value="name">名称</option>' in page and ">姓名<" not in page
