"""The header: pages for everybody in a row, the role's own pages folded under "My work"."""

from __future__ import annotations

import re


def _menu(page: str) -> str:
    found = re.search(r'<details class="work-menu">(.*?)</details>', page, re.S)
    return found.group(1) if found else ""


def test_a_visitor_sees_the_public_pages_and_no_work_menu(client):
    page = client.get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert 'href="/dashboard"' in page and 'href="/shop"' in page
    assert _menu(page) == ""


def test_a_coordinators_tools_fold_under_my_work(coordinator_client):
    page = coordinator_client.get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    menu = _menu(page)
    assert "<summary>我的工作</summary>" in menu
    for url in ("/rounds", "/admin/users", "/admin/audit"):
        assert f'href="{url}"' in menu
    assert 'href="/dashboard"' not in menu and 'href="/dashboard"' in page  # public stays outside


def test_the_menu_names_the_page_you_are_on(coordinator_client):
    page = coordinator_client.get("/rounds", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "<summary>我的工作：结对匹配</summary>" in _menu(page)
    assert 'href="/rounds" aria-current="page"' in _menu(page)
