"""The whole path at the browser, in Chinese: a coordinator runs a round, the enterprise
and the village accept, the enterprise reports with a photo, the village confirms and the
need shows as met."""

from __future__ import annotations

import pytest
from matching import mhelp as h
from playwright.sync_api import expect

import support
from pairing.db import today
from support import screenshot

pytestmark = pytest.mark.browser


def test_round_to_confirmed_delivery(page, live_server, app, make_user, tmp_path):
    m = h.market(app, make_user)
    support.browser_login(page, live_server, m.coordinator.email)
    page.goto(live_server + "/rounds")
    page.get_by_role("button", name="新建").click()
    app.config["MATCHING_INLINE_MAX"] = 0  # a worker thread; the page follows it (matching.js)
    page.get_by_role("button", name="开始匹配").click()
    page.locator("#round-status .badge.ok").wait_for()
    expect(page.locator("#round-status")).to_contain_text("已完成")
    expect(page.locator("table.compare")).to_contain_text("贪心基线")
    screenshot(page, "matching-round-zh")

    support.browser_login(page, live_server, m.officer.email)
    page.goto(live_server + "/proposals")
    expect(page.get_by_role("heading", name="推荐给您的村")).to_be_visible()
    expect(page.locator(".reasons")).to_contain_text("公里")
    screenshot(page, "matching-proposals-enterprise-zh")
    page.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".flashes")).to_contain_text("您的答复已记录")

    support.browser_login(page, live_server, m.secretary.email)
    page.goto(live_server + "/proposals")
    expect(page.get_by_role("heading", name="推荐给您的企业")).to_be_visible()
    screenshot(page, "matching-proposals-village-zh")
    page.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator(".flashes")).to_contain_text("双方均已接受")
    pairing_url = page.url

    photo = tmp_path / "收购现场.png"
    photo.write_bytes(h.PNG)
    support.browser_login(page, live_server, m.officer.email)
    page.goto(pairing_url)
    page.get_by_label("交付数量").fill("200000")
    page.get_by_label("交付日期").fill(today().isoformat())  # the pairing starts today
    page.get_by_label("备注").fill("茶叶收购款已全部支付")
    page.get_by_label("佐证材料").set_input_files(str(photo))
    page.get_by_role("button", name="提交进度报告").click()
    expect(page.locator(".flashes")).to_contain_text("已发送给村里确认")

    support.browser_login(page, live_server, m.secretary.email)
    page.goto(pairing_url)
    expect(page.locator(".evidence a")).to_have_text("收购现场.png")
    page.get_by_role("button", name="确认已交付").click()
    expect(page.locator("#need-status")).to_contain_text("已满足")
    screenshot(page, "matching-pairing-zh")
