"""A gift arrives while housekeeping ends its match pool: the gift waits for the pool's
lock and then finds the match over (its rest already returned to the enterprise), so it
is taken undoubled instead of drawing on money that has left the pool (which failed the
pool's check constraint on PostgreSQL: a 500)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from giving_helpers import figures
from giving_helpers import world as make_world

from pairing.accounts.models import User
from pairing.db import begin_write, today, utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving import matching
from pairing.giving import services as giving
from pairing.giving.models import Match
from pairing.ledger import services as ledger


def test_a_gift_while_its_match_ends_is_taken_undoubled(app, make_user):
    w = make_world(app, make_user, needed=100_000)
    officer, donor = make_user("enterprise"), make_user("donor")
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer.id, status="verified")
        db.session.add(e)
        db.session.flush()
        offer = Offer(enterprise_id=e.id, kind="donation", quantity=1_000_000,
                      max_villages=5, starts_on=today())
        db.session.add(offer)
        db.session.flush()
        match_id = matching.create_match(db.session.get(User, officer.id), offer, 30_000,
                                         utcnow() + timedelta(days=10), [w.request_id]).id
        db.session.commit()
    ended, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def housekeeping() -> None:
        with app.app_context():
            begin_write()
            matching.end_matches(db.session, utcnow() + timedelta(days=11))
            ended.set()
            release.wait(10)  # hold the pool's lock while the gift comes in
            db.session.commit()

    def gift() -> None:
        with app.app_context():
            try:
                begin_write()
                giving.donate(db.session.get(User, donor.id), w.request_id, 10_000, "g1")
                db.session.commit()
            except BaseException as exc:  # noqa: BLE001 - asserted below
                failures.append(exc)

    keeper = threading.Thread(target=housekeeping)
    keeper.start()
    assert ended.wait(10)
    giver = threading.Thread(target=gift)
    giver.start()
    time.sleep(0.5)  # the gift now waits for the pool (PostgreSQL) or the database (SQLite)
    release.set()
    keeper.join(20)
    giver.join(20)
    assert failures == []
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 10_000  # not doubled: the match was over
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert (match.status, match.used_fen, match.returned_fen) == ("ended", 0, 30_000)
        assert db.session.get(Offer, match.offer_id).paired_quantity == 0  # back to the offer
        assert ledger.verify() == []
