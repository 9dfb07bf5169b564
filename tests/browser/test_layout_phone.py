"""A phone held upright (390 px), in both languages: no page scrolls sideways, no figure
on the dashboard breaks inside its number, and each checkbox sits on the line of its
label. Each page is visited as a role that may see it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support import browser_login, screenshot

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-2026"

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"

# Each figure's number is on one line and inside its card.
FIGURES = """() => [...document.querySelectorAll('.figure .number')].flatMap(n => {
    const range = document.createRange(); range.selectNodeContents(n);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    const card = n.closest('.figure'), style = getComputedStyle(card);
    const right = card.getBoundingClientRect().right - parseFloat(style.paddingRight);
    const out = range.getBoundingClientRect().right - right;
    return lines === 1 && out <= 0.5 ? [] : [[n.textContent, lines, out]]; })"""

# Each checkbox of a list shares a line with its label's text.
CHECKBOXES = """() => [...document.querySelectorAll('main form input[type=checkbox]')].flatMap(box => {
    const label = box.closest('label') || document.querySelector(`label[for="${box.id}"]`);
    if (!label) return [[box.id, 'no label']];
    const range = document.createRange(); range.selectNodeContents(label);
    if (label.contains(box)) range.setStartAfter(box);
    const text = range.getClientRects()[0], b = box.getBoundingClientRect();
    const same = text && Math.abs((text.top + text.bottom) / 2 - (b.top + b.bottom) / 2) < b.height;
    return same ? [] : [[box.id, label.textContent.trim()]]; })"""


# Every cell of a table (its buttons and descriptions) is within the screen's width, not
# behind a sideways scroll of its wrapper.
IN_VIEW = """() => [...document.querySelectorAll('main td')].flatMap(td => {
    const r = td.getBoundingClientRect();
    return r.right <= window.innerWidth + 0.5 ? [] : [[td.textContent.trim().slice(0, 30), r.right]]; })"""


def _ids(app) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import select

    from pairing.accounts.models import User
    from pairing.extensions import db
    from pairing.giving.models import HelpRequest, Household
    from pairing.matching.models import Round
    from pairing.places.models import Village

    with app.app_context():
        secretary = db.session.scalar(select(User.id).where(
            User.email == "secretary@demo.pairing.cn"))
        return {
            "round": db.session.scalar(select(Round.id).order_by(Round.id)),
            "household": db.session.scalar(
                select(Household.id).join(Village, Village.id == Household.village_id)
                .where(Village.secretary_id == secretary).order_by(Household.id)),
            "request": db.session.scalar(select(HelpRequest.id).where(
                HelpRequest.status == "submitted").order_by(HelpRequest.id)),
        }


def test_pages_fit_a_phone_in_both_languages(page, live_server, runner, app):
    """One demo load (slow) for every page; each is measured in Chinese and in English."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    ids = _ids(app)
    assert all(ids.values()), ids
    pages = {
        None: ["/dashboard", "/offers", "/needs", "/enterprises", "/enterprises/1", "/open-data"],
        "coordinator@demo.pairing.cn": [
            "/rounds", f"/rounds/{ids['round']}", "/admin/users", "/admin/audit",
            "/payments/pending"],
        "secretary@demo.pairing.cn": [
            f"/giving/households/{ids['household']}",
            f"/giving/households/{ids['household']}/card", "/giving/households/new",
            "/shop/payouts"],
        "verifier.county@demo.pairing.cn": [f"/giving/verify/requests/{ids['request']}"],
        "enterprise@demo.pairing.cn": ["/giving/matches/new"],
    }
    page.set_viewport_size({"width": 390, "height": 844})
    wide: list[tuple[str, str, int]] = []
    for email, paths in pages.items():
        if email:
            browser_login(page, live_server, email, DEMO_PASSWORD)
        else:
            page.context.clear_cookies()
        for lang in ("zh", "en"):
            page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
            for path in paths:
                response = page.goto(live_server + path)
                assert response is not None and response.ok, (path, response and response.status)
                expect(page.locator("html")).to_have_attribute(
                    "lang", "zh-Hans" if lang == "zh" else "en")
                over = page.evaluate(OVERFLOW)
                if over > 0:
                    wide.append((lang, path, over))
                    screenshot(page, f"phone-wide-{lang}-{path.strip('/').replace('/', '-')}")
                assert page.locator("[aria-describedby=None], [aria-invalid=None]").count() == 0, path
                if path == "/dashboard":
                    assert page.locator(".figure .number").count() >= 10
                    assert page.evaluate(FIGURES) == [], lang
                if path in ("/payments/pending", "/open-data"):  # cards, not a sideways table
                    assert page.locator("main table.stack td").count() >= 3, path
                    assert page.evaluate(IN_VIEW) == [], (lang, path)
                if path == f"/rounds/{ids['round']}":  # optimiser and greedy side by side, in view
                    assert page.locator("main table.fit td").count() >= 20, path
                    assert page.evaluate(IN_VIEW) == [], (lang, path)
                if path in ("/giving/households/new", "/giving/matches/new"):
                    assert page.locator("ul.choices input[type=checkbox]").count() >= 2, path
                    assert page.evaluate(CHECKBOXES) == [], (lang, path)
    assert wide == [], wide
    screenshot(page, "phone-last-page-en")
