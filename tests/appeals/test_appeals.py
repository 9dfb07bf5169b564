"""Appeals through the pages: the submitter appeals a rejection once, a verifier of the
level above decides it (never the first decider), the outcome is final and told; roles
try what they must not."""

from __future__ import annotations

from enterprises import factories as f
from giving_helpers import make_household, make_request, make_village
from sqlalchemy import func, select

import support
from pairing.appeals.models import Appeal
from pairing.db import today
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.giving.models import HelpRequest
from pairing.notices.models import Notification

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _client(app, user, headers=None):  # noqa: ANN001, ANN202
    client = app.test_client()
    support.login(client, user.email, headers=headers or ZH)
    return client


def _rejected_request(app, make_user):  # noqa: ANN001, ANN202
    secretary = make_user("secretary")
    county = make_user("verifier", jurisdiction="433124")
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")
    r = support.post(_client(app, county), f"/verification/help_requests/{req}",
                     {"confirmed": "1", "decision": "reject", "reason": "诊断证明缺失"})
    assert r.status_code == 302
    return secretary, county, req


def _told(app, user_id: int, kind: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.kind == kind))


def test_a_secretary_appeals_once_and_a_provincial_verifier_reverses(app, make_user):
    secretary, county, req = _rejected_request(app, make_user)
    province = make_user("verifier", jurisdiction="43")
    national = make_user("verifier", jurisdiction="CN")
    sec = _client(app, secretary)
    url = f"/appeals/help_request/{req}"
    assert f'href="{url}"' in sec.get(f"/giving/requests/{req}").get_data(as_text=True)
    page = sec.get(url).get_data(as_text=True)
    assert "诊断证明缺失" in page and "提交申诉" in page
    assert sec.post(url, data={"reason": "x"}).status_code == 400  # no CSRF token
    for bad in ("", "   ", "长" * 1001):  # refused beside the field, nothing filed
        r = support.post(sec, url, {"reason": bad}, headers=ZH)
        assert r.status_code == 400 and 'role="alert"' in r.get_data(as_text=True)
    r = support.post(sec, url, {"reason": "证明已在附件中，请再看"})
    assert r.status_code == 302
    with app.app_context():
        appeal = db.session.scalar(select(Appeal))
        assert (appeal.level, appeal.first_decider_id, appeal.status) == (
            "province", county.id, "open")
    assert _told(app, province.id, "appeal.filed") == 1  # the level above ...
    assert _told(app, national.id, "appeal.filed") == 0  # ... not every level
    # A second appeal is refused with a clear message and changes nothing.
    again = support.post(sec, url, {"reason": "再申诉一次"}, headers=ZH)
    assert again.status_code == 409 and "已申诉过一次" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Appeal.id))) == 1
    # The verifier who rejected cannot decide the appeal, nor another of the same level.
    decide = f"/appeals/decide/{appeal.id}"
    form = {"outcome": "grant", "decision": "材料齐全"}
    assert support.post(_client(app, county), decide, form).status_code == 403
    other_county = make_user("verifier", jurisdiction="433124")
    assert support.post(_client(app, other_county), decide, form).status_code == 403
    staff = _client(app, province)
    assert f"/appeals/help_request/{req}" in staff.get("/appeals").get_data(as_text=True)
    for bad in ({"outcome": "grant", "decision": ""}, {"outcome": "maybe", "decision": "好"},
                {"outcome": "grant", "decision": "长" * 1001}):
        assert support.post(staff, decide, bad).status_code == 400
    assert support.post(staff, decide, form).status_code == 302
    with app.app_context():
        assert db.session.get(HelpRequest, req).status == "notice"
        assert db.session.get(Appeal, appeal.id).status == "granted"
    assert _told(app, secretary.id, "appeal.decided") == 1
    mail = [m for m in app.extensions["sent_mail"] if m["To"] == secretary.email][-1]
    assert "最终结果" in mail.get_content() and "材料齐全" in mail.get_content()
    # Final: nobody decides it again, the page says so.
    final = support.post(_client(app, national), decide, form)
    assert final.status_code == 409 and "已裁定" in final.get_data(as_text=True)
    assert "最终结果" in sec.get(url).get_data(as_text=True)


def test_roles_that_must_not_appeal_or_see_it(app, make_user):
    secretary, county, req = _rejected_request(app, make_user)
    url = f"/appeals/help_request/{req}"
    stranger = _client(app, make_user("secretary"))
    assert stranger.get(url).status_code == 403
    assert support.post(stranger, url, {"reason": "不是我的"}).status_code == 403
    for role in ("donor", "enterprise"):
        assert support.post(_client(app, make_user(role)), url,
                            {"reason": "试试"}).status_code == 403
    # A verifier cannot appeal (they decide), not even of their own jurisdiction.
    assert support.post(_client(app, county), url, {"reason": "试试"}).status_code == 403
    assert app.test_client().get(url).status_code == 302  # log-in first
    assert _client(app, make_user("verifier", jurisdiction="33")).get(url).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Appeal.id))) == 0
    assert _client(app, secretary).get("/appeals/help_request/999999").status_code == 404
    assert _client(app, secretary).get("/appeals/nonsense/1").status_code == 404
    assert _client(app, secretary).get("/appeals").status_code == 403


def test_only_a_rejection_can_be_appealed(app, make_user):
    secretary = make_user("secretary")
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")
    r = support.post(_client(app, secretary), f"/appeals/help_request/{req}",
                     {"reason": "还没审核"}, headers=EN)
    assert r.status_code == 409 and "Only a rejection" in r.get_data(as_text=True)


def test_a_provincial_rejection_goes_to_a_national_verifier_who_may_refuse(app, make_user):
    officer = make_user("enterprise")
    province = make_user("verifier", jurisdiction="33")
    ent = f.enterprise(app, officer.id, status="pending")  # in Hangzhou (33)
    support.post(_client(app, province), f"/verification/enterprises/{ent}",
                 {"confirmed": "1", "decision": "reject", "reason": "执照已过期"})
    off = _client(app, officer)
    assert "执照已过期" in off.get("/inbox").get_data(as_text=True)
    assert f'href="/appeals/enterprise/{ent}"' in off.get("/my/enterprises").get_data(as_text=True)
    assert support.post(off, f"/appeals/enterprise/{ent}",
                        {"reason": "已换发新执照"}).status_code == 302
    with app.app_context():
        appeal = db.session.scalar(select(Appeal))
        assert appeal.level == "country"
    other_province = make_user("verifier", jurisdiction="33")
    form = {"outcome": "refuse", "decision": "新执照未上传"}
    assert support.post(_client(app, other_province), f"/appeals/decide/{appeal.id}",
                        form).status_code == 403
    national = make_user("verifier", jurisdiction="CN")
    assert support.post(_client(app, national), f"/appeals/decide/{appeal.id}",
                        form).status_code == 302
    with app.app_context():
        assert db.session.get(Enterprise, ent).status == "rejected"
    page = off.get(f"/appeals/enterprise/{ent}").get_data(as_text=True)
    assert "维持原决定" in page and "新执照未上传" in page
    assert "提交申诉" not in page  # once only


def test_a_party_appeals_a_dispute_decision(app, make_user):

    from notices_pairing import active_pairing

    from pairing.matching.models import Pairing, ProgressReport

    officer, secretary = make_user("enterprise"), make_user("secretary")
    county = make_user("verifier", jurisdiction="433124")
    pairing = active_pairing(app, officer.id, secretary.id, county="433124")
    with app.app_context():
        report = ProgressReport(pairing_id=pairing, quantity=4_000, status="rejected",
                                delivered_on=today(), decided_by_id=county.id,
                                dispute_reason="没收到", decision_note="没有签收单")
        db.session.add(report)
        db.session.commit()
        report_id = report.id
    url = f"/appeals/dispute/{report_id}"
    assert f'href="{url}"' in _client(app, secretary).get(
        f"/pairings/{pairing}").get_data(as_text=True)
    stranger = make_user("enterprise")
    assert support.post(_client(app, stranger), url, {"reason": "x"}).status_code == 403
    assert support.post(_client(app, officer), url, {"reason": "签收单补上了"}).status_code == 302
    assert support.post(_client(app, secretary), url, {"reason": "我也要"}).status_code == 409
    province = make_user("verifier", jurisdiction="43")
    with app.app_context():
        appeal_id = db.session.scalar(select(Appeal.id))
    r = support.post(_client(app, province), f"/appeals/decide/{appeal_id}",
                     {"outcome": "grant", "decision": "签收单有效"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.get(ProgressReport, report_id).status == "upheld"
        assert db.session.get(Pairing, pairing).delivered_quantity == 4_000
    assert _told(app, officer.id, "appeal.decided") == 1
    assert _told(app, secretary.id, "appeal.decided") == 1
