"""A request's public text that tells the illness the household has not agreed to show:
found, and shown to the secretary and the verifier."""

from __future__ import annotations

import re

import pytest
from giving_helpers import world as make_world

import support
from pairing.extensions import db
from pairing.giving.disclosure import illness_told, repeated
from pairing.giving.models import HelpRequest

EN = {"Accept-Language": "en"}
WARNING = "标题或故事写出了病情"


@pytest.mark.parametrize(("details", "text", "found"), [
    ("双眼白内障", "吴阿姨双眼白内障，已看不清路。", ["双眼白内障"]),
    ("急性心肌梗死", "心肌梗死后装了支架，病情急性发作", ["急性", "心肌梗死"]),
    ("慢性肾衰竭（尿毒症期）", "去年查出肾病，每周透析三次。", []),  # told in other words
    ("Acute leukaemia", "Her LEUKAEMIA came back.", ["leukaemia"]),
    ("HIV", "HIV", []),  # too short to tell from an abbreviation
    ("白内障", "白", []),
])
def test_pieces_of_the_details_the_text_repeats(details, text, found):
    assert repeated(details, text) == found


def _request(app, w, **changes) -> HelpRequest:
    with app.app_context():
        req = db.session.get(HelpRequest, w.request_id)
        for key, value in changes.items():
            setattr(req, key, value)
        db.session.commit()
        return illness_told(req)


def test_found_only_without_the_households_agreement(app, make_user):
    w = make_world(app, make_user, state="draft")
    story = {"story": "母亲尿毒症，每周透析。"}
    assert _request(app, w, **story) == ["尿毒症"]
    assert _request(app, w, show_diagnosis=True) == []  # agreed: the page shows them anyway
    assert _request(app, w, diagnosis="") == []


def test_secretary_and_verifier_are_warned(app, make_user):
    w = make_world(app, make_user, state="draft")
    with app.app_context():
        db.session.get(HelpRequest, w.request_id).title = "帮母亲渡过尿毒症难关"
        db.session.commit()
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    page = sec.get(f"/giving/requests/{w.request_id}").get_data(as_text=True)
    assert WARNING in page and "（尿毒症）" in page
    support.post(sec, f"/giving/requests/{w.request_id}/submit")
    ver = app.test_client()
    support.login(ver, w.verifier.email)
    page = ver.get(f"/giving/verify/requests/{w.request_id}").get_data(as_text=True)
    assert WARNING in page and re.search(r"<dt>公开病情</dt><dd>否</dd>", page)
    page = ver.get(f"/giving/verify/requests/{w.request_id}", headers=EN).get_data(as_text=True)
    assert "The title or story names the illness (尿毒症)" in page
    assert "写出了未同意公开的病情" in ver.get("/giving/verify").get_data(as_text=True)
    shared = ver.get("/verification").get_data(as_text=True)  # every kind of check in one queue
    assert "标题或故事写出了病情（尿毒症），但农户没有同意公开病情。" in shared
    with app.app_context():
        db.session.get(HelpRequest, w.request_id).show_diagnosis = True  # the household agrees
        db.session.commit()
    assert "写出了未同意公开的病情" not in ver.get("/giving/verify").get_data(as_text=True)
    assert "写出了病情" not in ver.get("/verification").get_data(as_text=True)
    page = ver.get(f"/giving/verify/requests/{w.request_id}").get_data(as_text=True)
    assert WARNING not in page and re.search(r"<dt>公开病情</dt><dd>是，农户已同意</dd>", page)
