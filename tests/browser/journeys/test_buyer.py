"""The buyer's whole journey in the village shop, in Chinese, on a phone and a desktop: add
to the cart without losing the place in the list, the header counts, the cart's total in
view, a structured address, shipping and delivery time shown before paying, paying, and
the order in the buyer's list. The shop's products are the secretary's (services)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from shop.shop_helpers import make_product, make_village

from pairing.extensions import db
from pairing.shop import shipping

pytestmark = pytest.mark.browser


def test_buyer_journey(journey, app, make_user):
    page, n = journey.page, journey.device
    secretary = make_user("secretary", name="施书记")
    village = make_village(app, secretary.id, f"十八洞村{n}")
    with app.app_context():
        shipping.set_terms(secretary.id, village, shipping.Terms(1200, 20_000, 2, 4))
        db.session.commit()
    products = [make_product(app, village, name=f"十八洞{n}特产 {i:02d}", price=2000 + i * 100)
                for i in range(1, 13)]
    buyer = make_user("donor", name="刘女士")
    journey.login(buyer.email)

    # The shop: the oldest product is far down the list; adding keeps the place.
    journey.go("/shop")
    journey.step("shop")
    card = page.locator(f"#product-{products[0]}")
    card.scroll_into_view_if_needed()
    card.get_by_role("button", name="加入购物车").click()
    page.wait_for_url(f"**/shop#product-{products[0]}")
    assert page.evaluate("window.scrollY") > 300, "the page jumped back to its top"
    assert journey.in_view(card), "the product is no longer on the screen"
    expect(page.locator("#cart-count")).to_contain_text("1")
    journey.step("added")
    page.locator(f"#product-{products[1]}").get_by_role("button", name="加入购物车").click()
    page.wait_for_url(f"**#product-{products[1]}")
    expect(page.locator("#cart-count")).to_contain_text("2")

    # The cart from the header: the total and the way on are on the first screen.
    page.locator("header").get_by_role("link", name=re.compile("购物车")).click()
    page.wait_for_url("**/shop/cart")
    total = page.locator("#cart-total")
    expect(total).to_have_text("¥55.00")  # 21 + 22 yuan of goods, 12 yuan shipping
    assert journey.in_view(total), "the cart's total is off the screen"
    journey.step("cart")
    page.get_by_role("link", name="去结算").click()

    # Check-out: shipping and the delivery time before paying; the address in parts.
    quotes = page.locator(".shipping-quotes")
    expect(quotes).to_contain_text("¥12.00")
    expect(quotes).to_contain_text("2–4")
    expect(page.locator("#checkout-total")).to_have_text("¥55.00")
    page.get_by_label("收货人").fill("刘女士")
    page.get_by_label("电话").fill("13800138000")
    page.locator("[name=province]").select_option(label="浙江省")
    page.locator("[name=county]").select_option(label="西湖区")
    page.locator("[name=address]").fill("文三路 1 号 2 单元 301")
    journey.step("checkout")
    page.get_by_role("button", name="提交订单").click()
    expect(page.get_by_role("heading", name="您的订单")).to_be_visible()
    journey.step("placed")
    page.get_by_role("button", name="立即付款").click()
    journey.step("paid")

    # The order is in the buyer's list, paid, with its address.
    journey.go("/shop/orders")
    order = page.locator("main .card", has_text=f"十八洞村{n}")
    expect(order).to_contain_text("已付款")
    expect(order).to_contain_text("¥55.00")
    expect(order).to_contain_text("¥12.00")
    journey.step("orders")
