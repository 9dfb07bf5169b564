"""Payments: providers, idempotent start, staff confirmation and its purpose handler."""

from __future__ import annotations

import pytest

from pairing.db import begin_write
from pairing.extensions import db
from pairing.payments import services as payments
from pairing.payments.models import Payment


def test_sandbox_confirms_at_once(app):
    with app.app_context():
        p = payments.start_payment("order", 1_000, None, "order:1")
        db.session.commit()
        assert p.confirmed and p.is_demo and p.confirmed_at is not None


def test_manual_waits_for_staff_and_runs_the_handler_once(app, make_user):
    staff = make_user("coordinator")
    seen: list[int] = []
    payments.on_confirmed("test-purpose")(lambda payment, actor: seen.append(payment.id))
    with app.app_context():
        p = payments.start_payment("test-purpose", 5_000, None, "x:1", provider="manual")
        db.session.commit()
        assert p.status == "pending" and p.transfer_code.startswith("WQ")
        actor = db.session.get(__import__("pairing.accounts.models", fromlist=["User"]).User,
                               staff.id)
        begin_write()
        payments.confirm(p, actor)
        payments.confirm(p, actor)  # a second click changes nothing
        db.session.commit()
        assert seen == [p.id]
        assert db.session.get(Payment, p.id).status == "confirmed"


def test_same_reference_gives_same_payment_and_refuses_other_amount(app):
    with app.app_context():
        first = payments.start_payment("order", 700, None, "order:2")
        again = payments.start_payment("order", 700, None, "order:2")
        assert first.id == again.id
        with pytest.raises(payments.PaymentError):
            payments.start_payment("order", 701, None, "order:2")


@pytest.mark.parametrize("amount", [0, -5, 1.5, True])
def test_bad_amounts_are_refused(app, amount):
    with app.app_context(), pytest.raises(payments.PaymentError):
        payments.start_payment("order", amount, None, "order:3")  # type: ignore[arg-type]


def test_unknown_provider_is_refused(app):
    with app.app_context(), pytest.raises(payments.PaymentError):
        payments.start_payment("order", 100, None, "order:4", provider="paypal")


def test_cancelled_payment_cannot_be_confirmed(app):
    with app.app_context():
        p = payments.start_payment("order", 100, None, "order:5", provider="manual")
        payments.cancel(p, None)
        with pytest.raises(payments.PaymentError):
            payments.confirm(p, None)
