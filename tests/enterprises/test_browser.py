"""The whole path in a real browser (Chinese): an officer registers an enterprise, a
verifier verifies it, the officer posts an offer, a visitor finds it on /offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from enterprises import factories as f
from playwright.sync_api import expect

import support

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.mark.browser
def test_register_verify_offer_find(app, live_server, page, make_user):
    server = live_server
    SHOTS.mkdir(exist_ok=True)
    officer = make_user("enterprise", name="陈经理")
    verifier = make_user("verifier", jurisdiction="43", name="李核查")
    code = f.code(424242)
    page.set_viewport_size({"width": 1200, "height": 900})
    support.browser_login(page, server, officer.email)
    page.goto(f"{server}/enterprises/new")
    page.fill("input[name=name]", "湘西十八洞食品有限公司")
    page.fill("input[name=credit_code]", code)
    page.select_option("select[name=province]", "43")
    page.wait_for_selector("select[name=county_code] option[value='433124']",
                           state="attached")
    page.select_option("select[name=county_code]", "433124")
    page.select_option("select[name=sector]", "C")
    page.fill("input[name=employees]", "320")
    page.fill("textarea[name=description]", "猕猴桃果脯和腊肉加工")
    page.screenshot(path=str(SHOTS / "marketplace-1-register.png"), full_page=True)
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("等待核查")
    support.browser_logout(page)

    support.browser_login(page, server, verifier.email)
    page.goto(f"{server}/verification")
    expect(page.locator("#enterprises")).to_contain_text("湘西十八洞食品有限公司")
    page.screenshot(path=str(SHOTS / "marketplace-2-queue.png"), full_page=True)
    page.click("#enterprises button[value=verify]")
    page.get_by_role("button", name="确认批准").click()  # the confirmation step
    expect(page.locator(".flashes")).to_contain_text("已批准：企业 湘西十八洞食品有限公司")
    support.browser_logout(page)

    support.browser_login(page, server, officer.email)
    page.goto(f"{server}/my/enterprises")
    page.click("text=发布帮扶承诺")
    page.select_option("select[name=kind]", "procurement")
    page.fill("input[name=quantity]", "1500000")
    page.fill("input[name=max_villages]", "4")
    page.select_option("select[name=provinces]", ["43", "52"])
    page.fill("textarea[name=description]", "保底价收购十八洞村猕猴桃")
    page.click("main form button[type=submit]")
    expect(page.locator(".flashes")).to_contain_text("帮扶承诺已保存")
    page.screenshot(path=str(SHOTS / "marketplace-3-enterprise.png"), full_page=True)
    support.browser_logout(page)

    page.goto(f"{server}/offers")
    page.fill("input[name=q]", "猕猴桃")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=*")
    expect(page.locator("main")).to_contain_text("湘西十八洞食品有限公司")
    expect(page.locator("main")).to_contain_text("150万元")
    page.screenshot(path=str(SHOTS / "marketplace-4-offers.png"), full_page=True)


@pytest.mark.browser
def test_province_chosen_before_the_script_ran_gets_its_counties(app, live_server, page,
                                                                 make_user):
    """On a slow network the officer may pick the province before marketplace.js has run:
    no change event is left to come, so the script fills the counties when it starts."""
    officer = make_user("enterprise", name="陈经理")
    support.browser_login(page, live_server, officer.email)
    page.route("**/js/marketplace.js*", lambda route: route.abort())
    page.goto(f"{live_server}/enterprises/new")
    page.select_option("select[name=province]", "43")
    expect(page.locator("select[name=county_code] option")).to_have_count(1)
    page.unroute("**/js/marketplace.js*")
    page.add_script_tag(url=f"{live_server}/static/js/marketplace.js")
    page.select_option("select[name=county_code]", "433124")
    expect(page.locator("select[name=county_code]")).to_have_value("433124")
