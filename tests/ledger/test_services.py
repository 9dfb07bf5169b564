"""The ledger: balanced transactions, reversals, and balances under concurrency."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from pairing.db import begin_write
from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.ledger.models import LedgerAccount


def test_transfer_moves_balances_and_books_balance(app):
    with app.app_context():
        bank = ledger.account("external:bank")
        fund = ledger.account("request:1", owner_type="request", owner_id=1)
        ledger.transfer("donation", bank, fund, 12_345)
        db.session.commit()
        assert ledger.balance(fund) == 12_345
        assert ledger.balance(bank) == -12_345
        assert ledger.verify() == []


@pytest.mark.parametrize("entries", [
    [("a", 100), ("b", -99)],
    [("a", 100)],
    [("a", 0), ("b", 0)],
])
def test_unbalanced_or_empty_transactions_are_refused(app, entries):
    with app.app_context():
        accounts = {c: ledger.account(c) for c, _ in entries}
        with pytest.raises(ledger.LedgerError):
            ledger.post("test", [(accounts[c], amount) for c, amount in entries])
        db.session.rollback()
        assert ledger.verify() == []


def test_float_amounts_are_refused(app):
    with app.app_context():
        a, b = ledger.account("a"), ledger.account("b")
        with pytest.raises(ledger.LedgerError):
            ledger.post("test", [(a, 1.5), (b, -1.5)])  # type: ignore[list-item]


def test_reversal_restores_balances_once(app):
    with app.app_context():
        a, b = ledger.account("a"), ledger.account("b")
        tx = ledger.transfer("donation", a, b, 500)
        ledger.reverse(tx)
        db.session.commit()
        assert ledger.balance(a) == 0 and ledger.balance(b) == 0
        with pytest.raises(ledger.LedgerError):
            ledger.reverse(tx)
        assert ledger.verify() == []


def test_account_is_created_once(app):
    with app.app_context():
        first = ledger.account("village:1:sales")
        db.session.commit()
        assert ledger.account("village:1:sales").id == first.id
        assert len(db.session.scalars(select(LedgerAccount)).all()) == 1


def test_concurrent_transfers_lose_nothing(app):
    """40 transfers from 8 threads: the balance is exactly their sum on both databases."""
    with app.app_context():
        ledger.account("external:bank")
        ledger.account("request:9")
        db.session.commit()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                with app.app_context():
                    begin_write()
                    bank = ledger.account("external:bank")
                    fund = ledger.account("request:9")
                    ledger.transfer("donation", bank, fund, 100)
                    db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        assert ledger.balance(ledger.account("request:9")) == 4_000
        assert ledger.verify() == []
