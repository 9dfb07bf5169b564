"""The county verifier's whole journey, in Chinese, on a phone and a desktop: the queue,
an item whose story names an illness the household keeps private, approval blocked until
the warning is overridden with a reason, the confirmation, the message naming what was
decided, back on the same queue, and the undo within its window."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from giving.giving_helpers import make_household, make_village
from playwright.sync_api import expect

from pairing.accounts.models import User
from pairing.db import utcnow
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import HelpRequest, Household

pytestmark = pytest.mark.browser


def _request(app, secretary, household: int, title: str) -> int:  # noqa: ANN001
    """A submitted request whose story repeats the private diagnosis (the secretary's)."""
    with app.app_context():
        actor = db.session.get(User, secretary.id)
        req = giving.create_request(
            actor, db.session.get(Household, household), purpose="medical", title=title,
            story="母亲患尿毒症，需要长期透析，家里负担很重。", diagnosis="尿毒症",
            amount_needed_fen=3_000_000, deadline=utcnow() + timedelta(days=60))
        giving.submit_request(actor, req)
        db.session.commit()
        return req.id


def test_verifier_journey(journey, app, make_user):
    page, n = journey.page, journey.device
    secretary = make_user("secretary")
    village = make_village(app, secretary.id, name=f"排碧村{n}")
    household = make_household(app, secretary.id, village, seq=7 if n == "phone" else 8)
    title = f"为母亲治病（{n}）"
    rid = _request(app, secretary, household, title)
    verifier = make_user("verifier", jurisdiction="433124", name="花垣县扶贫办 李核查")

    journey.login(verifier.email)
    journey.step("home")
    journey.menu("审核")
    page.wait_for_url("**/verification")
    entry = page.locator(f"#help_requests-{rid}")
    expect(entry.locator(".badge.warn").first).to_contain_text("病情")
    journey.step("queue")

    # The item: the warning stands out beside the data.
    entry.get_by_role("link", name=title).first.click()
    expect(page.locator(".flash.warning")).to_contain_text("尿毒症")
    journey.step("item")
    page.get_by_role("button", name=re.compile("审核通过")).click()
    expect(page.get_by_role("heading", name="确认决定")).to_be_visible()
    expect(page.locator("#warnings")).to_contain_text("尿毒症")
    journey.step("confirm")

    # Approval is blocked until the override says why; then the message names the item.
    page.get_by_role("button", name="仍然批准").click()
    assert page.evaluate("document.querySelector('#override').validity.valueMissing")
    with app.app_context():
        assert db.session.get(HelpRequest, rid).status == "submitted"
    page.get_by_label("不顾提示仍批准的理由").fill("已入户核实：户主同意在公示中写明病情，书面同意书已补交")
    page.get_by_role("button", name="仍然批准").click()
    expect(page.locator(".flashes")).to_contain_text(f"已批准：排碧村{n}的医疗救助申请")
    assert re.search(r"/verification(#help_requests)?$", page.url), page.url
    with app.app_context():
        assert db.session.get(HelpRequest, rid).status != "submitted"
    journey.step("approved")

    # Undo within the window: the request waits again, on the same queue.
    recent = page.locator("#recent-decisions")
    expect(recent).to_contain_text(f"已批准：排碧村{n}的医疗救助申请")
    recent.get_by_role("button", name="撤销").first.click()
    expect(page.locator(".flashes")).to_contain_text("已撤销")
    assert re.search(r"/verification(#help_requests)?$", page.url), page.url
    expect(page.locator(f"#help_requests-{rid}")).to_be_visible()
    with app.app_context():
        assert db.session.get(HelpRequest, rid).status == "submitted"
    journey.step("undone")
