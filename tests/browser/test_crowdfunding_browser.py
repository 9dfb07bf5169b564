"""An anonymous visitor gives to a matched request as a guest, in Chinese, on a phone
(390x844) and a desktop (1366x900): the give button is on the phone's screen without
scrolling, a preset amount is picked, and the receipt shows what the enterprise matched."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pairing.extensions import db
from pairing.giving import matching
from pairing.giving.models import HelpRequest
from support import screenshot

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0
         && r.right <= window.innerWidth && r.height > 0; }"""


def _matched_request(app) -> int:  # noqa: ANN001
    """An open demo request whose gifts an enterprise doubles, with ¥200 still needed."""
    with app.app_context():
        for req in db.session.scalars(select(HelpRequest).where(HelpRequest.status == "open")
                                      .order_by(HelpRequest.id)):
            if req.remaining_fen >= 20_000 and matching.active_matches(req.id):
                return req.id
    raise AssertionError("the demo has no matched open request")


def _readme_shot(page, name: str) -> None:  # noqa: ANN001
    """What the README shows: the screen as the visitor first sees it (not the full page)."""
    path = screenshot(page, name)
    page.screenshot(path=str(path), full_page=False)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_guest_gives_a_preset_and_sees_the_match(_chromium, live_server, runner, app, device):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    rid = _matched_request(app)
    context = _chromium.new_context(viewport=VIEWPORTS[device], locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/crowdfunding/{rid}")
        screenshot(page, f"crowdfunding-{device}-1-request")
        if device == "phone":
            bar = page.locator(".give-bar")
            assert bar.evaluate(IN_VIEW), "the give button is off the phone's screen"
            _readme_shot(page, "readme-crowdfunding-phone")
            bar.click()
        else:
            _readme_shot(page, "readme-crowdfunding-desktop")
            assert not page.locator(".give-bar").is_visible()
        page.get_by_label(re.compile(r"¥200\.00")).check()
        page.get_by_label("公开显示的姓名").fill("周女士")
        page.get_by_label("接收捐赠凭证的电子邮箱").fill("zhou@example.org")
        screenshot(page, f"crowdfunding-{device}-2-form")
        page.get_by_role("button", name="免注册捐款").click()
        expect(page).to_have_url(re.compile(r".*/giving/receipts/\d+/[0-9a-f]{32}$"))
        receipt = page.locator(".receipt")
        expect(receipt).to_contain_text("¥200.00")
        expect(receipt).to_contain_text("周女士")
        expect(page.locator(".receipt .matched")).to_contain_text("配捐资金池为您的捐款追加了 ¥200.00")
        screenshot(page, f"crowdfunding-{device}-3-receipt")
        mail = app.extensions["sent_mail"][-1]
        assert mail["To"] == "zhou@example.org" and page.url.split(live_server)[1] in \
            mail.get_content()
    finally:
        context.close()
