"""A request's public text that tells the illness the household has not agreed to show:
found, shown to the secretary and the verifier; and the secretary changing a draft or
rejected request to fix it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from giving_helpers import make_household, make_request, make_village, open_project
from giving_helpers import world as make_world
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.db import begin_write, utcnow
from pairing.extensions import db
from pairing.giving import services as giving
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


def test_secretary_rewrites_a_rejected_request_and_resubmits(app, make_user):
    w = make_world(app, make_user, state="submitted")
    with app.app_context():
        giving.verify_request(db.session.get(User, w.verifier.id),
                              db.session.get(HelpRequest, w.request_id), False, "故事里写了病名")
        db.session.commit()
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    form = sec.get(f"/giving/requests/{w.request_id}/edit").get_data(as_text=True)
    assert "故事里写了病名" in form and 'value="10000"' in form and "为母亲治病" in form
    page = support.post(sec, f"/giving/requests/{w.request_id}/edit", {
        "purpose": "medical", "title": "为母亲治病", "story": "母亲病重，需要长期治疗。",
        "diagnosis": "尿毒症", "amount": "12000.50", "deadline": "2099-09-01"})
    assert page.status_code == 302
    with app.app_context():
        req = db.session.get(HelpRequest, w.request_id)
        assert (req.story, req.amount_needed_fen, req.status) == ("母亲病重，需要长期治疗。", 1_200_050,
                                                                  "rejected")
        assert req.deadline.date().isoformat() == "2099-09-01"
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "help_request.updated")).one()
        assert "story" in event.changed and "amount_needed_fen" in event.changed
        assert "母亲病重" not in repr((event.before, event.after))  # personal: named, not kept
    support.post(sec, f"/giving/requests/{w.request_id}/submit")
    with app.app_context():
        assert db.session.get(HelpRequest, w.request_id).status == "submitted"


def test_bad_input_changes_nothing_and_says_why(app, make_user):
    w = make_world(app, make_user, state="draft")
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    page = support.post(sec, f"/giving/requests/{w.request_id}/edit", {
        "purpose": "medical", "title": "新标题", "story": "新故事", "amount": "1",
        "deadline": "2099-09-01"}, headers=EN)
    assert page.status_code == 200
    assert "The amount needed must be between" in page.get_data(as_text=True)
    with app.app_context():
        req = db.session.get(HelpRequest, w.request_id)
        assert (req.title, req.amount_needed_fen) == ("为母亲治病", 1_000_000)


def test_only_drafts_and_rejected_requests_change_and_only_by_their_secretary(app, make_user):
    w = make_world(app, make_user, state="submitted")
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    data = {"purpose": "medical", "title": "改过的标题", "story": "x", "amount": "9000",
            "deadline": "2099-09-01"}
    r = support.post(sec, f"/giving/requests/{w.request_id}/edit", data, follow_redirects=True)
    assert "只有草稿或被退回的求助可以修改" in r.get_data(as_text=True)
    other = make_user("secretary", email="other-sec@example.cn")
    village = make_village(app, other.id, name="排碧村")
    mine = make_request(app, other.id, make_household(app, other.id, village, seq=2), state="draft")
    assert support.post(sec, f"/giving/requests/{mine}/edit", data).status_code == 404
    project = open_project(app, w)  # a village project has no household text to change here
    assert sec.get(f"/giving/requests/{project}/edit").status_code == 404
    for role in ("donor", "verifier", "enterprise"):
        user = make_user(role, email=f"{role}-edit@example.cn")
        client = app.test_client()
        support.login(client, user.email)
        assert client.get(f"/giving/requests/{mine}/edit").status_code in (403, 404)
    with app.app_context():
        assert db.session.get(HelpRequest, w.request_id).title == "为母亲治病"
        assert db.session.get(HelpRequest, mine).title == "为母亲治病"


def test_a_request_submitted_meanwhile_is_not_changed(app, make_user):
    """The secretary's edit read the request as a draft; before it is saved the request is
    submitted in another session: the edit is refused, not written over what a verifier
    is about to judge."""
    w = make_world(app, make_user, state="draft")
    with app.app_context():
        stale = db.session.get(HelpRequest, w.request_id)
        actor = db.session.get(User, w.secretary.id)
        with app.app_context():  # another request's session
            giving.submit_request(db.session.get(User, w.secretary.id),
                                  db.session.get(HelpRequest, w.request_id))
            db.session.commit()
        begin_write()  # as the page does: a read-then-write unit of work
        with pytest.raises(giving.GivingError):
            giving.update_request(actor, stale, purpose="medical", title="改", story="改",
                                  amount_needed_fen=900_000,
                                  deadline=utcnow() + timedelta(days=40))
        db.session.rollback()
        assert db.session.get(HelpRequest, w.request_id).title == "为母亲治病"
