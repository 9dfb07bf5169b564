"""A secretary changes a draft or rejected request or village project: the fields, who may,
bad input, a submit meanwhile."""

from __future__ import annotations

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
from pairing.giving.models import HelpRequest

EN = {"Accept-Language": "en"}


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
    project = open_project(app, w)  # open for gifts: no longer changed
    r = support.post(sec, f"/giving/requests/{project}/edit", data, follow_redirects=True)
    assert "只有草稿或被退回的求助可以修改" in r.get_data(as_text=True)
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


def test_a_rejected_village_project_is_changed_on_its_own_form(app, make_user):
    from pairing.needs.models import Need

    w = make_world(app, make_user, state="draft")
    with app.app_context():
        need = Need(village_id=w.village_id, kind="infrastructure", quantity=5_000_000,
                    description="村道硬化 1.2 公里")
        db.session.add(need)
        db.session.commit()
        sec_user, ver_user = db.session.get(User, w.secretary.id), db.session.get(User, w.verifier.id)
        project = giving.create_project(sec_user, need, title="村道硬化", story="雨天出不了村。",
                                        amount_needed_fen=4_000_000,
                                        deadline=utcnow() + timedelta(days=20))
        giving.submit_request(sec_user, project)
        giving.verify_request(ver_user, project, False, "请写明预算")
        db.session.commit()
        pid = project.id
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    form = sec.get(f"/giving/requests/{pid}/edit").get_data(as_text=True)
    assert "修改项目" in form and "请写明预算" in form and 'name="diagnosis"' not in form
    data = {"title": "村道硬化", "story": "预算：水泥 30 万元，人工 10 万元。", "amount": "60000",
            "deadline": "2099-09-01"}
    page = support.post(sec, f"/giving/requests/{pid}/edit", data)  # more than the need asks
    assert "所需金额须在 100 元至 50000 元之间。" in page.get_data(as_text=True)
    data["amount"] = "40000"
    assert support.post(sec, f"/giving/requests/{pid}/edit", data).status_code == 302
    with app.app_context():
        req = db.session.get(HelpRequest, pid)
        assert (req.story, req.purpose, req.diagnosis, req.amount_needed_fen) == (
            "预算：水泥 30 万元，人工 10 万元。", "other", "", 4_000_000)
