"""The enterprise's whole journey, in Chinese, on a phone and a desktop: register, confirm
from the mail, the first-steps checklist, the company, an offer of "50万", the county's
verification (a verifier's act: by the service), a round's proposal with its reason,
accepting it, the village's contact once both accepted, and the message thread."""

from __future__ import annotations

import pytest
from browser.journeys.journey import beijing_now
from enterprises import factories as f
from matching import mhelp as h
from playwright.sync_api import expect
from sqlalchemy import select

from pairing.db import today
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.verification import decisions
from pairing.verification.registry import SECTIONS

pytestmark = pytest.mark.browser


def _verify(app, verifier, enterprise_id: int) -> None:  # noqa: ANN001
    """The county's verifier approves the company (their own journey is test_verifier)."""
    with app.app_context():
        section = SECTIONS["enterprises"]
        decisions.apply(h.user(verifier), section, section.load(enterprise_id), True, "", "",
                        db.session)
        db.session.commit()


def test_enterprise_journey(journey, app, make_user):
    page, n = journey.page, journey.device
    email = f"officer-{n}@example.org"
    name = "杭州西湖茶业有限公司" if n == "phone" else "杭州龙井茶业有限公司"

    # Register from the home page; the role defaults to the enterprise's.
    journey.go("/")
    page.locator("main").get_by_role("link", name="以企业、村庄或爱心人士身份加入").click()
    expect(page.get_by_label("我是")).to_have_value("enterprise")
    page.get_by_label("您的姓名").fill("陈经理")
    page.get_by_label("电子邮件").fill(email)
    page.get_by_label("密码", exact=True).fill("a long password")
    page.get_by_label("再次输入密码").fill("a long password")
    journey.step("register")
    page.get_by_role("button", name="创建账户").click()
    expect(page.locator(".flashes")).to_contain_text("请查收电子邮件")
    journey.step("check-mail")
    body = journey.mails_to(email)[-1].get_content()
    link = next(line for line in body.splitlines() if "/register/" in line).strip()
    journey.go(link[link.index("/register/"):])
    journey.step("confirm")
    page.get_by_role("button", name="创建账户").click()

    # The first steps: register the company first.
    steps = page.locator(".first-steps")
    expect(steps).to_contain_text("登记企业")
    expect(steps.locator(".step.todo")).to_have_count(1)
    journey.step("first-steps")
    steps.get_by_role("link", name="登记企业").click()
    page.get_by_label("企业名称").fill(name)
    page.get_by_label("统一社会信用代码").fill(
        credit_code.make("91", f.XIHU, "7" * 8 + ("1" if n == "phone" else "2")))
    page.get_by_label("省份").select_option(label="浙江省")
    page.get_by_label("县（市、区）").select_option(label="西湖区")
    page.get_by_label("员工人数").fill("420")
    page.get_by_label("联系人", exact=True).fill("陈经理")
    page.get_by_label("联系电话").fill("0571-8701 2345")
    journey.step("company-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flashes")).to_be_visible()
    journey.step("company-saved")

    # Back on the home page: waiting for the county, the offer is the next thing to do.
    journey.go("/")
    expect(steps.locator(".step.wait")).to_contain_text("尚未公开")
    steps.get_by_role("link", name="发布帮扶承诺").click()
    page.get_by_label("帮扶类型").select_option("procurement")
    page.get_by_label("数量").fill("50万")
    page.locator("input[name=starts_on]").fill(today().isoformat())
    page.get_by_label("说明").fill("每年收购高山绿茶")
    journey.step("offer-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("50万")
    journey.step("offer-saved")
    with app.app_context():
        ent = db.session.scalar(select(Enterprise).where(Enterprise.name == name))
        offer = db.session.scalar(select(Offer).where(Offer.enterprise_id == ent.id))
        assert offer.quantity == 500_000 * 100  # fen
        ent_id, offer_id = ent.id, offer.id

    # The county verifies the company: the notice arrives in the inbox.
    _verify(app, make_user("verifier", jurisdiction="33"), ent_id)
    journey.go("/inbox")
    expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("main")).to_contain_text("通过")
    journey.step("inbox-verified")

    # A round proposes a village; the card says why.
    secretary = make_user("secretary")
    village = f.village(app, secretary.id, name=f"十八洞村{n}")
    f.need(app, village, kind="procurement", quantity=20_000_000, description="茶叶销路")
    h.run_round(app, make_user("coordinator", jurisdiction="CN"))
    (prop,) = [p for p in h.proposals(app) if p[1] == offer_id]
    journey.go("/proposals")
    card = page.locator(f"#proposal-{prop[0]}")
    expect(card).to_contain_text(f"十八洞村{n}")
    expect(card.locator(".reasons li").first).to_be_visible()
    expect(card).to_contain_text("每年收购高山绿茶")
    journey.step("proposal")
    card.get_by_label("接受").check()
    card.get_by_role("button", name="提交答复").click()
    expect(page.locator(".flashes")).to_contain_text("您的答复已记录")
    journey.step("accepted")

    # The village accepts too (the secretary's own journey); the contact shows, then talk.
    h.answer(app, secretary, prop[0])
    journey.go("/inbox")
    page.locator("main a[href*='/pairings/']").first.click()
    expect(page.locator("#contact-village")).to_be_visible()
    journey.step("pairing")
    page.get_by_label("给对方留言").fill("书记您好，下周二派车到村收茶。")
    page.get_by_role("button", name="发送留言").click()
    expect(page.locator(".flashes")).to_contain_text("消息已发送")
    expect(page.locator(".thread")).to_contain_text("下周二派车到村收茶")
    sent = page.locator(".thread .message").last
    expect(sent).to_contain_text("北京时间")
    assert any(t in sent.inner_text() for t in beijing_now()), sent.inner_text()
    journey.step("message-sent")
