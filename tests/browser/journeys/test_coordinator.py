"""The provincial coordinator's whole journey, in Chinese, on a phone and a desktop: the
rounds list and its scopes limited to the province, opening and running a round (its
stages with their times), and the dashboard of the province and of one of its counties,
its times in Beijing time. The market's rows come from the factories."""

from __future__ import annotations

import re

import pytest
from browser.journeys.journey import beijing_now
from enterprises import factories as f
from matching import mhelp as h
from playwright.sync_api import expect

from pairing.extensions import db
from pairing.matching import services

pytestmark = pytest.mark.browser


# Inside the width of the screen and of its scrolling box, without scrolling sideways.
SHOWN = """el => { const r = el.getBoundingClientRect();
  const box = el.closest('.table-scroll').getBoundingClientRect();
  return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1
         && r.right <= window.innerWidth; }"""


def test_coordinator_journey(journey, app, make_user):
    page, n = journey.page, journey.device
    # The market: Hunan's village and need, an enterprise's offer; Sichuan's round is not
    # the Hunan coordinator's to see.
    officer = make_user("enterprise")
    ent = f.enterprise(app, officer.id, name=f"杭州绿源茶业{n}有限公司")
    f.offer(app, ent, quantity=50_000_000, description="收购高山绿茶")
    village = f.village(app, make_user("secretary").id, name=f"排碧村{n}")
    f.need(app, village, quantity=20_000_000)
    national = make_user("coordinator", jurisdiction="CN")
    with app.app_context():
        sichuan = services.create_round(h.user(national), "51", {}).id
        db.session.commit()
    coordinator = make_user("coordinator", jurisdiction="43", name="湖南省工商联 周协调")

    journey.login(coordinator.email)
    journey.menu("结对匹配")
    scopes = page.locator("[name=province_code] option").all_inner_texts()
    assert scopes == ["湖南省"], scopes
    expect(page.locator(f"main a[href='/rounds/{sichuan}']")).to_have_count(0)
    journey.step("rounds")

    # Open and run a round: its stages are listed with their times, then what it proposed.
    page.get_by_role("button", name="新建").click()
    page.wait_for_url(re.compile(r".*/rounds/\d+$"))
    expect(page.locator("main")).to_contain_text("湖南省")
    journey.step("round-draft")
    page.get_by_role("button", name="开始匹配").click()
    stages = page.locator("#round-stages li")
    expect(stages.first).to_be_visible()
    assert stages.count() >= 2, stages.all_inner_texts()
    expect(page.locator("#round-status .badge")).to_have_text("已完成")
    journey.step("round-done")
    journey.menu("结对匹配")
    opened = page.locator("main table tbody tr").first
    expect(opened).to_contain_text("北京时间")
    assert any(t in opened.inner_text() for t in beijing_now()), opened.inner_text()
    journey.step("rounds-after")

    # The province's dashboard, then one county's.
    journey.go("/dashboard/province/43")
    expect(page.locator("main h1")).to_contain_text("湖南")
    journey.step("dashboard-province")
    journey.go("/dashboard/county/433124")
    expect(page.locator("main h1")).to_contain_text("花垣县")
    row = page.locator("main table tbody tr", has_text=f"排碧村{n}")
    expect(row).to_contain_text("%")  # the poverty incidence
    for cell in row.locator("td").all():  # every column on the screen, none scrolled away
        assert cell.evaluate(SHOWN), cell.inner_text()
    journey.step("dashboard-county")
