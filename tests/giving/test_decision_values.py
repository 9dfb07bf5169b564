"""A verifier's decision is one of the buttons' values: a form sent by hand with any other
value (the bad-input sweep sends "NaN", 10^23, 100 kB) is refused with a message and
decides nothing, where it used to count as a "no"."""

from __future__ import annotations

import pytest
from giving_helpers import make_village
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.giving.models import Complaint


def _complaint(app, make_user) -> int:  # noqa: ANN001
    vid = make_village(app, make_user("secretary").id)
    support.post(app.test_client(), f"/villages/{vid}/report",
                 {"body": "村里根本没有这条路，照片是别处的。"})
    with app.app_context():
        return db.session.scalar(select(Complaint.id))


def _status(app, cid: int) -> str:  # noqa: ANN001
    with app.app_context():
        return db.session.get(Complaint, cid).status


@pytest.mark.parametrize("decision", ["NaN", "99999999999999999999999", "", "长" * 1000])
def test_a_decision_that_is_no_button_changes_nothing(app, make_user, verifier_client,
                                                       decision):
    cid = _complaint(app, make_user)
    r = support.post(verifier_client, f"/giving/verify/complaints/{cid}",
                     {"decision": decision, "reason": "核实"}, follow_redirects=True)
    assert _status(app, cid) == "open"
    assert "请选择裁定结果" in r.get_data(as_text=True)


def test_an_oversized_reason_changes_nothing(app, make_user, verifier_client):
    cid = _complaint(app, make_user)
    r = support.post(verifier_client, f"/giving/verify/complaints/{cid}",
                     {"decision": "dismiss", "reason": "长" * 600}, follow_redirects=True)
    assert _status(app, cid) == "open"
    assert 'class="flash error"' in r.get_data(as_text=True)


def test_a_button_value_decides(app, make_user, verifier_client):
    cid = _complaint(app, make_user)
    r = support.post(verifier_client, f"/giving/verify/complaints/{cid}",
                     {"decision": "dismiss", "reason": "核实无误"}, follow_redirects=True)
    assert _status(app, cid) != "open"
    # The message names what was decided, as the queue's confirmation flow does.
    html = r.get_data(as_text=True)
    assert f"已驳回：问题反映 {cid}。" in html and "Decision saved" not in html
    with app.app_context():
        vid = db.session.get(Complaint, cid).village_id
    support.post(app.test_client(), f"/villages/{vid}/report", {"body": "照片是别的县的路。"})
    with app.app_context():
        cid2 = db.session.scalar(select(Complaint.id).where(Complaint.status == "open"))
    verifier_client.set_cookie("lang", "en")
    html = support.post(verifier_client, f"/giving/verify/complaints/{cid2}",
                        {"decision": "approve", "reason": "照片确为外地"},
                        follow_redirects=True).get_data(as_text=True)
    assert f"Upheld: the reported problem {cid2}." in html


def test_a_request_is_not_rejected_by_a_value_that_is_no_button(app, make_user):
    from giving_helpers import figures
    from giving_helpers import world as make_world

    w = make_world(app, make_user, state="submitted")
    client = app.test_client()
    support.login(client, w.verifier.email)
    page = support.post(client, f"/giving/verify/requests/{w.request_id}",
                        {"decision": "NaN", "reason": "核实"})
    assert figures(app, w.request_id)["status"] == "submitted"
    assert "请选择裁定结果" in page.get_data(as_text=True)
