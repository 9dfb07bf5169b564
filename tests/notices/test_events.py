"""Issue 25's events, each told to the people concerned (inbox rows, e-mails): an order
paid, shipped, delivered, refunded; a payout decided; a complaint filed and decided."""

from __future__ import annotations

from giving_helpers import world as make_world
from shop.shop_helpers import delivery, make_shop
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.notices.models import Notification
from pairing.shop import payouts, services


def _kinds(app, user_id: int) -> list[str]:  # noqa: ANN001
    with app.app_context():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user_id).order_by(Notification.id)))


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


def test_an_order_is_told_to_buyer_and_seller_and_a_payout_to_the_secretary(app, make_user):
    shop = make_shop(app, make_user)
    buyer = make_user("donor")
    verifier = make_user("verifier", jurisdiction="43")
    with app.app_context():
        [order] = services.checkout(_user(buyer.id), {shop.honey: 3}, delivery(), "k").orders
        order_id = order.id
        db.session.commit()
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        services.ship(_user(shop.secretary.id), order_id, "顺丰速运", "SF1234567890")
        db.session.commit()
        services.confirm_delivery(_user(buyer.id), order_id)
        db.session.commit()
    assert _kinds(app, buyer.id) == ["order.paid", "order.shipped"]
    assert _kinds(app, shop.secretary.id) == ["order.paid", "order.delivered"]
    shipped = [m for m in app.extensions["sent_mail"] if m["To"] == buyer.email][-1]
    assert "SF1234567890" in shipped.get_content() and f"/shop/orders/{order_id}" in \
        shipped.get_content()
    with app.app_context():
        payout = payouts.request(_user(shop.secretary.id), shop.village, 20400, "十八洞合作社")
        db.session.commit()
        payouts.decide(_user(verifier.id), payout.id, True)
        db.session.commit()
    assert _kinds(app, shop.secretary.id)[-1] == "payout.decided"
    sec = app.test_client()
    support.login(sec, shop.secretary.email)
    assert "¥204.00" in sec.get("/inbox").get_data(as_text=True)


def test_a_refunded_order_is_told(app, make_user):
    shop = make_shop(app, make_user)
    buyer = make_user("donor")
    with app.app_context():
        [order] = services.checkout(_user(buyer.id), {shop.honey: 1}, delivery(), "k").orders
        order_id = order.id
        db.session.commit()
        services.pay(_user(buyer.id), order_id)
        db.session.commit()
        services.cancel(_user(buyer.id), order_id)
        db.session.commit()
    assert "order.refunded" in _kinds(app, buyer.id)
    assert "order.refunded" in _kinds(app, shop.secretary.id)


def test_a_complaint_filed_and_decided_is_told_to_reporter_and_secretary(app, make_user):
    w = make_world(app, make_user)
    reporter = make_user("donor")
    c = app.test_client()
    support.login(c, reporter.email)
    r = support.post(c, f"/crowdfunding/{w.request_id}/report",
                     {"kind": "other", "body": "照片和别的求助一样"})
    assert r.status_code == 302
    assert _kinds(app, reporter.id) == ["complaint.filed"]
    assert _kinds(app, w.secretary.id)[-1] == "complaint.filed"
    from pairing.giving.models import Complaint

    with app.app_context():
        complaint = db.session.scalar(select(Complaint.id))
    staff = app.test_client()
    support.login(staff, w.verifier.email)
    r = support.post(staff, f"/verification/giving_complaints/{complaint}",
                     {"confirmed": "1", "decision": "reject", "reason": "照片是同一户的两次求助，不是冒用"})
    assert r.status_code == 302
    assert _kinds(app, reporter.id) == ["complaint.filed", "complaint.decided"]
    body = [m for m in app.extensions["sent_mail"] if m["To"] == reporter.email][-1]
    assert "不是冒用" in body.get_content()
