"""The verifier's queue: oldest first, jurisdiction, own entries, warnings, audit."""

from __future__ import annotations

from enterprises import factories as f
from sqlalchemy import select

import support
from pairing.audit.models import AuditEvent
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village

EN = {"Accept-Language": "en"}


def test_queue_lists_oldest_first_with_warnings(app, verifier_client):
    f.village(app, None, status="pending", name="甲村")
    f.village(app, None, status="pending", name="乙村", poor_households=999, poor_population=5000)
    f.village(app, None, status="pending", name="外省村", county=f.ZHAOJUE)
    f.enterprise(app, None, status="pending", county=f.HUAYUAN, name="湘西茶业")
    page = verifier_client.get("/verification", headers=EN).get_data(as_text=True)
    assert page.index("甲村") < page.index("乙村")
    assert "外省村" not in page and "湘西茶业" in page
    assert "More poor households than households" in page
    assert "Poverty incidence over 100%" in page


def test_own_entries_are_not_in_the_queue_and_refused(app, verifier_client):
    v = f.village(app, None, status="pending", created_by_id=verifier_client.user.id)
    assert "十八洞村" not in verifier_client.get("/verification").get_data(as_text=True)
    r = support.post(verifier_client, f"/verification/villages/{v}", {"decision": "verify"})
    assert r.status_code == 403 and f.get(app, Village, v).status == "pending"


def test_outside_jurisdiction_refused(app, verifier_client):
    e = f.enterprise(app, None, status="pending", county=f.ZHAOJUE)
    r = support.post(verifier_client, f"/verification/enterprises/{e}", {"decision": "verify"})
    assert r.status_code == 403 and f.get(app, Enterprise, e).status == "pending"


def test_reject_with_reason_is_audited_and_shown(app, verifier_client, make_user):
    officer = make_user("enterprise")
    e = f.enterprise(app, officer.id, status="pending", county=f.HUAYUAN)
    r = support.post(verifier_client, f"/verification/enterprises/{e}",
                     {"decision": "reject", "reason": "", "confirmed": "1"}, headers=EN)
    assert f.get(app, Enterprise, e).status == "pending"
    r = support.post(verifier_client, f"/verification/enterprises/{e}",
                     {"decision": "reject", "reason": "执照照片模糊", "confirmed": "1"})
    assert r.status_code == 302
    assert f.get(app, Enterprise, e).reject_reason == "执照照片模糊"
    c = app.test_client()
    support.login(c, officer.email)
    assert "执照照片模糊" in c.get("/my/enterprises").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enterprise.reject"))
        assert event.actor_id == verifier_client.user.id and event.object_id == str(e)


def test_verify_makes_public(app, verifier_client, client):
    v = f.village(app, None, status="pending", name="排碧村")
    support.post(verifier_client, f"/verification/villages/{v}",
                 {"decision": "verify", "confirmed": "1"})
    assert "排碧村" in client.get("/villages").get_data(as_text=True)


def test_other_roles_have_no_queue(app, make_user):
    v = f.village(app, None, status="pending")
    for role in ("enterprise", "secretary", "donor", "coordinator"):
        c = app.test_client()
        support.login(c, make_user(role).email)
        assert c.get("/verification").status_code == 403
        assert support.post(c, f"/verification/villages/{v}", {"decision": "verify"}
                            ).status_code == 403
    assert f.get(app, Village, v).status == "pending"
