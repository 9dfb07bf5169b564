"""Every decision on what a person submitted, and the events of issue 25, reach the person
concerned in the inbox and by e-mail, in the person's language; each kind can be turned
off; a rolled-back event tells nobody."""

from __future__ import annotations

from datetime import timedelta

from enterprises import factories as f
from giving_helpers import make_household, make_request, make_village
from giving_helpers import world as make_world
from notices_pairing import active_pairing
from sqlalchemy import func, select

import support
from pairing.accounts.models import User
from pairing.db import begin_write, utcnow
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Donation, HelpRequest
from pairing.notices.models import NoticeOnce, Notification

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def _client(app, user, headers=None):  # noqa: ANN001, ANN202
    client = app.test_client()
    support.login(client, user.email, headers=headers or ZH)
    return client


def _mails(app, to: str) -> list:
    return [m for m in app.extensions.get("sent_mail", []) if m["To"] == to]


def _kinds(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user_id).order_by(Notification.id)))


def test_a_rejected_request_reaches_the_secretary_in_chinese_with_reason_and_link(
        app, make_user):
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="433124")
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")
    sec = _client(app, secretary)  # logs in in Chinese: mails in Chinese
    r = support.post(_client(app, verifier), f"/verification/help_requests/{req}",
                     {"confirmed": "1", "decision": "reject", "reason": "照片看不清，请补充诊断证明"})
    assert r.status_code == 302
    inbox = sec.get("/inbox", headers=ZH).get_data(as_text=True)
    assert "未通过审核" in inbox and "照片看不清，请补充诊断证明" in inbox
    assert f'href="/appeals/help_request/{req}"' in inbox
    (mail,) = _mails(app, secretary.email)
    body = mail.get_content()
    assert "未通过审核" in body and "照片看不清，请补充诊断证明" in body
    assert f"/appeals/help_request/{req}" in body and "/account/notices" in body


def test_an_approved_request_and_a_verified_enterprise_in_english(app, make_user):
    secretary, officer = make_user("secretary"), make_user("enterprise")
    verifier = make_user("verifier", jurisdiction="CN")
    _client(app, secretary, EN), _client(app, officer, EN)  # their language is English
    village = make_village(app, secretary.id)
    req = make_request(app, secretary.id, make_household(app, secretary.id, village),
                       state="submitted")
    ent = f.enterprise(app, officer.id, status="pending")
    staff = _client(app, verifier)
    support.post(staff, f"/verification/help_requests/{req}", {"confirmed": "1", "decision": "verify"})
    support.post(staff, f"/verification/enterprises/{ent}", {"confirmed": "1", "decision": "verify"})
    assert _kinds(app, secretary.id) == ["request.verified"]
    assert _kinds(app, officer.id) == ["enterprise.verified"]
    (to_secretary,) = _mails(app, secretary.email)
    assert "was approved" in to_secretary.get_content()
    (to_officer,) = _mails(app, officer.email)
    assert "was verified" in to_officer["Subject"] and "杭州绿源茶业有限公司" in \
        to_officer.get_content()


def test_a_rejected_village_tells_its_secretary(app, make_user):
    secretary = make_user("secretary")
    v = f.village(app, secretary.id, status="pending")
    support.post(_client(app, make_user("verifier", jurisdiction="43")),
                 f"/verification/villages/{v}", {"confirmed": "1", "decision": "reject", "reason": "人口数不符"})
    inbox = _client(app, secretary).get("/inbox").get_data(as_text=True)
    assert "人口数不符" in inbox and f"/appeals/village/{v}" in inbox


def test_turning_a_kind_off_stops_it_and_leaves_the_others(app, make_user):
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="43")
    village = make_village(app, secretary.id)
    first = make_request(app, secretary.id, make_household(app, secretary.id, village, seq=1),
                         state="submitted")
    second = make_request(app, secretary.id, make_household(app, secretary.id, village, seq=2),
                          state="submitted")
    sec = _client(app, secretary)
    account = sec.get("/account").get_data(as_text=True)
    assert 'href="/account/notices"' in account
    page = sec.get("/account/notices").get_data(as_text=True)
    assert 'value="request.rejected"' in page and "checked" in page
    from pairing.notices import kinds

    everything = [k.key for k in kinds.for_role("secretary")]
    assert "enterprise.rejected" not in everything and "appeal.filed" not in everything
    keep = [k for k in everything if k != "request.rejected"]
    r = support.post(sec, "/account/notices", {"inbox": keep, "mail": keep})
    assert r.status_code == 302
    page = sec.get("/account/notices").get_data(as_text=True)
    assert 'id="inbox-request.rejected">' in page and 'id="mail-request.rejected">' in page
    assert page.count("checked") == 2 * (len(everything) - 1)
    staff = _client(app, verifier)
    support.post(staff, f"/verification/help_requests/{first}",
                 {"confirmed": "1", "decision": "reject", "reason": "信息不全"})
    support.post(staff, f"/verification/help_requests/{second}", {"confirmed": "1", "decision": "verify"})
    assert _kinds(app, secretary.id) == ["request.verified"]
    assert len(_mails(app, secretary.email)) == 1
    # E-mail only off: the inbox still tells.
    r = support.post(sec, "/account/notices", {"inbox": everything, "mail": keep})
    third = make_request(app, secretary.id, make_household(app, secretary.id, village, seq=3),
                         state="submitted")
    support.post(staff, f"/verification/help_requests/{third}",
                 {"confirmed": "1", "decision": "reject", "reason": "信息不全"})
    assert _kinds(app, secretary.id) == ["request.verified", "request.rejected"]
    assert len(_mails(app, secretary.email)) == 1


def test_settings_refuse_a_forged_form_and_ignore_unknown_kinds(app, make_user):
    donor = make_user("donor")
    c = _client(app, donor)
    assert c.post("/account/notices", data={"inbox": "gift.refunded"}).status_code == 400
    r = support.post(c, "/account/notices", {"inbox": ["nonsense", "gift.refunded"],
                                             "mail": ["gift.refunded"]})
    assert r.status_code == 302
    assert app.test_client().get("/account/notices").status_code == 302  # log-in first


def test_a_rolled_back_decision_tells_nobody(app, make_user):
    w = make_world(app, make_user, state="submitted")
    with app.app_context():
        giving.verify_request(db.session.get(User, w.verifier.id),
                              db.session.get(HelpRequest, w.request_id), False, "不清楚")
        db.session.rollback()
        assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert _mails(app, w.secretary.email) == []


def test_refunded_gift_and_funded_request_tell_donor_and_secretary(app, make_user):
    w = make_world(app, make_user, needed=20_000)
    donor, other = make_user("donor"), make_user("donor")
    with app.app_context():
        begin_write()
        gift = giving.donate(db.session.get(User, donor.id), w.request_id, 10_000, "a").id
        db.session.commit()
        begin_write()
        giving.donate(db.session.get(User, other.id), w.request_id, 10_000, "b")
        db.session.commit()
    assert _kinds(app, donor.id) == ["request.funded"]
    assert "request.funded" in _kinds(app, w.secretary.id)
    with app.app_context():
        begin_write()
        giving.refund_donation(db.session.get(User, w.verifier.id),
                               db.session.get(Donation, gift))
        db.session.commit()
    assert _kinds(app, donor.id) == ["request.funded", "gift.refunded"]
    body = _mails(app, donor.email)[-1].get_content()
    assert "¥100.00" in body and "/giving/my-gifts" in body


def test_an_overdue_report_is_told_once_per_period(app, make_user, runner):
    from pairing.notices.jobs import overdue_reports

    officer, secretary = make_user("enterprise"), make_user("secretary")
    late = active_pairing(app, officer.id, secretary.id, started_days_ago=100)
    with app.app_context():
        for _ in range(3):  # housekeeping runs every minute
            overdue_reports(db.session, utcnow())
            db.session.commit()
        assert db.session.scalar(select(func.count(NoticeOnce.key))) == 2
    assert _kinds(app, officer.id) == ["report.overdue"]
    assert _kinds(app, secretary.id) == ["report.overdue"]
    assert len(_mails(app, officer.email)) == 1
    with app.app_context():  # the next period tells again
        overdue_reports(db.session, utcnow() + timedelta(days=90))
        db.session.commit()
    assert _kinds(app, officer.id) == ["report.overdue", "report.overdue"]
    assert f"/matching/pairings/{late}" in _mails(app, officer.email)[-1].get_content() or \
        f"/pairings/{late}" in _mails(app, officer.email)[-1].get_content()


def test_a_savepoint_rolled_back_keeps_the_mails_queued_before_it(app, make_user):
    """A lost race caught in a savepoint (notices told once, appeals) must not silence
    the notices of the event around it, nor send the ones told inside the savepoint."""
    from pairing.notices.service import tell

    before, inside = make_user("donor"), make_user("donor")
    with app.app_context():
        tell(db.session, before.id, "gift.refunded", "", id=1, amount="¥1.00")
        try:
            with db.session.begin_nested():
                tell(db.session, inside.id, "gift.refunded", "", id=2, amount="¥2.00")
                raise RuntimeError("lost the race")
        except RuntimeError:
            pass
        db.session.commit()
    assert len(_mails(app, before.email)) == 1
    assert _mails(app, inside.email) == []


def test_an_overdue_report_counts_periods_on_beijings_calendar(app, make_user):
    """A pairing that started 90 Beijing days ago is overdue from Beijing's midnight, not
    eight hours later when UTC's date turns."""
    from datetime import UTC, datetime, time

    from pairing.db import BEIJING, today
    from pairing.notices.jobs import overdue_reports

    officer, secretary = make_user("enterprise"), make_user("secretary")
    active_pairing(app, officer.id, secretary.id, started_days_ago=90)
    one_am = datetime.combine(today(), time(1, 0), tzinfo=BEIJING)  # UTC: the day before
    with app.app_context():
        overdue_reports(db.session, one_am.astimezone(UTC).replace(tzinfo=None))
        db.session.commit()
    assert _kinds(app, officer.id) == ["report.overdue"]
