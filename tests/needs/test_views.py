"""Need pages: the secretary posts; nobody else touches; smuggled fields change nothing."""

from __future__ import annotations

import pytest
from enterprises import factories as f

import support
from pairing.needs.models import Need

EN = {"Accept-Language": "en"}


def _form(**kw) -> dict:
    data = {"kind": "investment", "quantity": "3000000", "priority": "3", "sector": "C",
            "description": "引进一家茶叶加工企业"}
    data.update(kw)
    return data


def test_secretary_posts_need_shown_publicly(app, secretary_client, client):
    v = f.village(app, secretary_client.user.id)
    r = support.post(secretary_client, f"/villages/{v}/needs/new",
                     _form(status="met", met_quantity="5", village_id="999"))
    assert r.status_code == 302
    n = f.get(app, Need, 1)
    assert (n.status, n.met_quantity, n.village_id, n.quantity) == ("open", 0, v, 300_000_000)
    page = client.get("/needs?q=茶叶加工", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "十八洞村" in page and "300万元" in page


@pytest.mark.parametrize("kw,message", [
    ({"quantity": "0"}, "more than zero"), ({"kind": "jobs", "quantity": "3.5", "sector": ""},
                                             "whole number"),
    ({"kind": "jobs", "quantity": "30"}, "Only industry needs"), ({"priority": "9"}, "priority"),
])
def test_bad_need_input(app, secretary_client, kw, message):
    v = f.village(app, secretary_client.user.id)
    r = support.post(secretary_client, f"/villages/{v}/needs/new", _form(**kw), headers=EN)
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert f.get(app, Need, 1) is None


@pytest.mark.parametrize("role", ["secretary", "enterprise", "donor", "verifier", "coordinator"])
def test_others_cannot_touch_needs(app, make_user, role):
    owner = make_user("secretary")
    v = f.village(app, owner.id)
    n = f.need(app, v)
    intruder = make_user(role)
    c = app.test_client()
    support.login(c, intruder.email)
    for url, data in [(f"/villages/{v}/needs/new", _form()), (f"/needs/{n}/edit", _form()),
                      (f"/needs/{n}/withdraw", {})]:
        assert support.post(c, url, data).status_code in (403, 404), url
    need = f.get(app, Need, n)
    assert need.status == "open" and need.kind == "procurement" and f.get(app, Need, n + 1) is None


def test_needs_of_pending_village_not_public(app, client):
    v = f.village(app, None, status="pending", name="待审村")
    f.need(app, v, description="待审需求")
    assert "待审需求" not in client.get("/needs").get_data(as_text=True)
    assert client.get(f"/villages/{v}").status_code == 404


@pytest.mark.parametrize("quantity", ["Infinity", "NaN", "inf", "-inf", "1e400", "1e-400",
                                      "sNaN", "1e999999", "12,5e3"])
def test_need_quantity_that_is_no_plain_number_asks_for_a_number(app, secretary_client,
                                                                    quantity):
    """"Infinity" once read "must be more than zero"; "1e400" is no quantity either."""
    v = f.village(app, secretary_client.user.id)
    r = support.post(secretary_client, f"/villages/{v}/needs/new", _form(quantity=quantity),
                     headers=EN)
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and "The quantity must be a number." in text
    assert "more than zero" not in text and "implausibly" not in text
    assert f.get(app, Need, 1) is None
    r = support.post(secretary_client, f"/villages/{v}/needs/new", _form(quantity=quantity),
                     headers={"Accept-Language": "zh"})
    assert "数量必须是数字" in r.get_data(as_text=True)


def test_need_quantity_in_full_width_digits_is_read(app, secretary_client):
    v = f.village(app, secretary_client.user.id)
    r = support.post(secretary_client, f"/villages/{v}/needs/new",
                     _form(quantity="３，０００，０００"))
    assert r.status_code == 302 and f.get(app, Need, 1).quantity == 300_000_000
