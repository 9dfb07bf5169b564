"""First steps on the home page after log-in: each step's state from the data, a link to
the action, and honest states ("waiting for verification, not public yet")."""

from __future__ import annotations

import re

from enterprises import factories as f
from matching import mhelp as h

import support


def _steps(client) -> str:  # noqa: ANN001
    html = client.get("/").get_data(as_text=True)
    found = re.search(r'<section class="panel first-steps".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_a_new_enterprise_is_led_step_by_step(app, make_user):
    officer = make_user("enterprise")
    c = h.client_for(app, officer)
    steps = _steps(c)
    assert "登记企业" in steps and 'href="/enterprises/new"' in steps and "待办" in steps
    e = f.enterprise(app, officer.id, status="pending")
    steps = _steps(c)
    assert "待核实，尚未公开" in steps and f'href="/enterprises/{e}/offers/new"' in steps
    with app.app_context():
        from pairing.enterprises.models import Enterprise
        from pairing.extensions import db

        ent = db.session.get(Enterprise, e)
        ent.status, ent.reject_reason = "rejected", "营业执照照片看不清"
        db.session.commit()
    assert "营业执照照片看不清" in _steps(c) and "需要修改" in _steps(c)


def test_a_verified_enterprise_with_an_offer_is_told_of_waiting_proposals(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    steps = _steps(h.client_for(app, m.officer))
    assert "有效帮扶承诺 1 项" in steps and "有 1 条推荐等待您答复" in steps
    assert 'href="/proposals"' in steps
    steps = _steps(h.client_for(app, m.secretary))
    assert "未满足的需求 1 项" in steps and "登记需要帮助的农户" in steps


def test_every_role_has_steps_and_visitors_none(app, make_user, client):
    assert _steps(client) == ""
    for role, words in (("donor", "选择已核实的求助并捐款"), ("verifier", "处理辖区内待核实事项"),
                        ("coordinator", "运行匹配轮次"), ("secretary", "登记村庄")):
        c = app.test_client()
        support.login(c, make_user(role).email)
        assert words in _steps(c), role


def test_the_home_page_says_what_is_checked(client):
    html = client.get("/").get_data(as_text=True)
    assert "哪些内容经过核实" in html and "未核实" in html and "公示 3 天" in html
    assert "每一项帮扶和需求都经核查员审核后才会公开" not in html
