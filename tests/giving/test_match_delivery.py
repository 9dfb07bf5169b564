"""Matched gifts count as the enterprise's delivery: a progress report on its donation
pairing with the village (village confirms), else "gifts matched" on its page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from giving_helpers import world as make_world
from sqlalchemy import select
from test_matching import _give, _offer

from pairing.accounts.models import User
from pairing.db import today, utcnow
from pairing.enterprises.models import Offer
from pairing.enterprises.rules import Invalid
from pairing.extensions import db
from pairing.giving import matching
from pairing.matching import delivery
from pairing.matching.models import Pairing, ProgressReport, Proposal, Round
from pairing.needs.models import Need


def _pairing(app, offer_id: int, village_id: int, quantity: int) -> int:
    """An active donation pairing of the offer with a need of the village."""
    with app.app_context():
        need = Need(village_id=village_id, kind="donation", quantity=quantity,
                    description="助学金")
        rnd = Round(status="done")
        db.session.add_all([need, rnd])
        db.session.flush()
        prop = Proposal(round_id=rnd.id, offer_id=offer_id, need_id=need.id, quantity=quantity,
                        status="accepted", expires_at=utcnow() + timedelta(days=3))
        db.session.add(prop)
        db.session.flush()
        p = Pairing(proposal_id=prop.id, offer_id=offer_id, need_id=need.id, quantity=quantity,
                    starts_on=today(), ends_on=today() + timedelta(days=90))
        db.session.add(p)
        db.session.commit()
        return p.id


def _match(app, officer_id: int, offer_id: int, request_id: int, pool: int) -> None:
    with app.app_context():
        matching.create_match(db.session.get(User, officer_id), db.session.get(Offer, offer_id),
                              pool, utcnow() + timedelta(days=10), [request_id])
        db.session.commit()


def _matched_pairing(app, make_user):  # noqa: ANN001, ANN202
    """A request of 100,000 fen, a donation pairing of 15,000 with its village and a match
    of 50,000 by the same enterprise: (world, officer, pairing id, a donor)."""
    w = make_world(app, make_user, needed=100_000)
    officer = make_user("enterprise")
    offer_id = _offer(app, officer.id)
    pid = _pairing(app, offer_id, w.village_id, 15_000)
    _match(app, officer.id, offer_id, w.request_id, 50_000)
    return w, officer, pid, make_user("donor")


def test_matched_gifts_are_reported_on_the_pairing_and_the_village_confirms(app, make_user):
    w, officer, pid, donor = _matched_pairing(app, make_user)
    _give(app, donor.id, w.request_id, 10_000, "a")   # matched 10,000
    _give(app, donor.id, w.request_id, 10_000, "b")   # matched 10,000, only 5,000 left to report
    _give(app, donor.id, w.request_id, 10_000, "c")   # matched, nothing left on the pairing
    with app.app_context():
        reports = db.session.scalars(select(ProgressReport).where(
            ProgressReport.pairing_id == pid).order_by(ProgressReport.id)).all()
        assert [(r.quantity, r.status) for r in reports] == [(10_000, "reported"),
                                                              (5_000, "reported")]
        assert all(r.note.startswith("Matched gifts") for r in reports)
        assert db.session.get(Pairing, pid).delivered_quantity == 0  # not before confirming
        secretary = db.session.get(User, w.secretary.id)
        for r in reports:
            delivery.confirm_report(secretary, r)
        db.session.commit()
        pairing = db.session.get(Pairing, pid)
        assert pairing.delivered_quantity == 15_000 and pairing.status == "fulfilled"
        assert matching.matched_total(pairing.offer.enterprise_id) == 30_000


def test_without_a_pairing_the_enterprise_page_shows_gifts_matched(app, make_user):
    w = make_world(app, make_user, needed=100_000)
    officer = make_user("enterprise")
    offer_id = _offer(app, officer.id)
    other_secretary = make_user("secretary")
    from giving_helpers import make_village

    elsewhere = make_village(app, other_secretary.id, name="菖蒲塘村")
    pid = _pairing(app, offer_id, elsewhere, 50_000)  # another village: does not count
    _match(app, officer.id, offer_id, w.request_id, 50_000)
    _give(app, make_user("donor").id, w.request_id, 12_300, "a")
    with app.app_context():
        assert db.session.scalars(select(ProgressReport)).all() == []
        assert db.session.get(Pairing, pid).delivered_quantity == 0
        eid = db.session.get(Offer, offer_id).enterprise_id
    anon = app.test_client()
    anon.set_cookie("lang", "en")
    page = anon.get(f"/enterprises/{eid}").get_data(as_text=True)
    assert "gifts matched" in page and "¥123.00" in page


def test_a_refunded_matched_gift_takes_its_delivery_back(app, make_user):
    """Delivery figures must not outlive the money: a staff refund of a matched gift
    withdraws the report it made, and pairing, need and dashboard give the amount back."""
    from pairing.giving import services as giving
    from pairing.giving.models import Donation
    from pairing.matching.models import Notification
    from pairing.matching.notify import text
    from pairing.stats.pairings import delivered_of

    w, officer, pid, donor = _matched_pairing(app, make_user)
    _give(app, donor.id, w.request_id, 10_000, "a")   # matched 10,000: report of 10,000
    _give(app, donor.id, w.request_id, 10_000, "b")   # matched 10,000: report of 5,000
    with app.app_context():
        for r in db.session.scalars(select(ProgressReport).where(ProgressReport.pairing_id == pid)):
            delivery.confirm_report(db.session.get(User, w.secretary.id), r)
        db.session.commit()
        pairing = db.session.get(Pairing, pid)
        assert (pairing.delivered_quantity, pairing.status) == (15_000, "fulfilled")
        assert delivered_of([pid]) == {pid: 15_000}
        second = db.session.scalars(select(Donation).where(Donation.match_id.is_not(None))
                                    .order_by(Donation.id.desc())).first()
        giving.refund_donation(db.session.get(User, w.verifier.id), second)
        db.session.commit()

        report = db.session.scalar(select(ProgressReport).where(
            ProgressReport.donation_id == second.id))
        assert (report.quantity, report.status) == (5_000, "withdrawn")
        pairing = db.session.get(Pairing, pid)
        assert (pairing.delivered_quantity, pairing.status) == (10_000, "active")
        assert pairing.need.met_quantity == 10_000 and pairing.need.status == "partly_met"
        assert delivered_of([pid]) == {pid: 10_000}  # the public figures follow
        inbox = db.session.scalars(select(Notification).where(
            Notification.user_id == officer.id, Notification.kind == "report.withdrawn")).all()
        assert len(inbox) == 1
        with app.test_request_context(headers={"Accept-Language": "en"}):
            assert "withdrawn" in text(inbox[0])
        # A second refund attempt changes nothing more.
        with pytest.raises(giving.GivingError):
            giving.refund_donation(db.session.get(User, w.verifier.id), second)
        db.session.rollback()
        assert db.session.get(Pairing, pid).delivered_quantity == 10_000
    # The village sees the withdrawn report on the pairing's page, in its language.
    import support

    client = app.test_client()
    support.login(client, w.secretary.email)
    page = client.get(f"/pairings/{pid}", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "已撤回（配捐已退回）" in page


def test_a_refund_before_the_village_answered_withdraws_without_uncounting(app, make_user):
    from pairing.giving import services as giving
    from pairing.giving.models import Donation

    w, _officer, pid, donor = _matched_pairing(app, make_user)
    _give(app, donor.id, w.request_id, 10_000, "a")
    with app.app_context():
        gift = db.session.scalars(select(Donation).where(Donation.match_id.is_not(None))).one()
        giving.refund_donation(db.session.get(User, w.verifier.id), gift)
        db.session.commit()
        report = db.session.scalar(select(ProgressReport).where(ProgressReport.donation_id == gift.id))
        assert report.status == "withdrawn"
        pairing = db.session.get(Pairing, pid)
        assert (pairing.delivered_quantity, pairing.status) == (0, "active")
        assert pairing.need.met_quantity == 0
        with pytest.raises(Invalid) as refused:  # the village can no longer confirm it
            delivery.confirm_report(db.session.get(User, w.secretary.id), report)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            assert "already been answered" in str(refused.value.errors["status"])
