"""The shop as a person checks it on a phone (390x844) and a desktop (1366x900), in
Chinese: adding to the cart keeps the place in the list and counts up in the header, the
cart's total is in view, the large-text mode is remembered and still fits the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from shop.shop_helpers import make_product, make_village

from support import screenshot

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight; }"""


@pytest.mark.parametrize("size", list(SIZES))
def test_add_to_cart_keeps_the_place_and_the_total_is_in_view(_chromium, live_server, app,
                                                                make_user, size):
    secretary = make_user("secretary", name="施书记")
    village = make_village(app, secretary.id, "十八洞村")
    products = [make_product(app, village, name=f"农产品 {n:02d}", price=1000 + n * 100)
                for n in range(1, 21)]
    context = _chromium.new_context(viewport=SIZES[size], locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(live_server + "/shop")
        expect(tab.locator("#cart-count")).to_have_count(0)
        # The oldest product is last in the list ("newest" first): far down the page.
        card = tab.locator(f"#product-{products[0]}")
        card.scroll_into_view_if_needed()
        card.get_by_role("button", name="加入购物车").click()
        tab.wait_for_url(f"**/shop#product-{products[0]}")
        assert tab.evaluate("window.scrollY") > 400, "the page jumped back to its top"
        assert card.evaluate(IN_VIEW), "the product's card is in view again"
        expect(card).to_contain_text("购物车中已有 1 件")
        expect(tab.locator("#cart-count")).to_contain_text("1")
        for pid in products[1:4]:
            tab.locator(f"#product-{pid}").get_by_role("button", name="加入购物车").click()
            tab.wait_for_url(f"**#product-{pid}")
        expect(tab.locator("#cart-count")).to_contain_text("4")
        screenshot(tab, f"shop-added-{size}")

        tab.goto(live_server + "/shop/cart")
        total = tab.locator("#cart-total")
        expect(total).to_have_text("¥50.00")  # 11 + 12 + 13 + 14 yuan, shipping free
        assert total.evaluate(IN_VIEW), "the total is on the screen without scrolling"
        assert tab.get_by_role("link", name="去结算").evaluate(IN_VIEW)
        quantity = tab.locator(f"#q{products[0]}")
        quantity.scroll_into_view_if_needed()
        assert quantity.evaluate("(el) => el.getBoundingClientRect().right <= window.innerWidth")
        screenshot(tab, f"shop-cart-{size}")
    finally:
        context.close()


def test_large_text_mode_is_remembered_and_fits_a_phone(_chromium, live_server):
    context = _chromium.new_context(viewport=SIZES["phone"], locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(live_server + "/offers")
        normal = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        tab.get_by_role("link", name="大字模式").click()
        tab.wait_for_url("**/offers")
        big = tab.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert big == pytest.approx(normal * 1.25, rel=0.02)
        tab.goto(live_server + "/needs")  # remembered on the next page
        expect(tab.locator("html")).to_have_class("large-text")
        assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        # On a phone the filters are folded: the list starts on the first screen.
        expect(tab.locator("details.filters-fold")).not_to_have_attribute("open", "")
        assert tab.locator("main h1").evaluate(IN_VIEW)
        screenshot(tab, "large-text-phone-needs")
        tab.get_by_role("link", name="标准字号").click()
        expect(tab.locator("html")).not_to_have_class("large-text")
    finally:
        context.close()
