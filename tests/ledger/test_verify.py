"""ledger.verify checks what the areas register, not only balanced transactions: the
faults issue 17 found under concurrency, made here directly, are each reported, and
`flask ledger verify` prints them and exits 1."""

from __future__ import annotations

from giving.giving_helpers import world as make_world
from sqlalchemy import update

from pairing.accounts.models import User
from pairing.db import begin_write
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import HelpRequest
from pairing.ledger import services as ledger
from pairing.payments import services as payments
from pairing.payments.models import Payment


def _transfer(app, make_user, w) -> tuple[int, int]:  # noqa: ANN001
    """A ¥80 bank transfer gift, confirmed by staff; returns (payment id, staff id)."""
    donor, staff = make_user("donor"), make_user("coordinator")
    with app.app_context():
        begin_write()
        gift = giving.donate(db.session.get(User, donor.id), w.request_id, 8_000, "t1",
                             provider="manual")
        db.session.commit()
        begin_write()
        payments.confirm(db.session.get(Payment, gift.payment_id), db.session.get(User, staff.id))
        db.session.commit()
        assert ledger.verify() == []
        return gift.payment_id, staff.id


def test_a_transfer_booked_twice_is_reported(app, make_user, runner):
    """What two simultaneous confirmations did: the purpose's handler ran a second time."""
    w = make_world(app, make_user, needed=100_000)
    payment_id, staff_id = _transfer(app, make_user, w)
    with app.app_context():
        payment = db.session.get(Payment, payment_id)
        db.session.execute(update(HelpRequest).where(HelpRequest.id == w.request_id)
                           .values(pledged_fen=8_000))  # what the second run takes off
        payments.HANDLERS["donation"](payment, db.session.get(User, staff_id))
        db.session.commit()
        problems = ledger.verify()
    assert any("booked 2 times" in p for p in problems), problems
    assert any(f"request {w.request_id}: raised 16000 but its confirmed gifts sum to 8000" in p
               for p in problems), problems
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "booked 2 times" in result.output


def test_a_cancelled_transfer_booked_anyway_and_a_drifting_pledge_are_reported(app, make_user):
    w = make_world(app, make_user, needed=100_000)
    payment_id, _ = _transfer(app, make_user, w)
    with app.app_context():
        db.session.execute(update(Payment).where(Payment.id == payment_id)
                           .values(status="cancelled"))
        db.session.execute(update(HelpRequest).where(HelpRequest.id == w.request_id)
                           .values(pledged_fen=0, raised_fen=8_000))
        db.session.commit()
        problems = ledger.verify()
    assert any("booked 1 times, its payment is cancelled" in p for p in problems), problems


def test_an_account_below_zero_is_reported(app):
    with app.app_context():
        sales = ledger.account("village:1:sales")
        ledger.transfer("shop.payout", sales, ledger.account("village:1:cooperative"), 5_000)
        db.session.commit()
        problems = ledger.verify()
    assert "account village:1:sales is below zero: -5000" in problems


def test_clean_books_verify_and_the_command_says_so(app, runner):
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0, result.output
    assert "ledger verified" in result.output
