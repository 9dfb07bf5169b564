"""A person at the browser: the dashboard in both languages, the API documentation, and
an enterprise that makes a token and uses it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support import browser_login, screenshot

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:  # noqa: ANN001
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_dashboard_ledger_tokens_and_api_docs(page, live_server, runner, app):
    """One demo load (slow) for every page a person looks at here."""
    runner.invoke(args=["demo", "load"])
    errors = _watch(page)
    page.goto(live_server + "/dashboard")
    expect(page.get_by_role("heading", name="数据公示：用数字看万企帮万村")).to_be_visible()
    expect(page.locator(".tile-map rect")).to_have_count(34)
    screenshot(page, "dashboard-zh")
    page.get_by_label("地图着色依据").select_option("poor_population")
    page.wait_for_url("**figure=poor_population")
    assert "建档立卡贫困人口" in page.locator(".tile-map title").first.text_content()
    page.locator(".tile-map a[href*='/province/52']").click()
    expect(page.get_by_role("heading", name="贵州省")).to_be_visible()
    page.get_by_role("link", name="英语").or_(page.get_by_role("link", name="English")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "dashboard-province-en")
    page.goto(live_server + "/dashboard")
    expect(page.get_by_role("heading", name="Dashboard: the programme in figures")).to_be_visible()
    screenshot(page, "dashboard-en")
    assert errors == []  # the CSP would report inline scripts or styles here
    _token_and_api(page, live_server, errors)
    _ledger(page, live_server, errors)
    _pairing_on_a_phone(page, live_server, app)


def _token_and_api(page, live_server: str, errors: list[str]) -> None:  # noqa: ANN001
    """An enterprise makes a token and uses it; the API documentation renders."""
    browser_login(page, live_server, "enterprise@demo.pairing.cn", "demo-pass-2026")
    page.goto(live_server + "/account")
    page.get_by_label("新令牌的名称").fill("ERP 导出")
    page.get_by_role("button", name="创建令牌").click()
    token = page.locator("input.token").input_value()
    assert token.startswith("pt_")
    screenshot(page, "token-created-zh")
    r = page.request.get(live_server + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status == 200 and r.json()["role"] == "enterprise"
    page.goto(live_server + "/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 7
    screenshot(page, "api-docs-zh")
    assert errors == []


def _ledger(page, live_server: str, errors: list[str]) -> None:  # noqa: ANN001
    page.goto(live_server + "/ledger")
    expect(page.get_by_role("heading", name="公示账本")).to_be_visible()
    page.locator("table a[href*='/ledger/requests/']").first.click()
    page.wait_for_url("**/ledger/requests/**")
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshot(page, "ledger-request-zh")
    assert errors == []


def _pairing_on_a_phone(page, live_server: str, app) -> None:  # noqa: ANN001
    """A pairing's progress reports fit a 390 px phone in both languages (the English
    quantity "1,500,000 yuan" once pushed the state past the card)."""
    from sqlalchemy import select

    from pairing.extensions import db
    from pairing.matching.models import ProgressReport

    with app.app_context():
        pid = db.session.scalar(select(ProgressReport.pairing_id).limit(1))
    page.set_viewport_size({"width": 390, "height": 844})
    for lang in ("zh", "en"):
        page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
        page.goto(f"{live_server}/ledger/pairings/{pid}")
        expect(page.locator("table.report-rows tbody tr").first).to_be_visible()
        overflow = page.evaluate("""() => {
            const t = document.querySelector('table.report-rows'), box = t.closest('section');
            const pad = parseFloat(getComputedStyle(box).paddingRight);
            return t.getBoundingClientRect().right - (box.getBoundingClientRect().right - pad); }""")
        assert overflow <= 0.5, (lang, overflow)
        screenshot(page, f"ledger-pairing-phone-{lang}")
