"""Matched gifts: the pool is paid in advance, each public gift is doubled up to what
remains, the unused rest returns to the enterprise at the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from giving_helpers import figures
from giving_helpers import world as make_world
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.db import begin_write, today, utcnow
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving import matching
from pairing.giving import services as giving
from pairing.giving.jobs import end_matches
from pairing.giving.models import Donation
from pairing.ledger import services as ledger


def _offer(app, officer_id: int) -> int:
    with app.app_context():
        e = Enterprise(name="杭州绿源茶业有限公司", county_code="330106", sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"),
                       officer_id=officer_id, status="verified")
        db.session.add(e)
        db.session.flush()
        o = Offer(enterprise_id=e.id, kind="donation", quantity=10_000_000, max_villages=5,
                  starts_on=today())
        db.session.add(o)
        db.session.commit()
        return o.id


def _give(app, donor_id, rid, amount, key):
    with app.app_context():
        begin_write()
        giving.donate(db.session.get(User, donor_id), rid, amount, key)
        db.session.commit()


def test_match_doubles_gifts_up_to_goal_and_returns_the_rest(app, make_user):
    w = make_world(app, make_user, needed=50_000)
    officer = make_user("enterprise")
    offer_id = _offer(app, officer.id)
    with app.app_context():
        m = matching.create_match(db.session.get(User, officer.id), db.session.get(Offer, offer_id),
                                  30_000, utcnow() + timedelta(days=10), [w.request_id])
        db.session.commit()
        mid, eid = m.id, m.enterprise_id
        assert matching.badges([w.request_id]) == {w.request_id: ["杭州绿源茶业有限公司"]}
    donor = make_user("donor")
    _give(app, donor.id, w.request_id, 10_000, "a")          # doubled: 20,000
    _give(app, donor.id, w.request_id, 20_000, "b")          # only 10,000 of the pool left
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 50_000 and f["status"] == "funded"
    with app.app_context():
        matched = db.session.scalars(select(Donation).where(Donation.match_id == mid)).all()
        assert sorted(d.amount_fen for d in matched) == [10_000, 10_000]
        assert end_matches(db.session, utcnow() + timedelta(days=11)) == 1
        db.session.commit()
        assert ledger.balance(ledger.account(f"match:{mid}")) == 0
        assert ledger.balance(ledger.account(f"external:enterprise:{eid}")) == -20_000
        assert ledger.verify() == []


def test_only_the_officer_of_a_verified_enterprise_creates_a_match(app, make_user):
    w = make_world(app, make_user)
    officer = make_user("enterprise")
    other = make_user("enterprise")
    offer_id = _offer(app, officer.id)
    with app.app_context():
        with pytest.raises(giving.Forbidden):
            matching.create_match(db.session.get(User, other.id), db.session.get(Offer, offer_id),
                                  10_000, utcnow() + timedelta(days=3), [w.request_id])
        with pytest.raises(giving.GivingError):
            matching.create_match(db.session.get(User, officer.id),
                                  db.session.get(Offer, offer_id), 10_000,
                                  utcnow() + timedelta(days=3), [w.request_id + 999])


def test_enterprise_starts_a_match_and_cards_show_it(app, make_user, enterprise_client):
    import support

    w = make_world(app, make_user, needed=50_000)
    offer_id = _offer(app, enterprise_client.user.id)
    page = enterprise_client.get("/giving/matches/new").get_data(as_text=True)
    assert "为母亲治病" in page
    r = support.post(enterprise_client, "/giving/matches/new", {
        "offer": offer_id, "pool": "100", "ends_on": (utcnow() + timedelta(days=5)).strftime(
            "%Y-%m-%d"), "requests": [w.request_id]})
    assert r.status_code == 302
    cards = app.test_client().get("/crowdfunding", headers={"Accept-Language": "en"})
    assert "Gifts doubled by 杭州绿源茶业有限公司" in cards.get_data(as_text=True)


def test_village_project_from_a_need_is_funded_with_a_match(app, make_user):
    """A verified village's public-welfare need opened as a project, gifts doubled by an
    enterprise, paid out to the village against an invoice."""
    from giving_helpers import PDF, open_project

    from pairing.giving.models import HelpRequest

    w = make_world(app, make_user)
    officer = make_user("enterprise")
    offer_id = _offer(app, officer.id)
    pid = open_project(app, w)
    with app.app_context():
        project = db.session.get(HelpRequest, pid)
        with pytest.raises(giving.GivingError):  # one project per need
            giving.create_project(db.session.get(User, w.secretary.id), project.need, title="again",
                                  story="", amount_needed_fen=10_000,
                                  deadline=utcnow() + timedelta(days=20))
        db.session.rollback()
        matching.create_match(db.session.get(User, officer.id), db.session.get(Offer, offer_id),
                              2_000_000, utcnow() + timedelta(days=10), [pid])
        db.session.commit()
    for n in range(2):
        _give(app, make_user("donor").id, pid, 1_000_000, f"p{n}")
    f = figures(app, pid)
    assert f["raised"] == f["balance"] == 4_000_000 and f["status"] == "funded"
    page = app.test_client().get("/crowdfunding", headers={"Accept-Language": "en"})
    assert "Village project" in page.get_data(as_text=True)
    with app.app_context():
        disb = giving.request_disbursement(db.session.get(User, w.secretary.id), pid, 4_000_000,
                                           "施工队工程款", PDF, "fapiao.pdf")
        giving.decide_disbursement(db.session.get(User, w.verifier.id), disb, True)
        db.session.commit()
        assert db.session.get(HelpRequest, pid).status == "disbursed"
        assert ledger.balance(ledger.account(f"village:{w.village_id}:projects")) == 4_000_000
        assert ledger.verify() == []



def test_project_goal_cannot_exceed_what_the_need_still_lacks(app, make_user):
    """Needs hold money in fen, like goals: a project asks at most what the need lacks."""
    from pairing.needs.models import Need

    w = make_world(app, make_user)
    with app.app_context():
        need = Need(village_id=w.village_id, kind="education", quantity=1_000_000,
                    description="教学点修缮")
        db.session.add(need)
        db.session.commit()
        sec = db.session.get(User, w.secretary.id)
        with pytest.raises(giving.GivingError) as refused:
            giving.create_project(sec, need, title="修缮", story="漏雨", deadline=utcnow()
                                  + timedelta(days=20), amount_needed_fen=1_000_001)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            assert "and 10000 yuan" in str(refused.value)
        project = giving.create_project(sec, need, title="修缮", story="漏雨",
                                        deadline=utcnow() + timedelta(days=20),
                                        amount_needed_fen=1_000_000)
        assert project.amount_needed_fen == 1_000_000
