"""Households, the request lifecycle, donations, refunds, disbursements, complaints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from giving_helpers import PDF, figures, id_number, make_household, make_request, make_village
from giving_helpers import world as make_world
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.db import begin_write, utcnow
from pairing.extensions import db
from pairing.giving import idnumber
from pairing.giving import services as giving
from pairing.giving.models import Complaint, Disbursement, Donation, HelpRequest, Household
from pairing.ledger import services as ledger
from pairing.payments import services as payments
from pairing.places.models import Village


def _user(uid):
    return db.session.get(User, uid)


def _give(app, donor_id, request_id, amount, key, **kw):
    with app.app_context():
        begin_write()
        d = giving.donate(_user(donor_id), request_id, amount, key, **kw)
        db.session.commit()
        return d.id


# --- ID numbers ----------------------------------------------------------------------

def test_id_number_checksum_mask_and_encryption(app):
    good = id_number(5)
    assert idnumber.is_valid(good)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not idnumber.is_valid(bad)
    assert not idnumber.is_valid("43312419701301001X")  # month 13
    assert idnumber.mask(good) == good[:6] + "********" + good[-4:]
    with app.app_context():
        token = idnumber.encrypt(good)
        assert good.encode() not in token and idnumber.decrypt(token) == good
        assert idnumber.keyed_hash(good) == idnumber.keyed_hash(good.lower())


def test_household_personal_data_is_encrypted_logged_and_never_audited(app, make_user):
    w = make_world(app, make_user)
    with app.app_context():
        h = db.session.get(Household, w.household_id)
        number = id_number(1)
        assert number.encode() not in h.id_number_enc
        assert h.id_number_masked == idnumber.mask(number)
        verifier = _user(w.verifier.id)
        data = giving.view_personal(verifier, h)
        db.session.commit()
        assert data["id_masked"] == idnumber.mask(number)
        views = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "household.viewed")).all()
        assert [v.actor_id for v in views] == [verifier.id]
        for event in db.session.scalars(select(AuditEvent)):
            text = repr(event.before) + repr(event.after)
            assert "龙德成" not in text and number not in text


def test_other_village_secretary_and_donor_cannot_see_or_change(app, make_user):
    w = make_world(app, make_user)
    other = make_user("secretary")
    donor = make_user("donor")
    make_village(app, other.id, name="排碧村")
    with app.app_context():
        h = db.session.get(Household, w.household_id)
        for uid in (other.id, donor.id):
            with pytest.raises(giving.Forbidden):
                giving.view_personal(_user(uid), h)
            with pytest.raises(giving.Forbidden):
                giving.set_consent(_user(uid), h, False, False)


def test_duplicate_id_in_another_village_is_flagged(app, make_user):
    w = make_world(app, make_user)
    other = make_user("secretary")
    village = make_village(app, other.id, name="排碧村")
    second = make_household(app, other.id, village, seq=1, name="龙德成")
    with app.app_context():
        dups = giving.duplicates(db.session.get(Household, second))
        assert [d.id for d in dups] == [w.household_id]


def test_invalid_id_number_is_refused(app, make_user):
    sec = make_user("secretary")
    village = make_village(app, sec.id)
    with app.app_context(), pytest.raises(giving.GivingError):
        giving.register_household(_user(sec.id), db.session.get(
            Village, village), giving.HouseholdData("R1", "张三", "433124197001010010"))


# --- the lifecycle ---------------------------------------------------------------------

def test_no_submission_without_both_consents(app, make_user):
    sec = make_user("secretary")
    village = make_village(app, sec.id)
    hid = make_household(app, sec.id, village, consent=False)
    rid = make_request(app, sec.id, hid, state="draft")
    with app.app_context(), pytest.raises(giving.GivingError):
        giving.submit_request(_user(sec.id), db.session.get(HelpRequest, rid))


def test_verifier_rules(app, make_user):
    sec = make_user("secretary")
    village = make_village(app, sec.id)
    tied = make_household(app, sec.id, village, tie=True)
    rid = make_request(app, sec.id, tied, state="submitted")
    county = make_user("verifier", jurisdiction="433124")
    elsewhere = make_user("verifier", jurisdiction="52")
    province = make_user("verifier", jurisdiction="43")
    with app.app_context():
        req = db.session.get(HelpRequest, rid)
        assert not giving.may_verify(_user(county.id), req)  # family tie: above the county
        assert not giving.may_verify(_user(elsewhere.id), req)
        assert not giving.may_verify(_user(sec.id), req)
        assert giving.may_verify(_user(province.id), req)
        with pytest.raises(giving.GivingError):
            giving.verify_request(_user(province.id), req, False, reason=" ")
        giving.verify_request(_user(province.id), req, True)
        db.session.commit()
        assert req.status == "notice"
        assert req.notice_until - req.verified_at == timedelta(days=3)


def test_notice_period_then_open(app, make_user):
    w = make_world(app, make_user, state="notice")
    with app.app_context():
        req = db.session.get(HelpRequest, w.request_id)
        assert giving.effective_status(req) == "notice"
        assert giving.effective_status(req, req.notice_until) == "open"
    donor = make_user("donor")
    with pytest.raises(giving.GivingError):
        _give(app, donor.id, w.request_id, 1_000, "k1")


# --- donations -------------------------------------------------------------------------

def test_idempotent_gift_and_remaining_amount(app, make_user):
    w = make_world(app, make_user, needed=50_000)
    donor = make_user("donor")
    first = _give(app, donor.id, w.request_id, 10_000, "key-1")
    assert _give(app, donor.id, w.request_id, 10_000, "key-1") == first
    with pytest.raises(giving.GivingError, match="another amount"):
        _give(app, donor.id, w.request_id, 20_000, "key-1")
    with pytest.raises(giving.GivingError, match="400.00"):
        _give(app, donor.id, w.request_id, 50_000, "key-2")
    with pytest.raises(giving.GivingError):
        _give(app, donor.id, w.request_id, 99, "key-3")  # under 1 yuan
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 10_000 and f["donors"] == 1
    _give(app, donor.id, w.request_id, 40_000, "key-4")
    assert figures(app, w.request_id)["status"] == "funded"


def test_gift_cap(app, make_user):
    app.config["GIVING_MAX_GIFT_FEN"] = 20_000
    w = make_world(app, make_user)
    with pytest.raises(giving.GivingError):
        _give(app, make_user("donor").id, w.request_id, 20_001, "k")


def test_manual_transfer_holds_then_books(app, make_user):
    w = make_world(app, make_user, needed=30_000)
    donor = make_user("donor")
    staff = make_user("coordinator")
    did = _give(app, donor.id, w.request_id, 20_000, "m1", provider="manual")
    with pytest.raises(giving.GivingError, match="100.00"):
        _give(app, make_user("donor").id, w.request_id, 20_000, "m2")
    assert figures(app, w.request_id)["raised"] == 0
    with app.app_context():
        begin_write()
        payments.confirm(db.session.get(payments.Payment,
                                        db.session.get(Donation, did).payment_id),
                         _user(staff.id))
        db.session.commit()
    f = figures(app, w.request_id)
    assert f["raised"] == f["balance"] == 20_000


def test_open_complaint_stops_gifts_until_dismissed(app, make_user):
    w = make_world(app, make_user)
    donor, reporter = make_user("donor"), make_user("donor")
    with app.app_context():
        complaint = giving.file_complaint(db.session.get(HelpRequest, w.request_id),
                                          "这户人家去年刚盖了新房", kind="fraud",
                                          reporter=_user(reporter.id))
        db.session.commit()
        cid = complaint.id
    with pytest.raises(giving.GivingError, match="reported problem"):
        _give(app, donor.id, w.request_id, 1_000, "c1")
    with app.app_context():
        giving.decide_complaint(_user(w.verifier.id), db.session.get(Complaint, cid), False,
                                "核实无误")
        db.session.commit()
    _give(app, donor.id, w.request_id, 1_000, "c2")


def test_deadline_moves_to_chosen_request_or_refunds(app, make_user):
    w = make_world(app, make_user, needed=100_000)
    other = make_request(app, w.secretary.id, w.household_id, verifier_id=w.verifier.id)
    a, b = make_user("donor"), make_user("donor")
    _give(app, a.id, w.request_id, 30_000, "a", fallback_request_id=other)
    _give(app, b.id, w.request_id, 20_000, "b")
    from pairing.giving.jobs import settle_requests

    with app.app_context():
        later = utcnow() + timedelta(days=31)
        db.session.get(HelpRequest, other).deadline = later + timedelta(days=5)
        db.session.commit()
        assert settle_requests(db.session, later) == 1
    f = figures(app, w.request_id)
    assert f["status"] == "expired" and f["raised"] == f["balance"] == 0
    g = figures(app, other)
    assert g["raised"] == g["balance"] == 30_000
    with app.app_context():
        assert ledger.verify() == []
        refund = db.session.scalar(select(Donation).where(Donation.donor_id == b.id))
        assert refund.status == "refunded"


def test_disbursement_with_invoice_and_approval(app, make_user):
    w = make_world(app, make_user, needed=20_000)
    _give(app, make_user("donor").id, w.request_id, 20_000, "d")
    with app.app_context():
        with pytest.raises(ValueError):
            giving.request_disbursement(_user(w.secretary.id), w.request_id, 20_000, "医药费",
                                        b"not a pdf", "x.pdf")
        db.session.rollback()
        disb = giving.request_disbursement(_user(w.secretary.id), w.request_id, 20_000,
                                           "医院住院费", PDF, "invoice.pdf")
        db.session.commit()
        with pytest.raises(giving.Forbidden):
            giving.decide_disbursement(_user(w.secretary.id), disb, True)
        db.session.rollback()
        giving.decide_disbursement(_user(w.verifier.id), db.session.get(Disbursement, disb.id),
                                   True)
        db.session.commit()
    f = figures(app, w.request_id)
    assert f["status"] == "disbursed" and f["balance"] == 0 and f["disbursed"] == 20_000
    with app.app_context():
        assert ledger.balance(ledger.account(f"household:{w.household_id}")) == 20_000


def test_refund_reopens_a_funded_request(app, make_user):
    w = make_world(app, make_user, needed=10_000)
    did = _give(app, make_user("donor").id, w.request_id, 10_000, "r")
    with app.app_context():
        begin_write()
        giving.refund_donation(_user(w.verifier.id), db.session.get(Donation, did))
        db.session.commit()
    f = figures(app, w.request_id)
    assert f["status"] == "open" and f["raised"] == f["balance"] == 0
