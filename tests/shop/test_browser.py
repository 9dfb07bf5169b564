"""At the browser, in Chinese: browse, add two products, check out, pay, the secretary
ships, the buyer confirms."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import support
from support import screenshot

from .shop_helpers import make_shop

pytestmark = pytest.mark.browser


def test_browse_buy_ship_confirm(page, live_server, app, make_user):
    shop = make_shop(app, make_user)
    donor = make_user("donor", name="刘女士")
    page.goto(live_server + "/shop")
    expect(page.get_by_role("heading", name="消费扶贫馆")).to_be_visible()
    screenshot(page, "shop-index-zh")
    for name in ("十八洞蜂蜜", "高山苦荞茶"):
        page.locator("article.shop-card", has_text=name).get_by_role(
            "button", name="加入购物车").click()
        expect(page.locator(".flashes")).to_contain_text("已加入购物车")
    page.goto(live_server + "/shop/cart")
    expect(page.locator("tfoot")).to_have_text(re.compile(r"¥107\.00\s*$"))
    screenshot(page, "shop-cart-zh")
    page.get_by_role("link", name="去结算").click()
    page.wait_for_url("**/login**")
    page.get_by_label("电子邮件").fill(donor.email)
    page.get_by_label("密码").fill(support.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("收货人").fill("刘女士")
    page.get_by_label("电话").fill("13800138000")
    page.get_by_label("省份").select_option("33")  # the county list follows the province
    page.get_by_label("市、区县").select_option("330106")
    page.get_by_label("街道、楼栋和门牌号").fill("文三路 100 号")
    screenshot(page, "shop-checkout-zh")
    page.get_by_role("button", name="提交订单").click()
    expect(page.locator("main")).to_contain_text("共 2 个订单")
    page.get_by_role("button", name="立即付款").click()
    expect(page.locator(".flashes")).to_contain_text("已收到付款")
    screenshot(page, "shop-paid-zh")
    order_link = page.locator("article.card", has_text="十八洞村").get_by_role("link").first
    order_path = order_link.get_attribute("href")
    support.browser_logout(page)

    support.browser_login(page, live_server, shop.secretary.email,
                          next_path="/shop/manage/orders")
    expect(page.get_by_role("heading", name="本村订单")).to_be_visible()
    page.goto(live_server + order_path)
    expect(page.locator("main")).to_contain_text("文三路")  # the seller sees where to send it
    page.get_by_label("快递公司").fill("中国邮政 EMS")
    page.get_by_label("运单号").fill("EMS1234567890")
    page.get_by_role("button", name="标记为已发货").click()
    expect(page.locator(".flashes")).to_contain_text("已标记为发货")
    screenshot(page, "shop-shipped-zh")
    support.browser_logout(page)

    support.browser_login(page, live_server, donor.email, next_path=order_path)
    page.get_by_role("button", name="确认收货").click()
    expect(page.locator(".flashes")).to_contain_text("感谢您确认收货")
    expect(page.locator("h1 .badge")).to_have_text("已收货")
    screenshot(page, "shop-delivered-zh")
