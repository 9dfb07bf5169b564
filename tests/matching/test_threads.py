"""A pairing's two parties reach each other: contacts and a message thread, for the parties
only; every third party (other enterprise, other secretary, donor, verifier, coordinator
of another province) gets 404 and sees neither."""

from __future__ import annotations

from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.matching.models import Notification, PairingMessage


def _thread(client, pid: int) -> str:  # noqa: ANN001
    return client.get(f"/pairings/{pid}").get_data(as_text=True)


def test_parties_see_contacts_and_exchange_messages(app, make_user):
    m, pid = h.paired(app, make_user)
    ent, vil = h.client_for(app, m.officer), h.client_for(app, m.secretary)
    html = _thread(ent, pid)
    assert "联系人" in html and m.secretary.email in html and m.officer.email in html
    r = support.post(ent, f"/pairings/{pid}/contact",
                     {"name": "王经理", "phone": "0571-8888 1234", "email": "wang@lvyuan.example"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#contacts")
    assert "0571-8888 1234" in _thread(vil, pid) and "王经理" in _thread(vil, pid)
    r = support.post(vil, f"/pairings/{pid}/messages", {"body": "您好，<b>茶叶</b>何时来收？\n第二行"},
                     follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "消息已发送" in html
    assert "&lt;b&gt;茶叶&lt;/b&gt;何时来收" in html and "<b>茶叶" not in html  # plain text
    support.post(ent, f"/pairings/{pid}/messages", {"body": "下周二上午"})
    html = _thread(ent, pid)
    assert html.index("何时来收") < html.index("下周二上午")  # newest last
    with app.app_context():
        told = db.session.scalars(select(Notification).where(
            Notification.kind == "pairing.message")).all()
        assert {(n.user_id, n.link) for n in told} == {
            (m.officer.id, f"/pairings/{pid}#messages"),
            (m.secretary.id, f"/pairings/{pid}#messages")}
    inbox = ent.get("/inbox").get_data(as_text=True)
    assert f"在结对 {pid} 上给您留言" in inbox


def test_empty_long_and_too_many_messages_are_refused(app, make_user):
    m, pid = h.paired(app, make_user)
    ent = h.client_for(app, m.officer)
    assert "请先写下留言" in support.post(ent, f"/pairings/{pid}/messages", {"body": "  "},
                                    follow_redirects=True).get_data(as_text=True)
    html = support.post(ent, f"/pairings/{pid}/messages", {"body": "长" * 2001},
                        follow_redirects=True).get_data(as_text=True)
    assert "2000" in html
    for i in range(10):
        support.post(ent, f"/pairings/{pid}/messages", {"body": f"第{i}条"})
    html = support.post(ent, f"/pairings/{pid}/messages", {"body": "第十一条"},
                        follow_redirects=True).get_data(as_text=True)
    assert "请稍候" in html
    with app.app_context():
        assert db.session.scalar(select(db.func.count(PairingMessage.id))) == 10
    bad = support.post(ent, f"/pairings/{pid}/contact", {"name": "", "phone": "abc"},
                       follow_redirects=True).get_data(as_text=True)
    assert "工作电话" in bad


def test_third_parties_neither_read_nor_post(app, make_user):
    m, pid = h.paired(app, make_user)
    support.post(h.client_for(app, m.officer), f"/pairings/{pid}/messages",
                 {"body": "只给村里看的消息"})
    from enterprises import factories as f

    other_officer, other_secretary = make_user("enterprise"), make_user("secretary")
    f.enterprise(app, other_officer.id, name="别家公司")
    f.village(app, other_secretary.id, name="别的村")
    outsiders = [h.client_for(app, u) for u in (
        other_officer, other_secretary, make_user("donor"),
        make_user("coordinator", jurisdiction="51"))]
    for c in outsiders:
        assert c.get(f"/pairings/{pid}").status_code == 404
        assert support.post(c, f"/pairings/{pid}/messages", {"body": "插话"}).status_code == 404
        assert support.post(c, f"/pairings/{pid}/contact",
                            {"name": "冒充", "phone": "12345678"}).status_code == 404
    # Staff who may see the pairing still do not see the parties' thread or contacts.
    for staff in (make_user("verifier", jurisdiction="43"), make_user("coordinator")):
        c = h.client_for(app, staff)
        html = _thread(c, pid)
        assert "只给村里看的消息" not in html and m.officer.email not in html
        assert support.post(c, f"/pairings/{pid}/messages", {"body": "插话"}).status_code == 404
    anonymous = app.test_client()
    assert anonymous.post(f"/pairings/{pid}/messages", data={"body": "x"}).status_code in (
        302, 400)
    with app.app_context():
        assert [m.body for m in db.session.scalars(select(PairingMessage))] == ["只给村里看的消息"]


def test_proposal_cards_show_number_and_offer_description(app, make_user):
    m = h.market(app, make_user)
    h.run_round(app, m.coordinator)
    (prop, *_x), = h.proposals(app)
    html = h.client_for(app, m.secretary).get("/proposals").get_data(as_text=True)
    assert f"推荐 {prop}" in html and "收购茶叶" in html
    h.answer(app, m.officer, prop)
    inbox = h.client_for(app, m.secretary).get("/inbox").get_data(as_text=True)
    assert f"推荐 {prop}" in inbox
    pid = h.answer(app, m.secretary, prop)
    html = h.client_for(app, m.officer).get("/proposals").get_data(as_text=True)
    assert f"推荐 {prop}" in html and f"结对 {pid}" in html
    assert f"推荐 {prop}" in _thread(h.client_for(app, m.officer), pid)
