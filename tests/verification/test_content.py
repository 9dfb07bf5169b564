"""The light review of offers and needs: public at once and marked "not yet checked",
checked or withdrawn (with a reason the owner reads) by a verifier of the county; a change
of substance asks for a new check; an unverified owner's rows are never public."""

from __future__ import annotations

from enterprises import factories as f
from sqlalchemy import select

import support
from pairing.enterprises.models import Offer
from pairing.extensions import db
from pairing.matching.models import Notification
from pairing.needs.models import Need


def _offer_page(client) -> str:  # noqa: ANN001
    return client.get("/offers").get_data(as_text=True)


def test_new_offers_are_public_marked_unchecked_until_a_verifier_checks(app, make_user,
                                                                        verifier_client):
    officer = make_user("enterprise")
    e = f.enterprise(app, officer.id, county=f.HUAYUAN)
    o = f.offer(app, e, description="收购湘西黄金茶 50 吨")
    public = app.test_client()
    html = _offer_page(public)
    assert "收购湘西黄金茶" in html and "未核实" in html
    queue = verifier_client.get("/verification").get_data(as_text=True)
    assert "未核实的帮扶承诺" in queue and "收购湘西黄金茶" in queue
    r = support.post(verifier_client, f"/verification/offers/{o}",
                     {"decision": "verify", "confirmed": "1"}, follow_redirects=True)
    assert "已批准：杭州绿源茶业有限公司的帮扶承诺" in r.get_data(as_text=True)
    assert "未核实" not in _offer_page(public)
    assert f.get(app, Offer, o).checked_by_id == verifier_client.user.id
    # A change of substance asks for a new check; the owner sees it.
    owner = h_client(app, officer)
    with app.app_context():
        db.session.get(Offer, o).description = "收购湘西黄金茶 80 吨"
        db.session.commit()
    assert "未核实" in _offer_page(public)
    assert "已公开，未核实" in owner.get(f"/enterprises/{e}").get_data(as_text=True)


def h_client(app, ref):  # noqa: ANN001
    c = app.test_client()
    support.login(c, ref.email)
    return c


def test_a_verifier_withdraws_a_need_with_a_reason_the_owner_reads(app, make_user,
                                                                   verifier_client):
    secretary = make_user("secretary")
    v = f.village(app, secretary.id)
    n = f.need(app, v, description="广告：出售茶叶")
    html = support.post(verifier_client, f"/verification/needs/{n}",
                        {"decision": "reject", "reason": "", "confirmed": "1"}
                        ).get_data(as_text=True)
    assert "理由" in html and f.get(app, Need, n).status == "open"
    support.post(verifier_client, f"/verification/needs/{n}",
                 {"decision": "reject", "reason": "这不是需求，是广告", "confirmed": "1"})
    need = f.get(app, Need, n)
    assert need.status == "withdrawn" and need.check_note == "这不是需求，是广告"
    page = h_client(app, secretary).get(f"/villages/{v}").get_data(as_text=True)
    assert "这不是需求，是广告" in page
    with app.app_context():
        told = db.session.scalar(select(Notification).where(
            Notification.user_id == secretary.id, Notification.kind == "check.need_withdrawn"))
        assert told is not None
    assert "广告：出售茶叶" not in app.test_client().get("/needs").get_data(as_text=True)


def test_pending_owners_rows_are_hidden_and_their_owner_told_why(app, make_user):
    officer = make_user("enterprise")
    e = f.enterprise(app, officer.id, status="pending", county=f.HUAYUAN)
    f.offer(app, e, description="待核实企业的承诺")
    assert "待核实企业的承诺" not in _offer_page(app.test_client())
    verifier = make_user("verifier", jurisdiction="43")
    assert "待核实企业的承诺" not in h_client(app, verifier).get("/verification").get_data(
        as_text=True)  # not in the light review either: the enterprise comes first
    html = h_client(app, officer).get(f"/enterprises/{e}").get_data(as_text=True)
    assert "待核实，尚未公开" in html and ">有效<" not in html


def test_others_cannot_check(app, make_user):
    officer = make_user("enterprise")
    e = f.enterprise(app, officer.id, county=f.HUAYUAN)
    o = f.offer(app, e)
    for who in (officer, make_user("secretary"), make_user("donor"),
                make_user("coordinator"), make_user("verifier", jurisdiction="51")):
        r = support.post(h_client(app, who), f"/verification/offers/{o}",
                         {"decision": "verify", "confirmed": "1"})
        assert r.status_code == 403
    assert f.get(app, Offer, o).checked_at is None
