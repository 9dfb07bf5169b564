"""Issue 19's first journey at the browser, in Chinese, on a phone and a desktop: a county
verifier rejects a help request with a reason; the secretary finds the notice in the inbox,
follows its link and appeals. A screenshot per step under screenshots/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support import browser_login, make_user, screenshot

sys.path.append(str(Path(__file__).parents[1] / "giving"))
from giving_helpers import make_household, make_request, make_village  # noqa: E402

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("size", list(SIZES))
def test_rejected_request_notice_link_and_appeal(page, live_server, app, size):
    page.set_viewport_size(SIZES[size])
    secretary = make_user(app, "secretary")
    verifier = make_user(app, "verifier", jurisdiction="433124")
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")

    browser_login(page, live_server, verifier.email, next_path="/verification")
    page.locator(f"#reason-help_requests-{req}").fill("缺少医院诊断证明，请补充后再提交")
    screenshot(page, f"appeal-{size}-1-verifier-rejects")
    page.locator(f"form[action='/verification/help_requests/{req}'] "
                 "button[value=reject]").click()
    expect(page.get_by_role("heading", name="确认决定")).to_be_visible()
    page.get_by_role("button", name="确认驳回").click()
    expect(page.locator(".flashes")).to_be_visible()

    browser_login(page, live_server, secretary.email)
    page.goto(live_server + "/inbox")
    notice = page.locator(".inbox a", has_text="未通过审核")
    expect(notice).to_contain_text("缺少医院诊断证明，请补充后再提交")
    screenshot(page, f"appeal-{size}-2-inbox-notice")

    notice.click()
    page.wait_for_url(f"**/appeals/help_request/{req}")
    expect(page.locator(".decision-reason")).to_contain_text("缺少医院诊断证明")
    page.get_by_label("申诉理由").fill("诊断证明已作为附件上传，请复核")
    screenshot(page, f"appeal-{size}-3-appeal-form")
    page.get_by_role("button", name="提交申诉").click()
    expect(page.locator(".flashes")).to_contain_text("上一级审核员")
    expect(page.locator(".appeal-status")).to_have_text("等待裁定")
    expect(page.get_by_role("button", name="提交申诉")).to_have_count(0)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, f"appeal-{size}-4-appealed")
