"""A coordinator writes places as people name them ("浙江", "湖南省花垣县", "全国") where the
site used to ask for codes; the page offers the provinces in a <datalist> (no script)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.extensions import db


@pytest.mark.parametrize("written,code", [("浙江", "33"), ("浙江省", "33"), ("Zhejiang", "33"),
                                          ("湖南省花垣县", "433124"), ("花垣县", "433124"),
                                          ("全国", "CN"), ("433124", "433124")])
def test_staff_jurisdiction_by_name(app, coordinator_client, written, code):
    r = support.post(coordinator_client, "/admin/users", {
        "role": "verifier", "display_name": "李核查", "email": "li@example.org",
        "jurisdiction": written, "password": "initial password"})
    assert r.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "li@example.org"))
        assert user.jurisdiction == code


def test_unknown_place_is_named_in_the_message(app, coordinator_client):
    r = support.post(coordinator_client, "/admin/users", {
        "role": "verifier", "display_name": "X", "email": "x@example.org",
        "jurisdiction": "火星", "password": "initial password"},
        headers={"Accept-Language": "en"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "火星" in page and "Jurisdiction: " in page


def test_users_page_offers_the_provinces_by_name(coordinator_client):
    page = coordinator_client.get("/admin/users").get_data(as_text=True)
    assert '<datalist id="place-names">' in page and '<option value="浙江省">33</option>' in page
    assert 'list="place-names"' in page
