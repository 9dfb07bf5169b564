"""Enterprise registration, resubmission, verification and offers at the service layer."""

from __future__ import annotations

from datetime import date

import pytest
from enterprises import factories as f
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.audit.models import AuditEvent
from pairing.enterprises import services
from pairing.enterprises.models import Enterprise, Offer
from pairing.enterprises.rules import Invalid, NotAllowed
from pairing.extensions import db


def _user(ref) -> User:  # noqa: ANN001
    return db.session.get(User, ref.id)


def _data(**kw) -> dict:
    data = {"name": "浙江云集电子商务有限公司", "credit_code": f.code(), "county_code": f.HUAYUAN,
            "sector": "I", "employees": 1800, "contact_name": "陈经理",
            "contact_phone": "13800000000", "description": "农产品电商"}
    data.update(kw)
    return data


def _offer(**kw) -> dict:
    data = {"kind": "procurement", "quantity": 5_000_000, "max_villages": 3,
            "provinces": ["43", "52"], "starts_on": date(2026, 1, 1), "ends_on": None,
            "description": "收购茶叶"}
    data.update(kw)
    return data


def test_register_resubmit_verify_with_audit(app, make_user):
    officer = make_user("enterprise")
    verifier = make_user("verifier", jurisdiction="43")
    with app.app_context():
        e = services.register_enterprise(_user(officer), _data())
        db.session.commit()
        assert e.status == "pending" and e.officer_id == officer.id
        services.verify_enterprise(_user(verifier), e, False, "营业执照不清晰")
        assert e.status == "rejected" and e.reject_reason == "营业执照不清晰"
        services.update_enterprise(_user(officer), e, _data(credit_code=e.credit_code))
        assert e.status == "pending" and e.reject_reason == ""
        services.verify_enterprise(_user(verifier), e, True)
        db.session.commit()
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "enterprises").order_by(AuditEvent.id)).all()
        assert actions == ["enterprise.register", "enterprise.reject", "enterprise.resubmit",
                           "enterprise.verify"]
        # contact details are personal: never in the log
        assert all("contact_phone" not in (a.after or {})
                   for a in db.session.scalars(select(AuditEvent)))


@pytest.mark.parametrize("field,value", [
    ("credit_code", "91330106MA27XXXXX1"), ("credit_code", "123"), ("county_code", "999999"),
    ("sector", "Z"), ("employees", -1), ("name", ""), ("name", "名" * 121)])
def test_register_refuses_bad_fields(app, make_user, field, value):
    officer = make_user("enterprise")
    with app.app_context():
        with pytest.raises(Invalid) as exc:
            services.register_enterprise(_user(officer), _data(**{field: value}))
        assert field in exc.value.errors
        db.session.rollback()
        assert db.session.scalar(select(Enterprise.id)) is None


def test_duplicate_credit_code_refused(app, make_user):
    officer = make_user("enterprise")
    code = f.code()
    f.enterprise(app, None, credit_code=code)
    with app.app_context(), pytest.raises(Invalid) as exc:
        services.register_enterprise(_user(officer), _data(credit_code=code.lower()))
    assert "credit_code" in exc.value.errors


def test_verifier_outside_jurisdiction_or_own_entry(app, make_user):
    verifier = make_user("verifier", jurisdiction="43")
    outside = f.enterprise(app, None, county=f.ZHAOJUE)
    own = f.enterprise(app, None, county=f.HUAYUAN, created_by_id=verifier.id, status="pending")
    with app.app_context():
        for ident in (outside, own):
            with pytest.raises(NotAllowed):
                services.verify_enterprise(_user(verifier), db.session.get(Enterprise, ident), True)
    with app.app_context():
        assert db.session.get(Enterprise, own).status == "pending"


def test_rejection_needs_reason_and_only_pending(app, make_user):
    verifier = make_user("verifier", jurisdiction="CN")
    ident = f.enterprise(app, None, status="pending")
    with app.app_context():
        e = db.session.get(Enterprise, ident)
        with pytest.raises(Invalid):
            services.verify_enterprise(_user(verifier), e, False, "  ")
        services.verify_enterprise(_user(verifier), e, True)
        with pytest.raises(Invalid):
            services.verify_enterprise(_user(verifier), e, False, "again")


def test_offer_edit_only_remainder_once_paired(app, make_user):
    officer = make_user("enterprise")
    ident = f.enterprise(app, officer.id)
    with app.app_context():
        e = db.session.get(Enterprise, ident)
        o = services.create_offer(_user(officer), e, _offer())
        assert o.provinces == "43,52"
        services.update_offer(_user(officer), o, _offer(quantity=6_000_000, max_villages=5))
        o.paired_quantity = 2_000_000  # what the pairing area will maintain
        with pytest.raises(Invalid) as exc:
            services.update_offer(_user(officer), o, _offer(kind="jobs", quantity=10))
        assert "kind" in exc.value.errors
        with pytest.raises(Invalid) as exc:
            services.update_offer(_user(officer), o, _offer(quantity=1_000_000, max_villages=5))
        assert "quantity" in exc.value.errors
        services.update_offer(_user(officer), o, _offer(quantity=3_000_000, max_villages=5))
        services.withdraw_offer(_user(officer), o)
        assert o.status == "active" and o.quantity == 2_000_000 and o.remaining == 0


@pytest.mark.parametrize("kw", [{"kind": "gold"}, {"quantity": 0}, {"quantity": -5},
                                {"quantity": 10**13}, {"kind": "jobs", "quantity": 10**6},
                                {"max_villages": 0}, {"provinces": ["99"]},
                                {"ends_on": date(2025, 1, 1)}])
def test_offer_bad_input(app, make_user, kw):
    officer = make_user("enterprise")
    ident = f.enterprise(app, officer.id)
    with app.app_context():
        with pytest.raises(Invalid):
            services.create_offer(_user(officer), db.session.get(Enterprise, ident), _offer(**kw))
        db.session.rollback()
        assert db.session.scalar(select(Offer.id)) is None


def test_other_officer_cannot_touch_offers(app, make_user):
    officer, other = make_user("enterprise"), make_user("enterprise")
    o = f.offer(app, f.enterprise(app, officer.id))
    with app.app_context():
        offer = db.session.get(Offer, o)
        with pytest.raises(NotAllowed):
            services.withdraw_offer(_user(other), offer)
        with pytest.raises(NotAllowed):
            services.create_offer(_user(other), offer.enterprise, _offer())


def test_public_offers_only_of_verified_enterprises(app):
    shown = f.offer(app, f.enterprise(app, None, status="verified"))
    f.offer(app, f.enterprise(app, None, status="pending"))
    f.offer(app, f.enterprise(app, None, status="rejected"))
    f.offer(app, f.enterprise(app, None), status="withdrawn")
    f.offer(app, f.enterprise(app, None), ends_on=date(2026, 2, 1))
    with app.app_context():
        assert db.session.scalars(services.public_offers().with_only_columns(Offer.id)).all() \
            == [shown]


def test_warnings_for_same_name_and_organisation(app):
    a = f.enterprise(app, None, status="pending", name="同名公司", credit_code=f.code(777))
    f.enterprise(app, None, name="同名公司", credit_code=f.code(778))
    with app.app_context():
        e = db.session.get(Enterprise, a)
        dup = Enterprise(name="X", credit_code="92" + e.credit_code[2:17], county_code=f.XIHU,
                         sector="C")
        dup.credit_code = dup.credit_code + __import__(
            "pairing.enterprises.credit_code", fromlist=["x"]).check_char(dup.credit_code)
        db.session.add(dup)
        db.session.flush()
        warnings = services.enterprise_warnings([e])[a]
        assert len(warnings) == 2
