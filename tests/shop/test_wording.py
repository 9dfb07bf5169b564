"""The secretary's product form: a product's name is a 名称 (not a person's 姓名), and a
price the shop cannot read gets a message, never an error page."""

from __future__ import annotations

import re

import pytest

import support

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _client(app, user):  # noqa: ANN001
    client = app.test_client()
    support.login(client, user.email)
    return client


def _label(page: str, field: str) -> str:
    return re.search(rf'<label[^>]*for="{field}"[^>]*>([^<]*)', page).group(1).strip()


def test_product_name_is_labelled_as_a_thing_not_a_person(app, shop):
    sec = _client(app, shop.secretary)
    for url in ("/shop/manage/new", f"/shop/manage/{shop.honey}"):
        page = sec.get(url, headers=ZH).get_data(as_text=True)
        assert _label(page, "name") == "名称", url
        assert _label(sec.get(url, headers=EN).get_data(as_text=True), "name") == "Name"
    # A person's name still reads 姓名.
    assert "<dt>姓名</dt>" in sec.get("/account", headers=ZH).get_data(as_text=True)


@pytest.mark.parametrize("price", ["Infinity", "NaN", "inf", "1e400", "1e999999", "sNaN"])
def test_a_price_that_is_no_plain_number_is_refused_with_a_message(app, shop, price):
    sec = _client(app, shop.secretary)
    r = support.post(sec, "/shop/manage/new", {
        "village_id": shop.village, "name": "腊肉", "category": "livestock", "unit": "1 kg",
        "price": price, "stock": 5, "origin": "花垣", "description": "烟熏"}, headers=EN)
    assert r.status_code == 200
    assert "Enter an amount in yuan, such as 68 or 68.50." in r.get_data(as_text=True)


def test_a_price_too_large_says_so(app, shop):
    from pairing.shop.forms import yuan_to_fen

    assert yuan_to_fen("1,234.50") == 123450 and yuan_to_fen("¥68") == 6800
    sec = _client(app, shop.secretary)
    r = support.post(sec, "/shop/manage/new", {
        "village_id": shop.village, "name": "腊肉", "category": "livestock", "unit": "1 kg",
        "price": "2000000000", "stock": 5, "origin": "花垣", "description": "烟熏"}, headers=EN)
    text = r.get_data(as_text=True)
    assert "at most 1,000,000,000 yuan" in text and "above zero" not in text
