"""A coordinator reads, lists, confirms and cancels only the bank transfers of their own
jurisdiction (issue 18: a Sichuan coordinator confirmed a Hunan transfer)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.payments.models import Payment

sys.path.append(str(Path(__file__).parent.parent / "giving"))
from giving_helpers import world  # noqa: E402


@pytest.fixture
def transfer(app, make_user):
    """A Hunan request's gift of 50 yuan by bank transfer, waiting for staff."""
    w = world(app, make_user)
    donor = make_user("donor")
    with app.app_context():
        donation = giving.donate(db.session.get(User, donor.id), w.request_id, 5_000, "k1",
                                 provider="manual")
        db.session.commit()
        payment = db.session.get(Payment, donation.payment_id)
        return payment.id, payment.transfer_code


def _client(app, make_user, jurisdiction):
    client = app.test_client()
    support.login(client, make_user("coordinator", jurisdiction=jurisdiction).email)
    return client


@pytest.mark.parametrize("action", ["confirm", "cancel"])
def test_a_coordinator_of_another_province_cannot_decide_a_transfer(app, make_user, transfer,
                                                                    action):
    pid, code = transfer
    sichuan = _client(app, make_user, "51")
    assert code not in sichuan.get("/payments/pending").get_data(as_text=True)
    assert sichuan.get(f"/payments/{pid}").status_code == 404
    assert support.post(sichuan, f"/payments/{pid}/{action}").status_code == 404
    with app.app_context():
        assert db.session.get(Payment, pid).status == "pending"


@pytest.mark.parametrize("jurisdiction", ["43", "CN"])
def test_a_coordinator_of_the_village_province_or_the_country_confirms(app, make_user, transfer,
                                                                       jurisdiction):
    pid, code = transfer
    staff = _client(app, make_user, jurisdiction)
    assert code in staff.get("/payments/pending").get_data(as_text=True)
    assert staff.get(f"/payments/{pid}").status_code == 200
    assert support.post(staff, f"/payments/{pid}/confirm").status_code == 302
    with app.app_context():
        assert db.session.get(Payment, pid).status == "confirmed"


def test_a_payment_without_a_place_is_for_national_coordinators(app, make_user, donor_client):
    with app.app_context():
        from pairing.payments import services as payments

        p = payments.start_payment("order", 2_500, db.session.get(User, donor_client.user.id),
                                   "order:999", provider="manual")
        db.session.commit()
        pid = p.id
    hunan = _client(app, make_user, "43")
    assert support.post(hunan, f"/payments/{pid}/confirm").status_code == 404
    assert support.post(_client(app, make_user, "CN"), f"/payments/{pid}/confirm").status_code == 302
