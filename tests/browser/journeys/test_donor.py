"""The donor's whole journey, in Chinese, on a phone and a desktop, from a crowdfunding
page: a guest gift of a preset amount whose receipt says what was matched; then, on the
same page, log in → register → the mailed link, landing back on the request (`next` kept
all the way), a gift as a registered donor, its receipt and the my-gifts statement.
The requests and the enterprise's matching pool are the demo's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pairing.extensions import db
from pairing.giving import matching
from pairing.giving.models import HelpRequest

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r".*/giving/receipts/\d+(/[0-9a-f]{32})?$")


def _matched_request(app) -> int:  # noqa: ANN001
    """An open demo request whose gifts an enterprise doubles, with ¥1,000 still needed."""
    with app.app_context():
        for req in db.session.scalars(select(HelpRequest).where(HelpRequest.status == "open")
                                      .order_by(HelpRequest.id)):
            if req.remaining_fen >= 100_000 and matching.active_matches(req.id):
                return req.id
    raise AssertionError("the demo has no matched open request")


def test_donor_journey(journey, app, runner):
    page, n = journey.page, journey.device
    assert runner.invoke(args=["demo", "load"]).exit_code == 0  # once per module
    rid = _matched_request(app)

    # A guest, from the list to the request; on a phone the give button is on screen.
    journey.go("/crowdfunding")
    journey.step("list")
    page.locator(f"main a[href='/crowdfunding/{rid}']").first.click()
    page.wait_for_url(f"**/crowdfunding/{rid}")
    journey.step("request")
    if journey.phone:
        bar = page.locator(".give-bar")
        assert journey.in_view(bar), "the give button is off the phone's screen"
        bar.click()
    guest = page.locator("form[action$='/give-as-guest']")
    guest.locator("label.preset").first.locator("input").check()
    guest.get_by_label("公开显示的姓名").fill("周女士")
    guest.get_by_label("接收捐赠凭证的电子邮箱").fill(f"zhou-{n}@example.org")
    journey.step("guest-form")
    guest.get_by_role("button", name="免注册捐款").click()
    expect(page).to_have_url(RECEIPT)
    expect(page.locator(".receipt")).to_contain_text("周女士")
    expect(page.locator(".receipt .matched")).to_contain_text("配捐")
    journey.step("guest-receipt")
    assert journey.mails_to(f"zhou-{n}@example.org"), "no receipt mailed"

    # Registering from the request's log-in link keeps the way back to it.
    journey.go(f"/crowdfunding/{rid}")
    page.locator("main").get_by_role("link", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login?next=" in url)
    page.locator("main").get_by_role("link", name="注册", exact=True).click()
    expect(page.get_by_label("我是")).to_have_value("donor")
    email = f"donor-{n}@example.org"
    page.get_by_label("您的姓名").fill("刘女士")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码", exact=True).fill("a long password")
    page.get_by_label("再次输入密码").fill("a long password")
    journey.step("register")
    page.get_by_role("button", name="创建账户").click()
    expect(page.locator(".flashes")).to_contain_text("请查收电子邮件")
    body = journey.mails_to(email)[-1].get_content()
    link = next(line for line in body.splitlines() if "/register/" in line).strip()
    journey.go(link[link.index("/register/"):])
    page.get_by_role("button", name="创建账户").click()
    page.wait_for_url(f"**/crowdfunding/{rid}")
    expect(page.locator(".flashes")).to_contain_text("账户已创建")
    journey.step("back-on-request")

    # A gift as the registered donor: preset, receipt with the matched share.
    give = page.locator("form.donate-form").first
    give.locator("label.preset").first.locator("input").check()
    give.get_by_role("button", name="立即捐款").click()
    journey.step("after-give")
    expect(page).to_have_url(RECEIPT)
    expect(page.locator(".receipt")).to_contain_text("刘女士")
    expect(page.locator(".receipt .matched")).to_contain_text("配捐")
    journey.step("receipt")

    # The statement of my gifts.
    journey.menu("我的捐款")
    gifts = page.locator("main")
    expect(gifts).to_contain_text("配捐")
    expect(gifts).to_contain_text("已到账")
    journey.step("my-gifts")
    gifts.get_by_role("link", name=re.compile(r"^\d{4}$")).first.click()
    expect(page.locator("main")).to_contain_text("刘女士")
    journey.step("statement")
