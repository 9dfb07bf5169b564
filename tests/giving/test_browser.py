"""The demo path at the browser, in Chinese: a secretary registers a household with consent
and files a request, a verifier verifies it, three donors fund it (one anonymously, one by
double-clicking), the secretary asks for a payout with an invoice, the verifier approves,
and the public page shows the whole trail without personal data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from giving_helpers import PDF, id_number
from playwright.sync_api import expect
from sqlalchemy import func, select

from pairing.db import utcnow
from pairing.demo import DOMAIN, PASSWORD
from pairing.extensions import db
from pairing.giving.models import Disbursement, Donation, HelpRequest
from support import browser_login, screenshot

pytestmark = pytest.mark.browser


def _login(page, base: str, who: str) -> None:
    browser_login(page, base, f"{who}@{DOMAIN}", PASSWORD)


def _give(page, base: str, rid: int, amount: str, *, anonymous=False, double=False) -> None:
    page.goto(f"{base}/crowdfunding/{rid}")
    page.get_by_label("金额（元）").fill(amount)
    if anonymous:
        page.get_by_label("匿名捐款").check()
    button = page.get_by_role("button", name="立即捐款")
    if double:
        button.dblclick()
    else:
        button.click()
    # Polls the URL: a double click's second submit aborts the first navigation, on which
    # page.wait_for_url raises (net::ERR_ABORTED) instead of waiting for the second.
    expect(page).to_have_url(re.compile(r".*/giving/receipts/.+"))


def test_demo_path_in_chinese(page, live_server, runner, app, tmp_path):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    base = live_server
    number = id_number(77)

    _login(page, base, "secretary")
    page.goto(base + "/giving/households/new")
    page.get_by_label("建档立卡编号").fill("433124-0777")
    page.get_by_label("户主").fill("田秀珍")
    page.get_by_label("居民身份证号码").fill(number)
    page.get_by_label("住址").fill("十八洞村竹子寨 7 号")
    page.get_by_label("家庭人口").fill("4")
    page.get_by_label("人均纯收入（元/年）").fill("2900")
    page.get_by_label("因病").check()
    page.get_by_label("结对帮扶责任人").fill("驻村干部 龙干部")
    page.get_by_label("该户同意公开其求助").check()
    page.get_by_label("该户同意将其敏感信息（病情）用于审核").check()
    screenshot(page, "giving-household-form-zh")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".flashes")).to_contain_text("农户已登记")
    expect(page.locator("main")).to_contain_text(number[:6] + "********")
    assert number not in page.content()

    page.get_by_role("link", name="新建求助").click()
    page.get_by_label("用途").select_option("medical")
    page.get_by_label("标题").fill("田阿姨的化疗费用")
    page.get_by_label("求助说明（公开）").fill("田阿姨确诊后已做完手术，还需要六次化疗。")
    page.get_by_label("病情详情（仅供审核）").fill("乳腺癌术后")
    page.get_by_label("所需金额（元）").fill("2500")
    page.get_by_label("截止日期").fill((utcnow() + timedelta(days=40)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r".*/\d+/?$"))
    rid = int(page.url.rstrip("/").rsplit("/", 1)[1])
    page.get_by_role("link", name="修改", exact=True).click()  # the draft's amount was short
    expect(page.get_by_label("所需金额（元）")).to_have_value("2500")
    page.get_by_label("所需金额（元）").fill("3000")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("已保存")
    expect(page.locator("main")).to_contain_text("目标 ¥3,000.00")
    page.locator("input#file").set_input_files(
        files=[{"name": "住院证明.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("form:has(input#file)").get_by_role("button", name="上传").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".flashes")).to_contain_text("已提交审核")

    _login(page, base, "verifier.county")
    page.goto(base + "/verification")
    expect(page.locator("main")).to_contain_text("田阿姨的化疗费用")
    assert "田秀珍" not in page.content()
    screenshot(page, "giving-verification-queue-zh")
    page.locator(f"form[action='/verification/help_requests/{rid}'] button[value=verify]").click()
    page.get_by_role("button", name="确认批准").click()  # the confirmation step
    expect(page.locator(".flashes")).to_contain_text("已批准：")
    with app.app_context():  # the three days of public notice pass
        req = db.session.get(HelpRequest, rid)
        assert req.status == "notice"
        req.notice_until = utcnow() - timedelta(seconds=1)
        db.session.commit()

    _login(page, base, "donor")
    _give(page, base, rid, "1000", anonymous=True)
    screenshot(page, "giving-receipt-zh")
    _login(page, base, "donor02")
    _give(page, base, rid, "1200", double=True)
    _login(page, base, "donor03")
    page.goto(f"{base}/crowdfunding/{rid}")
    page.get_by_label("金额（元）").fill("900")
    page.get_by_role("button", name="立即捐款").click()
    # more than remains: the form comes back with the amount kept and the error beside it
    expect(page.locator(".field-errors")).to_contain_text("还差 ¥800.00")
    expect(page.get_by_label("金额（元）")).to_have_value("900")
    _give(page, base, rid, "800")
    with app.app_context():
        req = db.session.get(HelpRequest, rid)
        assert req.status == "funded" and req.raised_fen == 300_000
        assert db.session.scalar(select(func.count()).where(Donation.request_id == rid)) == 3

    _login(page, base, "secretary")
    page.goto(f"{base}/giving/requests/{rid}")
    page.get_by_label("金额（元）").fill("3000")
    page.get_by_label("用途说明（公开）").fill("县人民医院化疗费用（六个疗程）")
    page.get_by_label("发票（PDF、JPEG 或 PNG）").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="提交拨付申请").click()
    expect(page.locator(".flashes")).to_contain_text("拨付申请已提交")

    _login(page, base, "verifier.county")
    page.goto(base + "/verification")
    with app.app_context():
        did = db.session.scalar(select(Disbursement.id).where(Disbursement.request_id == rid))
    page.locator(f"form[action='/verification/disbursements/{did}'] button[value=verify]").click()
    page.get_by_role("button", name="确认批准").click()
    expect(page.locator(".flashes")).to_contain_text("已批准：")

    page.context.clear_cookies()
    page.goto(f"{base}/crowdfunding/{rid}")
    text = page.content()
    assert "已拨付" in text and "¥3,000.00" in text and "匿名爱心人士" in text
    assert "田**" in text and "田秀珍" not in text and number not in text
    assert "乳腺癌" not in text and "竹子寨" not in text
    screenshot(page, "giving-public-trail-zh")
    page.goto(base + "/crowdfunding")
    screenshot(page, "giving-crowdfunding-zh")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    text = page.content()
    assert "Village project" in text and "Gifts doubled by" in text
    screenshot(page, "giving-crowdfunding-en")
