"""Issue 19.6's remaining pages on a phone held upright (390×844), in Chinese and English:
notice settings, my data, the appeals queue, a donor's gifts and yearly statement and a
village's shipping terms. None scrolls sideways, every form control has a label, and the
English pages show no untranslated interface text or raw codes. Screenshots of each are
saved under screenshots/ (phone-<lang>-<page>.png)."""

from __future__ import annotations

import re

import pytest

from pairing.db import today
from support import browser_login, screenshot

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo-pass-2026"
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Controls without a name a screen reader can read (label, aria-label or a wrapping label).
UNLABELLED = """() => [...document.querySelectorAll(
    'main input:not([type=hidden]):not([type=submit]), main select, main textarea')]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby')).map(el => el.name || el.id)"""
# Interface text of the page, user content (lang="zh-Hans" spans) left out.
UI_TEXT = """() => { const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('[lang]').forEach(n => n.remove()); return main.innerText; }"""
CJK = re.compile(r"[\u4e00-\u9fff]")
RAW_CODE = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")  # request.verified, ship_days ...


def test_account_pages_fit_a_phone_in_both_languages(page, live_server, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    year = today().year
    pages = {
        "donor@demo.pairing.cn": {"notices": "/account/notices", "my-data": "/account/my-data",
                                  "my-gifts": "/giving/my-gifts",
                                  "statement": f"/giving/my-gifts/{year}"},
        "verifier.province@demo.pairing.cn": {"appeals": "/appeals"},
        "secretary@demo.pairing.cn": {"shipping": "/shop/manage/shipping",
                                      "notices-secretary": "/account/notices"},
    }
    page.set_viewport_size({"width": 390, "height": 844})
    problems: list[tuple[str, str, str, object]] = []
    for email, paths in pages.items():
        browser_login(page, live_server, email, DEMO_PASSWORD)
        for lang in ("zh", "en"):
            page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
            for name, path in paths.items():
                response = page.goto(live_server + path)
                assert response is not None and response.ok, (path, response and response.status)
                screenshot(page, f"phone-{lang}-{name}")
                over = page.evaluate(OVERFLOW)
                if over > 0:
                    problems.append((lang, path, "wide", over))
                if unlabelled := page.evaluate(UNLABELLED):
                    problems.append((lang, path, "no label", unlabelled))
                if lang == "en":
                    text = page.evaluate(UI_TEXT)
                    if chinese := CJK.findall(text):
                        problems.append((lang, path, "untranslated", "".join(chinese)[:40]))
                    if raw := RAW_CODE.findall(re.sub(r"\S+@\S+", "", text)):
                        problems.append((lang, path, "raw code", raw[:5]))
    assert problems == [], problems
