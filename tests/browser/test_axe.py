"""axe-core (vendored: tests/browser/vendor/axe-core, no CDN) on the main pages of the
journeys, in Chinese, on a phone (390x844) and a desktop (1366x900): any serious or
critical violation on the site's own pages fails. Screenshots of every page are saved
under screenshots/ (axe-<viewport>-<page>.png), and the README's under readme-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SCREENSHOTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-pass-2026"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
BLOCKING = ("serious", "critical")
# Third-party markup the site serves but did not write (the API docs' Swagger UI).
NOT_OURS = ("#swagger-ui",)

RUN_AXE = """async (exclude) => {
  const result = await axe.run({exclude: exclude.map(s => [s])},
                               {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""

README = {"shop": "readme-shop", "dashboard": "readme-dashboard", "pairing": "readme-pairing"}


def _ids(app) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import select

    from pairing.accounts.models import User
    from pairing.enterprises.models import Enterprise, Offer
    from pairing.extensions import db
    from pairing.giving.models import HelpRequest
    from pairing.matching.models import Pairing
    from pairing.shop.models import Product

    with app.app_context():
        officer = db.session.scalar(select(User.id).where(
            User.email == "enterprise@demo.pairing.cn"))
        return {
            "request": db.session.scalar(select(HelpRequest.id).where(
                HelpRequest.status == "open").order_by(HelpRequest.id)),
            "pairing": db.session.scalar(
                select(Pairing.id).join(Offer, Offer.id == Pairing.offer_id)
                .join(Enterprise, Enterprise.id == Offer.enterprise_id)
                .where(Enterprise.officer_id == officer).order_by(Pairing.id)),
            "product": db.session.scalar(select(Product.id).where(
                Product.status == "active", Product.stock > 0).order_by(Product.id)),
        }


def _pages(ids: dict[str, int]) -> dict[str | None, dict[str, str]]:
    return {
        None: {"home": "/", "offers": "/offers", "needs": "/needs",
               "crowdfunding": "/crowdfunding", "request": f"/crowdfunding/{ids['request']}",
               "shop": "/shop", "cart": "/shop/cart", "dashboard": "/dashboard",
               "login": "/login", "register": "/register"},
        "enterprise@demo.pairing.cn": {"pairing": f"/pairings/{ids['pairing']}",
                                       "inbox": "/inbox"},
        "verifier.county@demo.pairing.cn": {"verifier-queue": "/giving/verify"},
        "secretary@demo.pairing.cn": {"my-shop": "/shop/manage",
                                      "shipping": "/shop/manage/shipping"},
    }


def _login(tab, base: str, email: str) -> None:  # noqa: ANN001
    tab.context.clear_cookies()
    tab.goto(f"{base}/login")
    tab.fill("input[name=email]", email)
    tab.fill("input[name=password]", DEMO_PASSWORD)
    tab.click("main form button[type=submit]")
    tab.wait_for_url(lambda url: "/login" not in url)


def test_no_serious_axe_violation_on_the_main_pages(_chromium, live_server, runner, app):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    ids = _ids(app)
    assert all(ids.values()), ids
    SCREENSHOTS.mkdir(exist_ok=True)
    found: list[tuple[str, str, str, str, list[str]]] = []
    for viewport, size in VIEWPORTS.items():
        # bypass_csp: the site's policy (script-src 'self') would refuse the injected axe.
        context = _chromium.new_context(viewport=size, locale="zh-CN", bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        try:
            for email, pages in _pages(ids).items():
                if email:
                    _login(tab, live_server, email)
                else:
                    context.clear_cookies()
                context.add_cookies([{"name": "lang", "value": "zh", "url": live_server}])
                if not email:  # a product in the cart: the cart page shows its table
                    tab.goto(f"{live_server}/shop")
                    tab.locator(f"#product-{ids['product']} button[type=submit]").click()
                    tab.wait_for_url(lambda url: "#product-" in url)
                for name, path in pages.items():
                    response = tab.goto(live_server + path)
                    assert response is not None and response.ok, (path, response and response.status)
                    tab.add_script_tag(path=str(AXE))
                    for v in tab.evaluate(RUN_AXE, list(NOT_OURS)):
                        if v["impact"] in BLOCKING:
                            found.append((viewport, path, v["id"], v["help"], v["nodes"]))
                    tab.screenshot(path=str(SCREENSHOTS / f"axe-{viewport}-{name}.png"),
                                   full_page=True)
                    if name in README:
                        tab.screenshot(path=str(SCREENSHOTS / f"{README[name]}-{viewport}.png"),
                                       full_page=viewport == "desktop")
        finally:
            context.close()
    assert found == [], "\n".join(f"{v} {p}: {i} ({h}) {n}" for v, p, i, h, n in found)
