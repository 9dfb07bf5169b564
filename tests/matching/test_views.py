"""Pages: rounds for coordinators, proposals for the two sides, the inbox; roles refused."""

from __future__ import annotations

import re

from matching import mhelp as h

import support
from pairing.extensions import db
from pairing.matching.models import Round


def test_coordinator_opens_and_runs_a_round(app, make_user, coordinator_client):
    m = h.market(app, make_user)
    c = coordinator_client
    page = c.get("/rounds")
    assert page.status_code == 200 and "全国" in page.get_data(as_text=True)
    r = support.post(c, "/rounds", {"province_code": "", "distance": "40", "east_west": "15",
                                    "preferred": "10", "sector": "10", "poverty": "30"})
    assert r.status_code == 302
    rid = int(r.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Round, rid).weights["poverty"] == 30
    r = support.post(c, f"/rounds/{rid}/start", follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "已完成" in html or "完成" in html
    assert "贪心" in html and "<meter" in html and 'style="' not in html
    assert c.get(f"/rounds/{rid}/status").get_json()["status"] == "done"
    c.set_cookie("lang", "en")
    html = c.get(f"/rounds/{rid}").get_data(as_text=True)
    assert "Greedy baseline" in html and "pairs proposed" in html
    # Running it again is refused.
    support.post(c, f"/rounds/{rid}/start")
    assert len(h.proposals(app)) == 1
    del m


def test_round_pages_refuse_other_roles(app, make_user, enterprise_client, secretary_client,
                                        verifier_client, donor_client):
    m = h.market(app, make_user)
    rid = h.run_round(app, m.coordinator)
    for c in (enterprise_client, secretary_client, verifier_client, donor_client):
        assert c.get("/rounds").status_code == 403
        assert c.get(f"/rounds/{rid}").status_code == 403
        assert support.post(c, "/rounds", {"province_code": ""}).status_code == 403
    assert app.test_client().get("/rounds").status_code == 302
    sichuan = h.client_for(app, make_user("coordinator", jurisdiction="51"))
    assert sichuan.get(f"/rounds/{rid}").status_code == 404  # nationwide round, provincial staff


def test_both_sides_see_reasons_and_answer(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (pid, *_x), = h.proposals(app)
    ent, vil = h.client_for(app, m.officer), h.client_for(app, m.secretary)
    html = ent.get("/proposals").get_data(as_text=True)
    assert "推荐给您的村" in html and "十八洞村" in html and "公里" in html
    assert "贫困" in html
    html = vil.get("/proposals").get_data(as_text=True)
    assert "推荐给您的企业" in html and "杭州绿源茶业有限公司" in html
    other = h.client_for(app, make_user("enterprise"))
    assert "十八洞村" not in other.get("/proposals").get_data(as_text=True)
    assert support.post(other, f"/proposals/{pid}/answer", {"answer": "accept"}).status_code == 403
    support.post(ent, f"/proposals/{pid}/answer", {"answer": "accept"})
    r = support.post(vil, f"/proposals/{pid}/answer", {"answer": "accept"})
    assert r.status_code == 302 and "/pairings/" in r.headers["Location"]
    page = vil.get(r.headers["Location"]).get_data(as_text=True)
    assert "确认" in page or "Confirm" in page or "进度" in page
    inbox = ent.get("/inbox").get_data(as_text=True)
    assert re.search(r"/pairings/\d+", inbox)
    assert len(h.pairings(app)) == 1


def test_decline_needs_a_reason(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (pid, *_x), = h.proposals(app)
    vil = h.client_for(app, m.secretary)
    support.post(vil, f"/proposals/{pid}/answer", {"answer": "decline", "reason": ""})
    assert h.proposals(app)[0][4] == "pending"
    support.post(vil, f"/proposals/{pid}/answer", {"answer": "decline", "reason": "fit",
                                                   "note": "我们需要的是电商渠道"})
    assert h.proposals(app)[0][4] == "declined"


def test_cli_runs_a_round(app, make_user, runner):
    h.market(app, make_user)
    result = runner.invoke(args=["rounds", "run"])
    assert result.exit_code == 0, result.output
    assert "1 pairs proposed" in result.output


def test_history_partials_and_mail(app, make_user):
    from flask import render_template

    from pairing.matching import delivery

    m, pairing_id = h.paired(app, make_user)
    sent = app.extensions.get("sent_mail", [])
    assert {msg["To"] for msg in sent} >= {m.officer.email, m.secretary.email}
    assert any("/pairings/" in msg.get_content() for msg in sent)
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        html = render_template("matching/_village_pairings.html",
                               village_pairings=delivery.pairings_of_village(m.village_id))
        assert "本村的结对帮扶" in html and f"/pairings/{pairing_id}" not in html  # anonymous
        html = render_template("matching/_enterprise_pairings.html",
                               enterprise_pairings=delivery.pairings_of_enterprise(
                                   m.enterprise_id))
        assert "本企业的结对帮扶" in html and "十八洞村" in html


def test_the_rounds_list_names_each_rounds_province(app, make_user, coordinator_client):
    """A province round is listed by the province's name in the page's language, not by
    its code; a round without one as nationwide."""
    m = h.market(app, make_user)
    c = coordinator_client
    for scope in ("52", ""):
        r = support.post(c, "/rounds", {"province_code": scope, "distance": "40", "east_west": "15",
                                        "preferred": "10", "sector": "10", "poverty": "25"})
        assert r.status_code == 302
    cells = re.findall(r"<tr><td[^>]*><a [^>]+>\d+</a></td>\s*<td[^>]*>(.*?)</td>", c.get("/rounds").get_data(as_text=True))
    assert cells == ["全国", "贵州省"]
    c.set_cookie("lang", "en")
    cells = re.findall(r"<tr><td[^>]*><a [^>]+>\d+</a></td>\s*<td[^>]*>(.*?)</td>", c.get("/rounds").get_data(as_text=True))
    assert cells == ["Nationwide", "Guizhou"]
    del m
