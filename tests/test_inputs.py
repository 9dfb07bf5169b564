"""Bad input answered with a clear message, never a 500 (pairing/inputs.py): integers in
URLs and query arguments are bounded before they reach the database; NUL characters and
lone surrogates are refused before any view runs."""

from __future__ import annotations

import pytest
from api.test_write import OFFER, _auth, _own
from public_rows import seeded, token_for  # noqa: F401
from sqlalchemy import func, select

import support
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.places.models import Village

HUGE = "99999999999999999999999"
EN = {"Accept-Language": "en"}
NOT_STORED = "The request contains a character that cannot be stored"


@pytest.mark.parametrize("role,url", [
    (None, "/crowdfunding?page={n}"), (None, "/crowdfunding?village={n}"),
    (None, "/crowdfunding?village=²"), (None, "/shop?page={n}"), (None, "/ledger?page={n}"),
    (None, "/dashboard/county/433124?page={n}"), (None, "/offers?page={n}"),
    (None, "/needs?page={n}"), (None, "/villages?page={n}"),
    (None, "/open-data/ledger.csv?village={n}"), (None, "/open-data/pairings.csv?pairing={n}"),
    ("coordinator", "/admin/users?page={n}"), ("coordinator", "/admin/audit?page={n}"),
    ("coordinator", "/admin/audit?actor={n}"), ("donor", "/shop/orders?page={n}"),
    ("secretary", "/shop/manage/orders?page={n}"),
])
def test_oversized_numbers_in_query_arguments(app, make_user, role, url):
    client = app.test_client()
    if role:
        support.login(client, make_user(role, jurisdiction="CN" if role == "coordinator"
                                        else None).email)
    for n in (HUGE, "-1", "NaN", "1e9"):
        got = client.get(url.format(n=n), headers=EN)
        page = got.get_data(as_text=True)  # a download is streamed: read it whole
        assert got.status_code == 200, (url, n, got.status_code)
    if "actor" in url:
        assert "The actor is a user number." in page


@pytest.mark.parametrize("url", [f"/crowdfunding/{HUGE}", f"/shop/products/{HUGE}",
                                 f"/ledger/villages/{HUGE}", f"/api/v1/villages/{HUGE}"])
def test_oversized_ids_in_urls_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_page_past_the_bound_is_read_as_the_first(app, client):
    """Page numbers above inputs.MAX_PAGE read as page 1 rather than overflowing."""
    assert client.get("/crowdfunding?page=100001").status_code == 200
    assert client.get("/crowdfunding?page=9223372036854775808").status_code == 200


def test_nul_in_a_query_or_a_path_is_refused_with_a_message(client):
    for url in ("/offers?q=%00", "/dashboard/county/43%0024", "/villages?%00=1"):
        got = client.get(url, headers=EN)
        assert got.status_code == 400 and NOT_STORED in got.get_data(as_text=True), url
    got = client.get("/offers?q=%00", headers={"Accept-Language": "zh-CN"})
    assert "请求中含有无法保存的字符" in got.get_data(as_text=True)


def test_nul_in_a_form_is_refused_and_nothing_is_stored(app, secretary_client):
    got = support.post(secretary_client, "/villages/new",
                       {"name": "十八洞\x00村", "county_code": "433124", "population": "939",
                        "households": "225", "poor_households": "136",
                        "poor_population": "533", "income_per_capita": "3800"}, headers=EN)
    assert got.status_code == 400 and NOT_STORED in got.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Village)) == 0


@pytest.mark.parametrize("bad", ["\ud800", "ok\x00", "\udfff tail"])
def test_lone_surrogate_or_nul_in_api_json_is_a_400(app, client, enterprise_client,
                                                     seeded, token_for, bad):  # noqa: F811
    enterprise_id = seeded["enterprises"][0]
    _own(app, seeded, enterprise_client.user.id, Enterprise, enterprise_id, "officer_id")
    token = token_for(app, enterprise_client)
    # json.dumps writes "\ud800" as the escape the probe sent; it decodes to a lone surrogate
    got = client.post(f"/api/v1/enterprises/{enterprise_id}/offers",
                      json={**OFFER, "description": bad}, headers={**_auth(token), **EN})
    assert got.status_code == 400
    assert NOT_STORED in got.json["error"]["message"]
    got = client.post(f"/api/v1/enterprises/{enterprise_id}/offers",
                      json={**OFFER, bad: 1}, headers=_auth(token))
    assert got.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Offer)) == 0



@pytest.mark.parametrize("value", [HUGE, "-99999999999999999999"])
def test_an_oversized_number_in_a_form_is_a_validation_error(client, value):
    """WTForms' IntegerField took any size of int; the cart looked the product up with it."""
    got = support.post(client, "/shop/cart", {"product_id": value, "quantity": "1"},
                       follow_redirects=True, headers=EN)
    assert got.status_code == 200
    assert "Choose a quantity between 1 and 9999." in got.get_data(as_text=True)


def test_nan_and_infinity_are_not_numbers_in_forms(app):
    from decimal import Decimal

    from werkzeug.datastructures import MultiDict
    from wtforms import DecimalField, Form, IntegerField

    class Numbers(Form):
        amount = DecimalField()
        count = IntegerField()

    with app.test_request_context():
        for text in ("NaN", "Infinity", "-Infinity", "1e400"):
            form = Numbers(MultiDict({"amount": text, "count": "1"}))
            assert not form.validate() and form.amount.data is None, text
        form = Numbers(MultiDict({"amount": "12.50", "count": "2147483648"}))
        assert not form.validate() and form.amount.data == Decimal("12.50")
        assert form.count.data is None


def test_a_100_kb_search_of_users_is_not_a_500(app, make_user):
    """Found by the sweep: SQLite refuses a LIKE pattern this long."""
    client = app.test_client()
    support.login(client, make_user("coordinator", jurisdiction="CN").email)
    assert client.get("/admin/users?q=" + "x" * 100_000).status_code == 200
