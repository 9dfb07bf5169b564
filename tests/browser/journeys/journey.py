"""One person's journey through the site in a browser of its own (Chinese, one viewport):
`step` checks the page as it stands (axe-core, width, server errors) and saves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask

from support import PASSWORD, SCREENSHOTS

AXE = Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
NOT_OURS = ("#swagger-ui",)  # third-party markup the site serves but did not write
RUN_AXE = """async (exclude) => {
  const result = await axe.run({exclude: exclude.map(s => [s])},
                               {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Within the screen, give or take a pixel (an anchor scrolls to fractions of one).
IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= -1 && r.bottom <= window.innerHeight + 1
         && r.left >= -1 && r.right <= window.innerWidth + 1; }"""
SETTLED = """() => new Promise(done => requestAnimationFrame(
  () => requestAnimationFrame(() => done(window.innerWidth))))"""


def beijing_now() -> set[str]:
    """"2026-12-07 11:"-style prefixes a time written about now in Beijing starts with."""
    now = datetime.now(UTC) + timedelta(hours=8)
    return {(now + timedelta(minutes=m)).strftime("%Y-%m-%d %H:") for m in (-1, 0, 1)}


@dataclass
class Journey:
    browser: object
    base: str
    app: Flask
    role: str
    device: str
    size: dict[str, int]
    problems: list[str] = field(default_factory=list)
    steps: int = 0

    def __post_init__(self) -> None:
        # bypass_csp: the site's policy (script-src 'self') would refuse the injected axe.
        self.context = self.browser.new_context(viewport=self.size, locale="zh-CN",
                                                bypass_csp=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("response", self._watch)
        self._zh()
        self.folder = SCREENSHOTS / "journeys" / self.role
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def phone(self) -> bool:
        return self.device == "phone"

    def _zh(self) -> None:
        self.context.add_cookies([{"name": "lang", "value": "zh", "url": self.base}])

    def _watch(self, response) -> None:  # noqa: ANN001
        if response.status >= 500:
            self.problems.append(f"{response.status} {response.url}")

    def go(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, (path, response and response.status)

    def step(self, name: str) -> None:
        """What a person checks on every page: it fits the screen, axe finds nothing
        serious, and it is written in Chinese; then a screenshot of the whole page."""
        page = self.page
        page.wait_for_load_state()
        self.steps += 1
        where = f"{self.device} step {self.steps} ({name}) {page.url}"
        assert page.locator("html").get_attribute("lang") == "zh-Hans", where
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            self.problems.append(f"{where}: {overflow}px wider than the screen")
        page.add_script_tag(path=str(AXE))
        for v in page.evaluate(RUN_AXE, list(NOT_OURS)):
            if v["impact"] in BLOCKING:
                self.problems.append(f"{where}: axe {v['id']} ({v['help']}) {v['nodes']}")
        scrolled = page.evaluate("window.scrollY")
        page.screenshot(path=str(self.folder / f"{self.device}-{self.steps:02d}-{name}.png"),
                        full_page=True)
        # A full-page screenshot resizes the page for a moment, after which chromium may
        # jump back to an older scroll position at the next focus change (a click then
        # lands off its button): set the size and the position again, let it settle.
        page.set_viewport_size(self.size)
        page.evaluate("y => window.scrollTo(0, y)", scrolled)
        page.evaluate(SETTLED)

    def login(self, email: str, password: str = PASSWORD, next_path: str = "") -> None:
        """Through the log-in form, as a person does (the cookies of the last one go)."""
        self.context.clear_cookies()
        self._zh()
        self.go("/login" + (f"?next={next_path}" if next_path else ""))
        self.page.get_by_label("电子邮件").fill(email)
        self.page.get_by_label("密码").fill(password)
        self.page.locator("main form").get_by_role("button", name="登录").click()
        self.page.wait_for_url(lambda url: "/login" not in url)

    def menu(self, name: str) -> None:
        """Follow a link of the header's "我的工作" menu (folded on every width)."""
        menu = self.page.locator("header details.work-menu")
        if menu.get_attribute("open") is None:
            menu.locator("summary").click()
        menu.get_by_role("link", name=name, exact=True).click()

    def in_view(self, locator) -> bool:  # noqa: ANN001
        return bool(locator.evaluate(IN_VIEW))

    def mails_to(self, email: str) -> list:
        return [m for m in self.app.extensions["sent_mail"] if m["To"] == email]

    def close(self) -> None:
        """The last page seen, to look at when a step failed."""
        try:
            self.page.screenshot(path=str(self.folder / f"{self.device}-last.png"),
                                 full_page=True)
        finally:
            self.context.close()

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)
