"""Trust journeys at the browser, in Chinese, on a phone (390×844) and a desktop (1366×900):
both sides accept a proposal, each sees the other's contact and they exchange messages; a
verifier facing a warning cannot approve without saying why."""

from __future__ import annotations

import pytest
from enterprises import factories as f
from matching import mhelp as h
from playwright.sync_api import expect

import support
from pairing.extensions import db
from pairing.places.models import Village
from support import screenshot

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def _accept(page, live_server, who) -> None:  # noqa: ANN001
    support.browser_login(page, live_server, who.email)
    page.goto(live_server + "/proposals")
    page.locator(".proposal").first.get_by_label("接受").check()
    page.get_by_role("button", name="提交答复").click()


@pytest.mark.parametrize("size", SIZES)
def test_both_sides_accept_then_reach_each_other(page, live_server, app, make_user, size):
    page.set_viewport_size(SIZES[size])
    m = h.market(app, make_user)
    with app.app_context():
        from pairing.enterprises.models import Enterprise

        e = db.session.get(Enterprise, m.enterprise_id)
        e.contact_name, e.contact_phone = "王经理", "0571-8888 1234"
        db.session.commit()
    h.run_round(app, m.coordinator)
    (prop, *_r), = h.proposals(app)

    support.browser_login(page, live_server, m.secretary.email)
    page.goto(live_server + "/inbox")
    expect(page.locator("main")).to_contain_text("推荐")
    page.goto(live_server + "/proposals")
    card = page.locator(f"#proposal-{prop}")
    expect(card).to_contain_text(f"推荐 {prop}")  # the number the inbox names
    expect(card).to_contain_text("收购茶叶")  # the offer's description
    screenshot(page, f"trust-proposal-card-{size}-zh")

    _accept(page, live_server, m.officer)
    expect(page.locator(".flashes")).to_contain_text("您的答复已记录")
    _accept(page, live_server, m.secretary)
    expect(page.locator(".flashes")).to_contain_text("双方均已接受")
    pairing_url = page.url
    expect(page.locator("#contact-enterprise")).to_contain_text("王经理")
    expect(page.locator("#contact-enterprise")).to_contain_text("0571-8888 1234")
    page.get_by_label("工作电话").fill("0743-5221 188")
    page.get_by_role("button", name="保存联系人").click()
    expect(page.locator(".flashes")).to_contain_text("联系人已保存")
    page.get_by_label("给对方留言").fill("王经理您好，茶叶下周二可以装车，请派车来村。")
    page.get_by_role("button", name="发送留言").click()
    expect(page.locator(".flashes")).to_contain_text("消息已发送")
    expect(page.locator(".thread")).to_contain_text("下周二可以装车")

    support.browser_login(page, live_server, m.officer.email)
    page.goto(live_server + "/inbox")
    expect(page.locator("main")).to_contain_text("留言")
    page.locator("main a[href$='#messages']").first.click()
    expect(page.locator("#contact-village")).to_contain_text("0743-5221 188")
    page.get_by_label("给对方留言").fill("收到，周二上午九点到村委会。")
    page.get_by_role("button", name="发送留言").click()
    expect(page.locator(".thread .message").last).to_contain_text("周二上午九点")
    page.goto(pairing_url + "#messages")
    screenshot(page, f"readme-pairing-{size}")

    # A third party sees neither: another enterprise gets "not found".
    other = make_user("enterprise")
    support.browser_login(page, live_server, other.email)
    response = page.goto(pairing_url)
    assert response is not None and response.status == 404


@pytest.mark.parametrize("size", SIZES)
def test_a_warning_blocks_approval_until_the_verifier_says_why(page, live_server, app,
                                                               make_user, size):
    page.set_viewport_size(SIZES[size])
    verifier = make_user("verifier", jurisdiction="43")
    v = f.village(app, None, status="pending", name="乙村", poor_households=999,
                  poor_population=5000)
    support.browser_login(page, live_server, verifier.email)
    page.goto(live_server + "/verification")
    entry = page.locator(f"#villages-{v}")
    expect(entry.locator(".badge.warn").first).to_be_visible()
    entry.get_by_role("button", name="核实").click()
    expect(page.get_by_role("heading", name="确认决定")).to_be_visible()
    expect(page.locator("#warnings")).to_contain_text("贫困户数多于总户数")
    screenshot(page, f"trust-verifier-warning-{size}-zh")
    # The browser refuses the empty reason; a short one is refused by the server.
    page.get_by_role("button", name="仍然批准").click()
    assert page.evaluate("document.querySelector('#override').validity.valueMissing")
    page.evaluate("document.querySelector('#override').removeAttribute('minlength')")
    page.get_by_label("不顾提示仍批准的理由").fill("好的")
    page.get_by_role("button", name="仍然批准").click()
    expect(page.locator(".flash.error")).to_contain_text("说明")
    with app.app_context():
        assert db.session.get(Village, v).status == "pending"
    page.get_by_label("不顾提示仍批准的理由").fill("已电话核实：贫困户数录入错误，县扶贫办确认为 99 户")
    page.get_by_role("button", name="仍然批准").click()
    expect(page.locator(".flashes")).to_contain_text("已批准：村庄 乙村")
    assert page.url.endswith("/verification#villages")
    with app.app_context():
        assert db.session.get(Village, v).status == "verified"
    page.get_by_role("button", name="撤销").click()
    expect(page.locator(".flashes")).to_contain_text("已撤销")
    with app.app_context():
        assert db.session.get(Village, v).status == "pending"
