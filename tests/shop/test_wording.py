"""The secretary's product form: a product's name is a 名称 (not a person's 姓名)."""

from __future__ import annotations

import re

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
