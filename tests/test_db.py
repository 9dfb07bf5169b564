"""pairing.db: the lock helper reads rows afresh; a view that loses a deadlock to another
request is run again instead of answering 500, a bounded number of times."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from pairing.db import RETRY_ATTEMPTS, begin_write, lock, retry_conflicts
from pairing.extensions import db
from pairing.payments import services as payments
from pairing.payments.models import Payment


class _Deadlock(Exception):
    sqlstate = "40P01"


def _route(app: Flask, failures: int, error: Exception) -> list[int]:
    calls: list[int] = []

    @retry_conflicts
    def view() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("UPDATE ledger_accounts ...", {}, error)
        return "done"

    app.add_url_rule(f"/t-{failures}-{type(error).__name__}", f"t{failures}", view,
                     methods=["GET"])  # no CSRF token needed
    return calls


def test_a_deadlocked_view_runs_again_and_answers(app):
    calls = _route(app, 2, _Deadlock("deadlock detected"))
    answer = app.test_client().get("/t-2-_Deadlock")
    assert answer.status_code == 200 and answer.data == b"done"
    assert len(calls) == 3


def test_retries_are_bounded(app):
    calls = _route(app, 99, _Deadlock("deadlock detected"))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get("/t-99-_Deadlock").status_code == 500
    assert len(calls) == RETRY_ATTEMPTS


def test_other_database_errors_are_not_retried(app):
    calls = _route(app, 1, ValueError("syntax error"))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert app.test_client().get("/t-1-ValueError").status_code == 500
    assert len(calls) == 1


def test_lock_reads_what_another_transaction_committed_meanwhile(app):
    """The object a request loaded before waiting is overwritten with the row as it is
    when the lock is granted (payments._locked used to hand back the stale object)."""
    with app.app_context():
        payment = payments.start_payment("order", 500, None, "order:9", provider="manual")
        db.session.commit()
        payment_id = payment.id
    with app.app_context():
        begin_write()  # SQLite: take the write lock before reading, as views do
        seen = db.session.get(Payment, payment_id)
        assert seen.status == "pending"
        if db.session.get_bind().dialect.name != "sqlite":
            other = threading.Thread(target=_confirm_elsewhere, args=(app, payment_id))
            other.start()
            other.join(10)
        else:  # the write lock is ours: the change is made in this transaction instead
            db.session.execute(update(Payment).where(Payment.id == payment_id)
                               .values(status="confirmed"))
        assert lock(db.session, Payment, payment_id) is seen
        assert seen.status == "confirmed"
        db.session.rollback()


def _confirm_elsewhere(app: Flask, payment_id: int) -> None:
    with app.app_context():
        db.session.execute(update(Payment).where(Payment.id == payment_id)
                           .values(status="confirmed"))
        db.session.commit()


@pytest.mark.parametrize("message", ["database is locked"])
def test_sqlite_busy_is_a_conflict(message):
    from pairing.db import is_conflict

    assert is_conflict(OperationalError("INSERT", {}, Exception(message)))
    assert not is_conflict(OperationalError("INSERT", {}, Exception("no such table")))
