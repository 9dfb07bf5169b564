"""Village and enterprise pages: "report a problem" (no log-in, rate-limited), decided by
the verifiers of the subject's county; the complainant's contact never leaks."""

from __future__ import annotations

import pytest
from giving_helpers import make_village
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Complaint
from pairing.places.models import Village

CONTACT = "13912345678 王小明"


def _enterprise(app, officer_id: int, status: str = "verified") -> int:
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer_id, status=status)
        db.session.add(e)
        db.session.commit()
        return e.id


def _report(client, url: str, body: str = "村里根本没有这条路，照片是别处的。"):  # noqa: ANN001
    return support.post(client, url, {"body": body, "contact": CONTACT})


def _complaints(app) -> list[tuple[int | None, int | None, str]]:  # noqa: ANN001
    with app.app_context():
        return [(c.village_id, c.enterprise_id, c.status)
                for c in db.session.scalars(select(Complaint).order_by(Complaint.id))]


def test_public_village_and_enterprise_pages_take_reports_without_login(app, make_user):
    secretary, officer = make_user("secretary"), make_user("enterprise")
    vid = make_village(app, secretary.id)
    eid = _enterprise(app, officer.id)
    anon = app.test_client()
    anon.set_cookie("lang", "en")
    for page in (f"/villages/{vid}", f"/enterprises/{eid}"):
        html = anon.get(page).get_data(as_text=True)
        assert "Report a problem" in html and "/report" in html
    assert _report(anon, f"/villages/{vid}/report").status_code == 302
    assert _report(anon, f"/enterprises/{eid}/report").status_code == 302
    assert _complaints(app) == [(vid, None, "open"), (None, eid, "open")]
    # too short: nothing filed
    support.post(anon, f"/villages/{vid}/report", {"body": "x"})
    assert len(_complaints(app)) == 2
    # the contact is on no public page and not in the audit log
    for page in (f"/villages/{vid}", f"/enterprises/{eid}", "/crowdfunding"):
        assert "13912345678" not in anon.get(page).get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent)).all()
        assert rows and not any("13912345678" in repr((r.before, r.after)) for r in rows)


def test_unverified_subjects_take_no_reports(app, make_user):
    officer = make_user("enterprise")
    eid = _enterprise(app, officer.id, status="pending")
    client = app.test_client()
    support.login(client, officer.email)  # the officer sees the page; it has no form
    assert "/report" not in client.get(f"/enterprises/{eid}").get_data(as_text=True)
    r = support.post(client, f"/enterprises/{eid}/report", {"body": "这家企业是假的"})
    assert r.status_code == 404 and _complaints(app) == []


def test_reports_are_rate_limited(app, make_user):
    vid = make_village(app, make_user("secretary").id)
    anon = app.test_client()
    codes = [_report(anon, f"/villages/{vid}/report").status_code for _ in range(6)]
    assert codes == [302] * 5 + [429]
    assert len(_complaints(app)) == 5


def test_verifier_of_the_county_decides_and_upheld_warns_later_verification(
        app, make_user, verifier_client):
    secretary, officer = make_user("secretary"), make_user("enterprise")
    vid = make_village(app, secretary.id)                    # Hunan 433124
    eid = _enterprise(app, officer.id)                       # Zhejiang 330106
    anon = app.test_client()
    _report(anon, f"/villages/{vid}/report")
    _report(anon, f"/enterprises/{eid}/report")
    verifier_client.set_cookie("lang", "en")
    queue = verifier_client.get("/verification").get_data(as_text=True)
    assert "十八洞村" in queue and "杭州绿源茶业有限公司" not in queue  # province 43 only
    assert "13912345678" not in queue
    with app.app_context():
        cid = db.session.scalar(select(Complaint.id).where(Complaint.village_id == vid))
        other = db.session.scalar(select(Complaint.id).where(Complaint.enterprise_id == eid))
    # without a decision note nothing changes
    support.post(verifier_client, f"/verification/giving_complaints/{cid}",
                 {"decision": "verify", "reason": "", "confirmed": "1"})
    assert _complaints(app)[0][2] == "open"
    r = support.post(verifier_client, f"/verification/giving_complaints/{cid}",
                     {"decision": "verify", "reason": "照片确实是别村的", "confirmed": "1"})
    assert r.status_code in (302, 200)
    assert _complaints(app)[0][2] == "upheld"
    # outside the verifier's jurisdiction: refused, unchanged
    r = support.post(verifier_client, f"/verification/giving_complaints/{other}",
                     {"decision": "verify", "reason": "x"})
    assert r.status_code == 403 and _complaints(app)[1][2] == "open"
    with app.app_context():
        log = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.upheld")
                                 ).one()
        assert "13912345678" not in repr((log.before, log.after))
        # sent again for verification: the upheld report warns the verifier
        db.session.get(Village, vid).status = "pending"
        db.session.commit()
    queue = verifier_client.get("/verification").get_data(as_text=True)
    assert "An upheld report of a problem: 照片确实是别村的" in queue


@pytest.mark.parametrize("role", ["secretary", "donor", "enterprise", "coordinator"])
def test_other_roles_cannot_decide_complaints(app, make_user, role):
    vid = make_village(app, make_user("secretary").id)
    _report(app.test_client(), f"/villages/{vid}/report")
    with app.app_context():
        cid = db.session.scalar(select(Complaint.id))
    who = make_user(role, jurisdiction="CN") if role == "coordinator" else make_user(role)
    client = app.test_client()
    support.login(client, who.email)
    for url in (f"/verification/giving_complaints/{cid}", f"/giving/verify/complaints/{cid}"):
        r = support.post(client, url, {"decision": "approve", "reason": "无"})
        assert r.status_code == 403
    with app.app_context():
        c = db.session.get(Complaint, cid)
        assert c.status == "open"
        with pytest.raises(giving.Forbidden):
            giving.decide_complaint(db.session.get(User, who.id), c, True, "无")


def test_enterprise_officer_never_decides_about_own_enterprise(app, make_user):
    verifier = make_user("verifier", jurisdiction="33")
    eid = _enterprise(app, verifier.id)  # a verifier who is also named as its officer
    other = make_user("verifier", jurisdiction="330106")
    with app.app_context():
        c = giving.file_subject_complaint(db.session.get(Enterprise, eid), "账目不清楚")
        assert not giving.may_decide_complaint(db.session.get(User, verifier.id), c)
        assert giving.may_decide_complaint(db.session.get(User, other.id), c)
        giving.decide_complaint(db.session.get(User, other.id), c, False, "查无实据")
        assert c.status == "dismissed"
        with pytest.raises(giving.GivingError):
            giving.decide_complaint(db.session.get(User, other.id), c, True, "again")


def test_a_complaint_has_exactly_one_subject(app, make_user):
    from sqlalchemy.exc import IntegrityError

    vid = make_village(app, make_user("secretary").id)
    eid = _enterprise(app, make_user("enterprise").id)
    with app.app_context():
        for kw in ({}, {"village_id": vid, "enterprise_id": eid}):
            db.session.add(Complaint(body="两个对象", **kw))
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()


def test_the_form_is_in_chinese(app, make_user):
    vid = make_village(app, make_user("secretary").id)
    anon = app.test_client()
    anon.set_cookie("lang", "zh")
    html = anon.get(f"/villages/{vid}").get_data(as_text=True)
    assert "反映问题" in html and "均不公开" in html
