"""The village first secretary's whole journey, in Chinese, on a phone and a desktop: the
first steps, the village, a need of "3万", a household and its help request (a failed try
keeps what was typed), the verifier's decision in the inbox, a proposal accepted, and a
delivery the enterprise reported confirmed. Other people's acts go through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from enterprises import factories as f
from giving.giving_helpers import id_number
from matching import mhelp as h
from playwright.sync_api import expect
from sqlalchemy import select

from pairing.db import today
from pairing.extensions import db
from pairing.giving.models import HelpRequest
from pairing.matching import delivery
from pairing.matching.models import Pairing
from pairing.needs.models import Need
from pairing.places.models import Village
from pairing.verification import decisions
from pairing.verification.registry import SECTIONS

pytestmark = pytest.mark.browser


def _decide(app, verifier, key: str, ident: int, reason: str = "") -> None:  # noqa: ANN001
    """The county's verifier decides (their own journey is test_verifier)."""
    with app.app_context():
        section = SECTIONS[key]
        decisions.apply(h.user(verifier), section, section.load(ident), True, reason, "",
                        db.session)
        db.session.commit()


def test_secretary_journey(journey, app, make_user):
    page, n = journey.page, journey.device
    name = f"十八洞村{n}"
    secretary = make_user("secretary", name="施书记")
    verifier = make_user("verifier", jurisdiction="433124")
    journey.login(secretary.email)
    steps = page.locator(".first-steps")
    expect(steps.locator(".step.todo")).to_contain_text("登记村庄")
    journey.step("first-steps")

    # The village, with the place picked by name.
    steps.get_by_role("link", name="登记村庄").click()
    page.locator("[name=name]").fill(name)
    page.locator("[name=province]").select_option(label="湖南省")
    page.locator("[name=county_code]").select_option(label="花垣县")
    for field, value in (("population", "939"), ("households", "225"),
                         ("poor_households", "136"), ("poor_population", "533"),
                         ("income_per_capita", "3800")):
        page.locator(f"[name={field}]").fill(value)
    journey.step("village-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flashes")).to_be_visible()
    journey.step("village-saved")
    with app.app_context():
        village = db.session.scalar(select(Village.id).where(Village.name == name))
    _decide(app, verifier, "villages", village)

    # A need, its amount written the Chinese way.
    journey.go("/")
    steps.get_by_role("link", name="发布村里的需求").click()
    page.locator("[name=kind]").select_option("procurement")
    page.locator("[name=quantity]").fill("3万")
    page.locator("[name=description]").fill("高山绿茶滞销，希望企业收购")
    journey.step("need-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("3万")
    journey.step("need-saved")
    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.village_id == village))
        assert need.quantity == 30_000 * 100
        need_id = need.id

    # A household, then its help request: the first try fails and keeps what was typed.
    journey.go("/")
    steps.get_by_role("link", name="登记需要帮助的农户").click()
    page.locator("[name=registration_no]").fill(f"R-{n}")
    page.locator("[name=head_name]").fill("龙德成")
    page.locator("[name=id_number]").fill(id_number(31 if n == "phone" else 32))
    page.locator("[name=address]").fill("三组 12 号")
    page.locator("[name=members]").fill("4")
    page.locator("[name=income_per_capita]").fill("2800")
    page.locator("[name=consent_publish]").check()
    page.locator("[name=consent_sensitive]").check()
    journey.step("household-form")
    page.locator("main form").get_by_role("button", name="注册").click()
    # The cadre's name was forgotten: said beside the field, the rest kept.
    expect(page.locator("#cadre_name-error")).to_contain_text("结对帮扶责任人")
    expect(page.locator("[name=head_name]")).to_have_value("龙德成")
    expect(page.locator("[name=consent_publish]")).to_be_checked()
    journey.step("household-error-kept")
    page.locator("[name=cadre_name]").fill("施金通")
    page.locator("main form").get_by_role("button", name="注册").click()
    expect(page.locator(".flashes")).to_be_visible()
    journey.step("household-saved")
    page.get_by_role("link", name="新建求助").first.click()
    story = "母亲长期透析，家里负担很重，希望大家帮一把。"
    page.locator("[name=purpose]").select_option("medical")
    page.locator("[name=story]").fill(story)
    page.locator("[name=amount]").fill("3万")
    page.locator("[name=deadline]").fill((today() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="保存草稿").click()  # no title: refused
    title_error = page.locator("#title-error")
    expect(title_error).to_contain_text("标题")
    expect(page.locator("[name=story]")).to_have_value(story)
    expect(page.locator("[name=amount]")).to_have_value("3万")
    journey.step("request-error-kept")
    page.locator("[name=title]").fill(f"为母亲治病 {n}")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("main")).to_contain_text(f"为母亲治病 {n}")
    journey.step("request-draft")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".flashes")).to_be_visible()
    journey.step("request-submitted")

    # The verifier approves: the notice with a link waits in the inbox.
    with app.app_context():
        rid = db.session.scalar(select(HelpRequest.id).where(
            HelpRequest.title == f"为母亲治病 {n}"))
    _decide(app, verifier, "help_requests", rid)
    journey.go("/inbox")
    notice = page.locator(".inbox a", has_text=f"为母亲治病 {n}").first
    expect(notice).to_contain_text("通过")
    journey.step("inbox-decision")

    # A round proposes an enterprise, which has accepted; the village accepts.
    officer = make_user("enterprise")
    ent = f.enterprise(app, officer.id, name=f"杭州绿源茶业{n}有限公司")
    offer = f.offer(app, ent, quantity=50_000_000, description="收购高山绿茶")
    h.run_round(app, make_user("coordinator", jurisdiction="CN"))
    (prop,) = [p for p in h.proposals(app) if p[1] == offer and p[2] == need_id]
    h.answer(app, officer, prop[0])
    journey.go("/proposals")
    card = page.locator(f"#proposal-{prop[0]}")
    expect(card).to_contain_text(f"杭州绿源茶业{n}有限公司")
    expect(card).to_contain_text("收购高山绿茶")
    journey.step("proposal")
    card.get_by_label("接受").check()
    card.get_by_role("button", name="提交答复").click()
    expect(page.locator(".flashes")).to_contain_text("双方均已接受")
    expect(page.locator("#contact-enterprise")).to_be_visible()
    journey.step("paired")

    # The enterprise reports a delivery; the village confirms it.
    with app.app_context():
        pairing = db.session.scalar(select(Pairing).where(Pairing.need_id == need_id))
        delivery.report_progress(h.user(officer), pairing, 1_200_000, today(),
                                 "第一批茶叶已收购", [])
        db.session.commit()
        pid = pairing.id
    journey.go(f"/pairings/{pid}")
    expect(page.locator("main")).to_contain_text("第一批茶叶已收购")
    page.get_by_role("button", name="确认已交付").click()
    expect(page.locator(".flashes")).to_be_visible()
    expect(page.get_by_role("button", name="确认已交付")).to_have_count(0)
    expect(page.locator("main .badge", has_text="已确认")).to_be_visible()
    expect(page.locator("main")).to_contain_text("1.2万元")
    journey.step("delivery-confirmed")
