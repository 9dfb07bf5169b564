"""The shop as people use it: browse, cart, checkout, orders, the secretary's pages."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import func, select

import support
from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.shop.models import Order, OrderState, Product, ProductPhoto

from .shop_helpers import make_product, stock_of


def _client(app, user):  # noqa: ANN001
    client = app.test_client()
    support.login(client, user.email)
    return client


def _png(size=(900, 700), colour=(200, 120, 40)) -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    buf.seek(0)
    return buf


def _buy(client, cart: dict[int, int], extra: dict | None = None):  # noqa: ANN001
    for pid, qty in cart.items():
        support.post(client, "/shop/cart", {"product_id": pid, "quantity": qty, "add": "1"})
    page = client.get("/shop/checkout").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    return support.post(client, "/shop/checkout", {
        "key": key, "recipient": "刘女士", "phone": "13800138000",
        "province": "33", "county": "330106", "address": "文三路 1 号", "provider": "sandbox",
        **(extra or {})})


def _orders(app) -> list[tuple[int, int, int]]:  # noqa: ANN001
    with app.app_context():
        return [(o.id, o.village_id, o.total_fen)
                for o in db.session.scalars(select(Order).order_by(Order.id))]


def test_shop_lists_filters_and_shows_a_product(app, client, shop):
    page = client.get("/shop", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "十八洞蜂蜜" in page and "高山苦荞茶" in page and "¥68.00" in page
    tea = client.get("/shop?category=tea").get_data(as_text=True)
    assert "高山苦荞茶" in tea and "十八洞蜂蜜" not in tea
    hunan = client.get("/shop?province=43&sort=price_desc").get_data(as_text=True)
    assert "十八洞蜂蜜" in hunan and "高山苦荞茶" not in hunan
    assert "十八洞蜂蜜" not in client.get("/shop?q=苦荞").get_data(as_text=True)
    assert client.get(f"/shop/products/{shop.honey}").status_code == 200
    assert "十八洞蜂蜜" in client.get(f"/shop/villages/{shop.village}").get_data(as_text=True)


def test_paused_product_is_hidden_from_the_public(app, client, shop):
    sec = _client(app, shop.secretary)
    support.post(sec, f"/shop/manage/{shop.honey}/pause")
    assert client.get(f"/shop/products/{shop.honey}").status_code == 404
    assert "十八洞蜂蜜" not in client.get("/shop").get_data(as_text=True)
    assert sec.get(f"/shop/products/{shop.honey}").status_code == 200


def test_checkout_needs_login_and_ignores_a_posted_price(app, client, shop, donor_client):
    support.post(client, "/shop/cart", {"product_id": shop.honey, "quantity": 1, "add": "1"})
    assert "/login" in client.get("/shop/checkout").headers["Location"]
    r = _buy(donor_client, {shop.honey: 2, shop.tea: 1},
             {"price": "1", "price_fen": "1", "unit_price_fen": "1", "total_fen": "1"})
    assert r.status_code == 302
    assert sorted((v, t) for _, v, t in _orders(app)) == sorted(
        [(shop.village, 13600), (shop.other_village, 3900)])
    assert stock_of(app, shop.honey) == 18
    assert "Your cart is empty." in donor_client.get("/shop/cart", headers={
        "Accept-Language": "en"}).get_data(as_text=True)


def test_a_second_press_of_place_order_places_nothing_more(app, shop, donor_client):
    support.post(donor_client, "/shop/cart", {"product_id": shop.honey, "quantity": 1, "add": "1"})
    page = donor_client.get("/shop/checkout").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    form = {"key": key, "recipient": "刘", "phone": "13800138000", "address": "文三路 1 号",
            "province": "33", "county": "330106",
            "provider": "sandbox"}
    first = support.post(donor_client, "/shop/checkout", form)
    support.post(donor_client, "/shop/cart", {"product_id": shop.honey, "quantity": 1, "add": "1"})
    second = support.post(donor_client, "/shop/checkout", form)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_orders(app)) == 1 and stock_of(app, shop.honey) == 19


def test_full_order_flow_and_who_sees_what(app, shop, donor_client, make_user):
    _buy(donor_client, {shop.honey: 1})
    [(order_id, _, _)] = _orders(app)
    url = f"/shop/orders/{order_id}"
    other_buyer = _client(app, make_user("donor"))
    other_sec = _client(app, shop.other_secretary)
    far_verifier = _client(app, make_user("verifier", jurisdiction="51"))
    for outsider in (other_buyer, other_sec, far_verifier):
        assert outsider.get(url).status_code == 404
        assert support.post(outsider, url + "/cancel").status_code == 404
    assert support.post(other_sec, url + "/ship", {"carrier": "x", "tracking": "y"}).status_code == 404
    near_verifier = _client(app, make_user("verifier", jurisdiction="43"))
    assert "文三路" in near_verifier.get(url).get_data(as_text=True)
    with app.app_context():
        checkout_id = db.session.get(Order, order_id).checkout_id
    support.post(donor_client, f"/shop/checkouts/{checkout_id}/pay")
    seller = _client(app, shop.secretary)
    assert "文三路" in seller.get(url).get_data(as_text=True)
    support.post(seller, url + "/ship", {"carrier": "顺丰速运", "tracking": "SF100"})
    support.post(donor_client, url + "/delivered")
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order.state == OrderState.DELIVERED and order.carrier == "顺丰速运"


def test_secretary_cannot_touch_another_villages_product(app, shop):
    other = _client(app, shop.other_secretary)
    before = stock_of(app, shop.honey)
    assert other.get(f"/shop/manage/{shop.honey}").status_code == 404
    for url, data in ((f"/shop/manage/{shop.honey}", {"name": "x", "category": "tea",
                                                        "unit": "1", "price": "0.01"}),
                      (f"/shop/manage/{shop.honey}/restock", {"added": 50}),
                      (f"/shop/manage/{shop.honey}/pause", {}),
                      (f"/shop/manage/{shop.honey}/photos", {"photo": (_png(), "a.png")})):
        assert support.post(other, url, data).status_code == 404
    with app.app_context():
        product = db.session.get(Product, shop.honey)
        assert (product.name, product.status, product.price_fen) == ("十八洞蜂蜜", "active", 6800)
    assert stock_of(app, shop.honey) == before
    assert _client(app, shop.other_secretary).get("/shop/settings").status_code == 403


def test_secretary_lists_edits_restocks_with_photos(app, shop):
    sec = _client(app, shop.secretary)
    r = support.post(sec, "/shop/manage/new", {
        "village_id": shop.village, "name": "腊肉", "category": "livestock", "unit": "1 kg",
        "price": "88.50", "stock": 5, "origin": "花垣", "description": "烟熏"})
    assert r.status_code == 302
    with app.app_context():
        pid = db.session.scalar(select(Product.id).where(Product.name == "腊肉"))
        assert db.session.get(Product, pid).price_fen == 8850
    form = sec.get(f"/shop/manage/{pid}").get_data(as_text=True)  # its edit form reads back the price
    assert re.search(r'<input[^>]*name="price"[^>]*value="88.50"', form)
    support.post(sec, f"/shop/manage/{pid}/restock", {"added": 7})
    assert stock_of(app, pid) == 12
    r = support.post(sec, f"/shop/manage/{pid}/photos", {"photo": (_png((3000, 2000)), "p.png")},
                     content_type="multipart/form-data")
    with app.app_context():
        photo = db.session.scalar(select(ProductPhoto).where(ProductPhoto.product_id == pid))
        assert photo is not None and max(photo.width, photo.height) == 1024
        restocks = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "shop.product.restock"))
        assert restocks == 1
    served = sec.get(f"/shop/photos/{photo.name}_t.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" in served.headers["Cache-Control"]
    assert Image.open(io.BytesIO(served.data)).size[0] <= 320


def test_a_file_that_is_not_a_photo_is_refused(app, shop):
    sec = _client(app, shop.secretary)
    fake = io.BytesIO(b"<script>alert(1)</script>" * 10)
    r = support.post(sec, f"/shop/manage/{shop.honey}/photos", {"photo": (fake, "x.jpg")},
                     content_type="multipart/form-data", follow_redirects=True,
                     headers={"Accept-Language": "en"})
    assert "not a photo" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProductPhoto)) == 0
    assert sec.get("/shop/photos/../../etc/passwd").status_code == 404


def test_settings_page_for_coordinators_only(app, shop, coordinator_client, donor_client):
    assert donor_client.get("/shop/settings").status_code == 403
    r = support.post(coordinator_client, "/shop/settings",
                     {"taobao_sales": "100", "taobao_active_products": 1})
    assert r.status_code == 302
    make_product(app, shop.village, name="米", price=10000)
    _buy(donor_client, {shop.honey: 2})  # ¥136 of sales: over the ¥100 threshold
    with app.app_context():
        checkout_id = db.session.scalar(select(Order.checkout_id))
    support.post(donor_client, f"/shop/checkouts/{checkout_id}/pay")
    page = donor_client.get("/shop?province=43", headers={"Accept-Language": "zh"})
    assert "淘宝村" in page.get_data(as_text=True)


def test_payout_requested_and_approved_through_the_pages(app, shop, donor_client, make_user):
    _buy(donor_client, {shop.honey: 1})
    [(order_id, _, _)] = _orders(app)
    with app.app_context():
        checkout_id = db.session.get(Order, order_id).checkout_id
    support.post(donor_client, f"/shop/checkouts/{checkout_id}/pay")
    seller = _client(app, shop.secretary)
    support.post(seller, f"/shop/orders/{order_id}/ship", {"carrier": "EMS", "tracking": "E1"})
    support.post(donor_client, f"/shop/orders/{order_id}/delivered")
    too_much = support.post(seller, "/shop/payouts", {
        "village_id": shop.village, "amount": "68.01", "cooperative": "十八洞村合作社"},
        headers={"Accept-Language": "zh"}, follow_redirects=True)
    assert "金额超过可结算的销售额" in too_much.get_data(as_text=True)
    support.post(seller, "/shop/payouts", {"village_id": shop.village, "amount": "68",
                                           "cooperative": "十八洞村合作社"})
    from pairing.shop.models import Payout

    with app.app_context():
        payout_id = db.session.scalar(select(Payout.id))
    far = _client(app, make_user("verifier", jurisdiction="51"))
    assert "十八洞村合作社" not in far.get("/shop/payouts").get_data(as_text=True)
    assert support.post(far, f"/shop/payouts/{payout_id}/approve").status_code == 403
    assert support.post(seller, f"/shop/payouts/{payout_id}/approve").status_code == 403
    near = _client(app, make_user("verifier", jurisdiction="433124"))
    assert "十八洞村合作社" in near.get("/shop/payouts").get_data(as_text=True)
    support.post(near, f"/shop/payouts/{payout_id}/approve")
    with app.app_context():
        assert db.session.get(Payout, payout_id).state == "approved"


def test_village_page_partial_renders_with_just_the_village(app, shop):
    from flask import render_template_string

    from pairing.places.models import Village

    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        village = db.session.get(Village, shop.village)
        html = render_template_string('{% include "shop/_village_products.html" %}',
                                      village=village)
    assert "本村特产" in html and "十八洞蜂蜜" in html


def test_bank_transfer_leads_to_the_payment_page_with_a_code(app, shop, donor_client):
    support.post(donor_client, "/shop/cart", {"product_id": shop.tea, "quantity": 2, "add": "1"})
    page = donor_client.get("/shop/checkout").get_data(as_text=True)
    key = re.search(r'name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    support.post(donor_client, "/shop/checkout", {
        "key": key, "recipient": "刘", "phone": "13800138000", "address": "文三路 1 号",
            "province": "33", "county": "330106",
        "provider": "manual"})
    [(order_id, _, _)] = _orders(app)
    r = support.post(donor_client, f"/shop/orders/{order_id}/pay")
    assert "/payments/" in r.headers["Location"]
    with app.app_context():
        order = db.session.get(Order, order_id)
        assert order.state == OrderState.PLACED and order.payment_reference.startswith("WQ")
    assert "付款" in donor_client.get(r.headers["Location"]).get_data(as_text=True)
