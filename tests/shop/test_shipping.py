"""Shipping terms, the structured address and the cart's count, through HTTP as people
use them: the charge is shown before paying, is part of the order and of the ledger's
payment, a bad address changes nothing, only a village's secretary sets its terms."""

from __future__ import annotations

import re

from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.shop import services
from pairing.shop.models import Order, Shipping

from .shop_helpers import stock_of


def _client(app, user):  # noqa: ANN001
    client = app.test_client()
    support.login(client, user.email)
    return client


def _set_terms(app, shop, fee="12.50", free_from="0", days=("2", "4")):  # noqa: ANN001
    sec = _client(app, shop.secretary)
    return support.post(sec, "/shop/manage/shipping", {
        "village_id": shop.village, "fee": fee, "free_from": free_from,
        "days_min": days[0], "days_max": days[1]})


def _checkout(client, pid: int, qty: int, **fields):  # noqa: ANN001
    if qty:
        support.post(client, "/shop/cart", {"product_id": pid, "quantity": qty, "add": "1"})
    page = client.get("/shop/checkout").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    form = {"key": key, "recipient": "刘女士", "phone": "13800138000", "province": "33",
            "county": "330106", "address": "文三路 1 号 3 单元", "provider": "sandbox", **fields}
    return support.post(client, "/shop/checkout", form)


def _orders(app) -> list[Order]:  # noqa: ANN001
    with app.app_context():
        rows = db.session.scalars(select(Order).order_by(Order.id)).all()
        db.session.expunge_all()
        return rows


def test_shipping_is_shown_before_paying_and_paid_through_the_ledger(app, shop, donor_client):
    assert _set_terms(app, shop).status_code == 302
    support.post(donor_client, "/shop/cart", {"product_id": shop.honey, "quantity": 2, "add": "1"})
    cart = donor_client.get("/shop/cart", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "¥12.50" in cart and "2–4" in cart
    assert re.search(r'id="cart-total">¥148\.50<', cart), "goods 136.00 + shipping 12.50"
    page = donor_client.get("/shop/checkout").get_data(as_text=True)
    assert "¥12.50" in page and 'id="checkout-total">¥148.50<' in page
    r = _checkout(donor_client, shop.honey, 0)  # the cart already holds the two jars
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    [order] = _orders(app)
    assert (order.total_fen, order.shipping_fen) == (13600 + 1250, 1250)
    assert order.county_code == "330106"
    assert order.address.startswith("浙江省") and "西湖区" in order.address
    assert order.address.endswith("文三路 1 号 3 单元")
    support.post(donor_client, f"/shop/orders/{order.id}/pay")
    with app.app_context():
        assert ledger.balance(services.sales_account(shop.village)) == 14850
    assert "¥12.50" in donor_client.get(f"/shop/orders/{order.id}").get_data(as_text=True)


def test_free_shipping_from_an_amount(app, shop, donor_client):
    _set_terms(app, shop, fee="10", free_from="100")
    _checkout(donor_client, shop.honey, 2)  # ¥136 of goods: free
    [order] = _orders(app)
    assert (order.total_fen, order.shipping_fen) == (13600, 0)


def test_a_bad_address_is_refused_with_a_clear_message_and_changes_nothing(app, shop, donor_client):
    stock = stock_of(app, shop.honey)
    donor_client.set_cookie("lang", "en")
    cases = [({"county": "433124"}, "Choose a county of the chosen province."),  # Hunan, not 33
             ({"county": ""}, "Choose the county of the delivery address."),
             ({"province": ""}, "Choose the province of the delivery address."),
             ({"phone": "12345"}, "Enter a phone number such as 0743-1234567"),
             ({"address": ""}, "This field is required.")]
    for fields, message in cases:
        r = _checkout(donor_client, shop.honey, 1, **fields)
        text = r.get_data(as_text=True)
        assert r.status_code == 200 and message in text, (fields, text[:300])
        assert "文三路 1 号 3 单元</textarea>" in text or fields.get("address") == ""  # kept
    donor_client.set_cookie("lang", "zh")
    text = _checkout(donor_client, shop.honey, 0, county="433124").get_data(as_text=True)
    assert "请选择所选省份中的区县。" in text
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0
    assert stock_of(app, shop.honey) == stock


def test_a_landline_and_a_full_width_mobile_are_accepted(app, shop, donor_client):
    r = _checkout(donor_client, shop.honey, 1, phone="１３８ ００１３ ８０００")
    assert r.status_code == 302
    [order] = _orders(app)
    assert order.phone == "13800138000"


def test_only_the_villages_secretary_sets_its_shipping(app, shop, donor_client):
    other = _client(app, shop.other_secretary)
    r = support.post(other, "/shop/manage/shipping", {
        "village_id": shop.village, "fee": "999", "free_from": "0", "days_min": 1,
        "days_max": 2})
    assert r.status_code == 200  # the form again: that village is not among its choices
    assert support.post(donor_client, "/shop/manage/shipping", {
        "village_id": shop.village, "fee": "999", "free_from": "0", "days_min": 1,
        "days_max": 2}).status_code == 403
    with app.app_context():
        assert db.session.get(Shipping, shop.village) is None
    bad = _set_terms(app, shop, days=("5", "2"))
    assert bad.status_code == 200
    with app.app_context():
        assert db.session.get(Shipping, shop.village) is None


def test_cart_count_in_the_header_and_back_to_the_products_card(app, shop, client):
    page = client.get("/").get_data(as_text=True)
    assert 'id="cart-count"' not in page
    r = support.post(client, "/shop/cart", {"product_id": shop.honey, "quantity": 1, "add": "1",
                                            "back": "/shop?category=other"})
    assert r.headers["Location"].endswith(f"/shop?category=other#product-{shop.honey}")
    support.post(client, "/shop/cart", {"product_id": shop.tea, "quantity": 2, "add": "1",
                                        "back": "https://evil.example/"})
    home = client.get("/").get_data(as_text=True)  # the count on every page, not only /shop
    assert re.search(r'id="cart-count">.*?3</span>', home)
    shop_page = client.get("/shop").get_data(as_text=True)
    assert f'id="product-{shop.honey}"' in shop_page
