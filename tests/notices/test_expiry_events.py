"""A request that reaches its deadline unfunded: its secretary and donors are told it
expired, and a donor whose gift moved to the request they chose is told where it went
(inbox and e-mail); a donor who turned the kind off hears nothing of it."""

from __future__ import annotations

from datetime import timedelta

from giving_helpers import make_household, make_request, make_village
from giving_helpers import world as make_world
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.notices.models import NoticeSetting, Notification


def _kinds(user_id: int) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == user_id).order_by(Notification.id)))


def test_an_expired_request_and_a_moved_gift_are_told(app, make_user):
    w = make_world(app, make_user, needed=50_000)
    village = make_village(app, w.secretary.id, name="菖蒲塘村")
    second = make_request(app, w.secretary.id, make_household(app, w.secretary.id, village,
                                                              seq=2), verifier_id=w.verifier.id)
    mover, quiet = make_user("donor"), make_user("donor")
    with app.app_context():
        db.session.add(NoticeSetting(user_id=quiet.id, kind="request.expired", inbox=False,
                                     mail=False))
        db.session.commit()
        begin_write()
        giving.donate(db.session.get(User, mover.id), w.request_id, 10_000, "m",
                      fallback_request_id=second)
        giving.donate(db.session.get(User, quiet.id), w.request_id, 5_000, "q")
        db.session.commit()
        sent_before = len(app.extensions["sent_mail"])
        begin_write()
        req = giving.lock_request(w.request_id)
        giving.settle(req, now=req.deadline + timedelta(seconds=1))
        db.session.commit()
        assert "request.expired" in _kinds(w.secretary.id)
        assert _kinds(mover.id).count("request.expired") == 1
        assert "gift.moved" in _kinds(mover.id)
        assert "gift.refunded" in _kinds(quiet.id) and "request.expired" not in _kinds(quiet.id)
        moved = next(n for n in db.session.scalars(select(Notification).where(
            Notification.user_id == mover.id, Notification.kind == "gift.moved")))
        assert str(second) in str(moved.params.get("target"))
    mails = app.extensions["sent_mail"][sent_before:]
    to_mover = [m for m in mails if m["To"] == mover.email]
    assert len(to_mover) == 2 and any(str(second) in m.get_content() for m in to_mover)
    assert all(m["To"] != quiet.email or "过期" not in m["Subject"] for m in mails)
