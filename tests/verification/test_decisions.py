"""Verifiers' decisions: a confirmation step, warnings that block approval until
overridden with a reason (audited), a two-minute undo while nothing depends on the
decision, back to the same queue, and a message that says what was decided."""

from __future__ import annotations

from datetime import timedelta

from enterprises import factories as f
from sqlalchemy import select, update

import support
from pairing.audit.models import AuditEvent
from pairing.db import utcnow
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village
from pairing.verification.models import VerificationDecision

ODD = {"poor_households": 999, "poor_population": 5000}  # figures that do not add up


def test_a_decision_is_confirmed_first(app, verifier_client):
    v = f.village(app, None, status="pending", name="排碧村")
    page = support.post(verifier_client, f"/verification/villages/{v}",
                        {"decision": "verify", "back": "/verification"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "确认" in html and "批准：村庄 排碧村" in html
    assert f.get(app, Village, v).status == "pending"
    r = support.post(verifier_client, f"/verification/villages/{v}",
                     {"decision": "verify", "confirmed": "1", "back": "/verification?p=2"},
                     follow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/verification?p=2")
    assert f.get(app, Village, v).status == "verified"
    html = verifier_client.get("/verification").get_data(as_text=True)
    assert "已批准：村庄 排碧村" in html and "撤销" in html


def test_warnings_block_approval_until_overridden_with_a_reason(app, verifier_client):
    v = f.village(app, None, status="pending", name="乙村", **ODD)
    confirm = support.post(verifier_client, f"/verification/villages/{v}",
                           {"decision": "verify"}).get_data(as_text=True)
    assert "贫困户数多于总户数" in confirm or "⚠" in confirm
    assert 'name="override"' in confirm
    for override in ("", "好的"):
        html = support.post(verifier_client, f"/verification/villages/{v}",
                            {"decision": "verify", "confirmed": "1", "override": override}
                            ).get_data(as_text=True)
        assert "说明" in html and f.get(app, Village, v).status == "pending"
    why = "已电话核实：贫困户数为录入错误，县扶贫办确认为 99 户"
    r = support.post(verifier_client, f"/verification/villages/{v}",
                     {"decision": "verify", "confirmed": "1", "override": why})
    assert r.status_code == 302 and f.get(app, Village, v).status == "verified"
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "verification.override"))
        assert event.actor_id == verifier_client.user.id and why in str(event.after)
    # Rejecting needs no override: the owner corrects the entry.
    v2 = f.village(app, None, status="pending", name="丙村", **ODD)
    support.post(verifier_client, f"/verification/villages/{v2}",
                 {"decision": "reject", "reason": "户数有误", "confirmed": "1"})
    assert f.get(app, Village, v2).status == "rejected"


def test_undo_within_two_minutes_only_by_the_verifier(app, verifier_client, make_user):
    e = f.enterprise(app, None, status="pending", county=f.HUAYUAN, name="湘西茶业")
    support.post(verifier_client, f"/verification/enterprises/{e}",
                 {"decision": "verify", "confirmed": "1"})
    assert f.get(app, Enterprise, e).status == "verified"
    with app.app_context():
        did = db.session.scalar(select(VerificationDecision.id))
    other = app.test_client()
    support.login(other, make_user("verifier", jurisdiction="43").email)
    assert support.post(other, f"/verification/decisions/{did}/undo").status_code == 404
    r = support.post(verifier_client, f"/verification/decisions/{did}/undo",
                     {"back": "/verification#enterprises"}, follow_redirects=True)
    assert "已撤销" in r.get_data(as_text=True)
    assert f.get(app, Enterprise, e).status == "pending"
    assert support.post(verifier_client, f"/verification/decisions/{did}/undo",
                        follow_redirects=True).status_code == 200  # a second undo: refused
    support.post(verifier_client, f"/verification/enterprises/{e}",
                 {"decision": "reject", "reason": "执照过期", "confirmed": "1"})
    with app.app_context():
        db.session.execute(update(VerificationDecision).values(
            created_at=utcnow() - timedelta(minutes=3)))
        db.session.commit()
        late = db.session.scalar(select(VerificationDecision.id).where(
            VerificationDecision.undone_at.is_(None)))
    html = support.post(verifier_client, f"/verification/decisions/{late}/undo",
                        follow_redirects=True).get_data(as_text=True)
    assert "撤销时限已过" in html and f.get(app, Enterprise, e).status == "rejected"


def test_undo_is_refused_once_a_round_used_the_village(app, make_user):
    from matching import mhelp as h

    verifier = make_user("verifier", jurisdiction="43")
    m = h.market(app, make_user)
    with app.app_context():
        db.session.get(Village, m.village_id).status = "pending"
        db.session.commit()
    c = h.client_for(app, verifier)
    support.post(c, f"/verification/villages/{m.village_id}",
                 {"decision": "verify", "confirmed": "1"})
    h.run_round(app, m.coordinator)
    assert h.proposals(app)
    with app.app_context():
        did = db.session.scalar(select(VerificationDecision.id))
    html = support.post(c, f"/verification/decisions/{did}/undo",
                        follow_redirects=True).get_data(as_text=True)
    assert "已推荐" in html and f.get(app, Village, m.village_id).status == "verified"


def test_back_never_leaves_the_site_and_sectors_read_as_names(app, verifier_client):
    e = f.enterprise(app, None, status="pending", county=f.HUAYUAN, name="湘西茶业")
    html = verifier_client.get("/verification").get_data(as_text=True)
    assert "制造业" in html
    r = support.post(verifier_client, f"/verification/enterprises/{e}",
                     {"decision": "verify", "confirmed": "1", "back": "//evil.example/x"})
    assert r.headers["Location"].endswith("/verification")


def test_only_verifiers_decide_or_undo(app, make_user, verifier_client):
    v = f.village(app, None, status="pending")
    support.post(verifier_client, f"/verification/villages/{v}",
                 {"decision": "verify", "confirmed": "1"})
    with app.app_context():
        did = db.session.scalar(select(VerificationDecision.id))
    for role in ("enterprise", "secretary", "donor", "coordinator"):
        c = app.test_client()
        support.login(c, make_user(role).email)
        assert support.post(c, f"/verification/decisions/{did}/undo").status_code == 403
    sichuan = app.test_client()
    support.login(sichuan, make_user("verifier", jurisdiction="51").email)
    v2 = f.village(app, None, status="pending", name="湖南村")
    assert support.post(sichuan, f"/verification/villages/{v2}",
                        {"decision": "verify"}).status_code == 403
    assert f.get(app, Village, v).status == "verified"


def _notices(app, user_id: int) -> list[tuple[str, dict]]:
    from pairing.notices.models import Notification

    with app.app_context():
        return [(n.kind, n.params) for n in db.session.scalars(
            select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.id))]


def test_an_undo_is_told_to_the_owner_who_heard_the_decision(app, verifier_client, make_user):
    """The owner was told "verified" (inbox and e-mail): the undo tells them it no longer
    holds, in the undo's transaction, in each reader's language."""
    officer = make_user("enterprise")
    e = f.enterprise(app, officer.id, status="pending", county=f.HUAYUAN, name="湘西茶业")
    support.post(verifier_client, f"/verification/enterprises/{e}",
                 {"decision": "verify", "confirmed": "1"})
    assert [k for k, _p in _notices(app, officer.id)] == ["enterprise.verified"]
    with app.app_context():
        did = db.session.scalar(select(VerificationDecision.id))
    support.post(verifier_client, f"/verification/decisions/{did}/undo")
    kinds = _notices(app, officer.id)
    assert [k for k, _p in kinds] == ["enterprise.verified", "decision.undone"]
    assert kinds[1][1] == {"what": "subject.enterprise", "name": "湘西茶业",
                           "answer": "undo.approved"}
    mails = [m for m in app.extensions["sent_mail"] if m["To"] == officer.email]
    assert any("撤回" in str(m) or "undid" in str(m) for m in mails[-1:])
    owner = app.test_client()
    support.login(owner, officer.email)
    html = owner.get("/inbox").get_data(as_text=True)
    assert "撤回了它" in html and "企业 湘西茶业 的决定（批准）" in html
    owner.set_cookie("lang", "en")
    html = owner.get("/inbox").get_data(as_text=True)
    assert "undid the decision on enterprise 湘西茶业" in html and "(approved)" in html


def test_an_undone_rejection_of_a_village_is_told_too(app, verifier_client, make_user):
    secretary = make_user("secretary")
    v = f.village(app, secretary.id, status="pending", name="排碧村")
    support.post(verifier_client, f"/verification/villages/{v}",
                 {"decision": "reject", "reason": "人口数据缺失", "confirmed": "1"})
    with app.app_context():
        did = db.session.scalar(select(VerificationDecision.id))
    support.post(verifier_client, f"/verification/decisions/{did}/undo")
    assert f.get(app, Village, v).status == "pending"
    assert _notices(app, secretary.id)[-1] == (
        "decision.undone", {"what": "subject.village", "name": "排碧村",
                            "answer": "undo.rejected"})
