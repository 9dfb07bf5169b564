"""The whole path at the browser, in Chinese: a coordinator runs a round, the enterprise
and the village accept, the enterprise reports with a photo, the village confirms and the
need shows as met."""

from __future__ import annotations

import pytest
from matching import mhelp as h

import support
from support import screenshot

pytestmark = pytest.mark.browser


def _login(page, base: str, email: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码").fill(support.PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_round_to_confirmed_delivery(page, live_server, app, make_user, tmp_path):
    m = h.market(app, make_user)
    _login(page, live_server, m.coordinator.email)
    page.goto(live_server + "/rounds")
    page.get_by_role("button", name="新建").click()
    app.config["MATCHING_INLINE_MAX"] = 0  # a worker thread; the page follows it (matching.js)
    page.get_by_role("button", name="开始匹配").click()
    page.locator("#round-status .badge.ok").wait_for()
    assert "已完成" in page.locator("#round-status").inner_text()
    assert page.locator("table.compare").get_by_text("贪心基线").count() >= 1
    screenshot(page, "matching-round-zh")

    _login(page, live_server, m.officer.email)
    page.goto(live_server + "/proposals")
    assert page.get_by_role("heading", name="推荐给您的村").is_visible()
    assert "公里" in page.locator(".reasons").inner_text()
    screenshot(page, "matching-proposals-enterprise-zh")
    page.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()
    assert "您的答复已记录" in page.locator(".flashes").inner_text()

    _login(page, live_server, m.secretary.email)
    page.goto(live_server + "/proposals")
    assert page.get_by_role("heading", name="推荐给您的企业").is_visible()
    screenshot(page, "matching-proposals-village-zh")
    page.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()
    assert "双方均已接受" in page.locator(".flashes").inner_text()
    pairing_url = page.url

    photo = tmp_path / "收购现场.png"
    photo.write_bytes(h.PNG)
    _login(page, live_server, m.officer.email)
    page.goto(pairing_url)
    page.get_by_label("交付数量").fill("200000")
    page.get_by_label("交付日期").fill("2026-11-20")
    page.get_by_label("备注").fill("茶叶收购款已全部支付")
    page.get_by_label("佐证材料").set_input_files(str(photo))
    page.get_by_role("button", name="提交进度报告").click()
    assert "已发送给村里确认" in page.locator(".flashes").inner_text()

    _login(page, live_server, m.secretary.email)
    page.goto(pairing_url)
    assert page.locator(".evidence a").inner_text() == "收购现场.png"
    page.get_by_role("button", name="确认已交付").click()
    assert "已满足" in page.locator("#need-status").inner_text()
    screenshot(page, "matching-pairing-zh")
