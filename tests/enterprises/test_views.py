"""Enterprise and offer pages: registration, resubmission, access, smuggled fields."""

from __future__ import annotations

import pytest
from enterprises import factories as f

import support
from pairing.enterprises.models import Enterprise, Offer

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _form(**kw) -> dict:
    data = {"name": "宁波海誉食品有限公司", "credit_code": f.code(), "province": "33",
            "county_code": f.XIHU, "sector": "C", "employees": "650", "contact_name": "王经理",
            "contact_phone": "13900000000", "description": "海产品加工"}
    data.update(kw)
    return data


def _offer(**kw) -> dict:
    data = {"kind": "procurement", "quantity": "1,200,000.50", "max_villages": "3",
            "provinces": ["43", "52"], "starts_on": "2026-01-01", "ends_on": "",
            "description": "收购贵州茶叶"}
    data.update(kw)
    return data


def test_register_then_visible_only_after_verification(app, enterprise_client, client):
    r = support.post(enterprise_client, "/enterprises/new", _form())
    assert r.status_code == 302
    e = f.get(app, Enterprise, 1)
    assert e.status == "pending" and e.officer_id == enterprise_client.user.id
    assert client.get("/enterprises/1").status_code == 404
    assert "宁波海誉" not in client.get("/enterprises").get_data(as_text=True)
    assert "宁波海誉" in enterprise_client.get("/my/enterprises").get_data(as_text=True)


def test_smuggled_fields_change_nothing(app, enterprise_client, make_user):
    other = make_user("enterprise")
    support.post(enterprise_client, "/enterprises/new",
                 _form(status="verified", officer_id=str(other.id), verified_by_id="1"))
    e = f.get(app, Enterprise, 1)
    assert (e.status, e.officer_id, e.verified_by_id) == ("pending", enterprise_client.user.id,
                                                          None)
    ident = f.enterprise(app, enterprise_client.user.id)
    support.post(enterprise_client, f"/enterprises/{ident}/offers/new",
                 _offer(status="withdrawn", paired_quantity="999", enterprise_id="1"))
    o = f.get(app, Offer, 1)
    assert (o.status, o.paired_quantity, o.enterprise_id, o.quantity) == (
        "active", 0, ident, 120_000_050)


@pytest.mark.parametrize("field,value,message", [
    ("credit_code", "91330106MA27XXXXX1", "not a valid unified social credit code"),
    ("county_code", "999999", "Unknown county"),
    ("employees", "-5", ""),
])
def test_bad_enterprise_input(app, enterprise_client, field, value, message):
    r = support.post(enterprise_client, "/enterprises/new", _form(**{field: value}), headers=EN)
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert f.get(app, Enterprise, 1) is None


def test_bad_credit_code_message_in_chinese(app, enterprise_client):
    r = support.post(enterprise_client, "/enterprises/new", _form(credit_code="123"), headers=ZH)
    assert "统一社会信用代码" in r.get_data(as_text=True)


@pytest.mark.parametrize("kw,message", [
    ({"quantity": "-5"}, "more than zero"), ({"quantity": "abc"}, "must be a number"),
    ({"quantity": "99999999999999"}, "implausibly large"),
    ({"kind": "jobs", "quantity": "2.5"}, "whole number"),
    ({"kind": "jobs", "quantity": "500000"}, "implausibly large"),
    ({"kind": "teleport"}, "Unknown kind"), ({"provinces": ["99"]}, "Unknown province"),
    ({"ends_on": "2025-01-01"}, "cannot end before"),
])
def test_bad_offer_input(app, enterprise_client, kw, message):
    ident = f.enterprise(app, enterprise_client.user.id)
    r = support.post(enterprise_client, f"/enterprises/{ident}/offers/new", _offer(**kw),
                     headers=EN)
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert f.get(app, Offer, 1) is None


def test_rejected_enterprise_corrected_and_resubmitted(app, enterprise_client):
    ident = f.enterprise(app, enterprise_client.user.id, status="rejected",
                         reject_reason="名称与执照不符")
    page = enterprise_client.get("/my/enterprises").get_data(as_text=True)
    assert "名称与执照不符" in page
    e = f.get(app, Enterprise, ident)
    support.post(enterprise_client, f"/enterprises/{ident}/edit",
                 _form(credit_code=e.credit_code, name="宁波海誉食品股份有限公司"))
    e = f.get(app, Enterprise, ident)
    assert (e.status, e.reject_reason, e.name) == ("pending", "", "宁波海誉食品股份有限公司")


@pytest.mark.parametrize("role", ["enterprise", "secretary", "donor", "verifier", "coordinator"])
def test_nobody_else_edits_an_enterprise_or_its_offers(app, make_user, role):
    owner = make_user("enterprise")
    ident = f.enterprise(app, owner.id)
    offer = f.offer(app, ident)
    intruder = make_user(role)
    c = app.test_client()
    support.login(c, intruder.email)
    for url, data in [(f"/enterprises/{ident}/edit", _form(name="被篡改")),
                      (f"/enterprises/{ident}/offers/new", _offer()),
                      (f"/offers/{offer}/edit", _offer(quantity="1")),
                      (f"/offers/{offer}/withdraw", {})]:
        assert support.post(c, url, data).status_code in (403, 404), url
    e, o = f.get(app, Enterprise, ident), f.get(app, Offer, offer)
    assert e.name != "被篡改" and o.status == "active" and o.quantity == 50_000_000
    assert f.get(app, Offer, offer + 1) is None


def test_anonymous_is_sent_to_log_in(app, client):
    ident = f.enterprise(app, None)
    assert client.get(f"/enterprises/{ident}/edit").status_code == 302
    assert client.get("/enterprises/new").status_code == 302


def test_offer_edit_and_withdraw(app, enterprise_client):
    ident = f.enterprise(app, enterprise_client.user.id)
    offer = f.offer(app, ident)
    r = support.post(enterprise_client, f"/offers/{offer}/edit", _offer(quantity="800000"))
    assert r.status_code == 302 and f.get(app, Offer, offer).quantity == 80_000_000
    support.post(enterprise_client, f"/offers/{offer}/withdraw")
    assert f.get(app, Offer, offer).status == "withdrawn"


def test_public_offers_search_and_filters(app, client):
    tea = f.enterprise(app, None, name="安吉白茶产业发展有限公司")
    f.offer(app, tea, description="收购高山茶青")
    f.offer(app, f.enterprise(app, None, name="深圳鹏程科技有限公司"), kind="jobs",
            quantity=40, description="电子装配岗位")
    f.offer(app, f.enterprise(app, None, name="待审企业", status="pending"),
            description="收购高山茶青")
    page = client.get("/offers?q=茶青").get_data(as_text=True)
    assert "安吉白茶" in page and "鹏程" not in page and "待审企业" not in page
    page = client.get("/offers?q=鹏程").get_data(as_text=True)  # 2 characters: the name
    assert "鹏程" in page and "安吉" not in page
    page = client.get("/offers?mechanism=employment", headers=ZH).get_data(as_text=True)
    assert "鹏程" in page and "安吉" not in page and "40人" in page
    page = client.get("/offers?province=44").get_data(as_text=True)
    assert "安吉" not in page  # the test enterprises are in Zhejiang (33)
    page = client.get(f"/enterprises/{tea}", headers=ZH).get_data(as_text=True)
    assert "收购高山茶青" in page


def test_enterprise_page_names_its_sector(app, client, make_user):
    """The page shows the GB/T 4754 section's name, not its letter."""
    from pairing.enterprises.forms import SECTOR_LABELS
    from pairing.extensions import db

    officer = make_user("enterprise")
    ident = f.enterprise(app, officer.id, status="verified")
    with app.app_context():
        sector = db.session.get(Enterprise, ident).sector
    with app.test_request_context(headers={"Accept-Language": "zh"}):
        name = str(SECTOR_LABELS[sector])
    page = client.get(f"/enterprises/{ident}", headers={"Accept-Language": "zh"})
    assert name in page.get_data(as_text=True)


@pytest.mark.parametrize("quantity", ["Infinity", "NaN", "inf", "-Infinity", "1e400", "1E6",
                                      "sNaN", "1e999999"])
def test_offer_quantity_that_is_no_plain_number_asks_for_a_number(app, enterprise_client,
                                                                     quantity):
    ident = f.enterprise(app, enterprise_client.user.id)
    r = support.post(enterprise_client, f"/enterprises/{ident}/offers/new",
                     _offer(quantity=quantity), headers=EN)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "The quantity must be a number." in text
    assert "more than zero" not in text and "implausibly" not in text
    assert f.get(app, Offer, 1) is None


def test_enterprise_list_sorts_by_name_of_a_thing(app, client):
    """The sort option is the enterprise's 名称, not a person's 姓名."""
    page = client.get("/enterprises", headers=ZH).get_data(as_text=True)
    assert '<option value="name">名称</option>' in page and ">姓名<" not in page
