"""At the browser, in Chinese, on a phone (390×844) and a desktop (1366×900): a progress
report sent with two errors comes back with what was typed, each error beside its field
and naming it, the chosen photo kept on the server for the retry; the corrected
report, written "1.2万", is accepted with the photo kept from the first attempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from matching import mhelp as h
from playwright.sync_api import expect

import support
from pairing.db import today
from support import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name,viewport", [("phone", {"width": 390, "height": 844}),
                                           ("desktop", {"width": 1366, "height": 900})])
def test_report_with_two_errors_keeps_its_values(page, live_server, app, make_user, tmp_path,
                                                 name, viewport):
    page.set_viewport_size(viewport)
    m, pairing_id = h.paired(app, make_user)
    photo = tmp_path / "收购现场.png"
    photo.write_bytes(h.PNG)
    support.browser_login(page, live_server, m.officer.email)
    page.goto(f"{live_server}/pairings/{pairing_id}")
    future = (today() + timedelta(days=3)).isoformat()
    page.get_by_label("交付数量").fill("五十多块")
    page.get_by_label("交付日期").fill(future)
    page.get_by_label("备注").fill("茶叶收购款第一批")
    page.get_by_label("佐证材料").set_input_files(str(photo))
    page.get_by_role("button", name="提交进度报告").click()

    # The values are back, each error beside its field and naming it.
    expect(page.get_by_label("交付数量")).to_have_value("五十多块")
    expect(page.get_by_label("交付日期")).to_have_value(future)
    expect(page.get_by_label("备注")).to_have_value("茶叶收购款第一批")
    expect(page.locator("#quantity-error")).to_contain_text("交付数量：")
    expect(page.locator("#delivered_on-error")).to_contain_text("交付日期：")
    expect(page.locator("#files-hint")).to_contain_text("收购现场.png")
    page.locator("#quantity-error").scroll_into_view_if_needed()
    screenshot(page, f"forms-report-two-errors-{name}-zh")
    assert h.reports(app) == []

    page.get_by_label("交付数量").fill("1.2万")
    page.get_by_label("交付日期").fill(today().isoformat())
    page.get_by_role("button", name="提交进度报告").click()
    expect(page.locator(".flashes")).to_contain_text("已发送给村里确认")
    screenshot(page, f"forms-report-sent-{name}-zh")
    assert h.reports(app) == [(1_200_000, "reported")]
    expect(page.locator(".evidence")).to_contain_text("收购现场.png")
