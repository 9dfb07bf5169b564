"""A hypothesis state machine over one request: donate, retry, refund, disburse, expire.
Invariants after every step: the ledger balances, raised - disbursed equals the request's
ledger balance, raised equals the sum of the gifts it holds, raised never above the goal."""

from __future__ import annotations

import itertools
from datetime import timedelta

from giving_helpers import PDF, make_household, make_request, make_village
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from pairing.accounts.models import User
from pairing.db import begin_write, utcnow
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Disbursement, Donation, HelpRequest
from pairing.ledger import services as ledger

COUNTER = itertools.count()


def test_giving_state_machine(app, make_user):
    secretary = make_user("secretary")
    verifier = make_user("verifier", jurisdiction="43")
    donor = make_user("donor")

    class Giving(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            n = next(COUNTER)
            village = make_village(app, secretary.id, name=f"村{n}")
            household = make_household(app, secretary.id, village, seq=n + 1)
            self.goal = 50_000
            self.rid = make_request(app, secretary.id, household, needed=self.goal,
                                    verifier_id=verifier.id)
            self.sent: dict[str, int] = {}
            self.now = utcnow()

        def _do(self, fn) -> None:  # noqa: ANN001
            with app.app_context():
                try:
                    begin_write()
                    fn()
                    db.session.commit()
                except (giving.GivingError, ValueError):
                    db.session.rollback()

        @rule(amount=st.integers(100, 30_000))
        def donate(self, amount: int) -> None:
            key = f"k{len(self.sent)}"
            self.sent[key] = amount
            self._do(lambda: giving.donate(db.session.get(User, donor.id), self.rid, amount,
                                           key, now=self.now))

        @rule(data=st.data())
        def retry(self, data) -> None:  # noqa: ANN001
            if not self.sent:
                return
            key = data.draw(st.sampled_from(sorted(self.sent)))
            before = self._figures()
            self._do(lambda: giving.donate(db.session.get(User, donor.id), self.rid,
                                           self.sent[key], key, now=self.now))
            assert self._figures()["raised"] == before["raised"]

        @rule(index=st.integers(0, 20))
        def refund(self, index: int) -> None:
            def go() -> None:
                rows = giving.confirmed_donations(db.session.get(HelpRequest, self.rid))
                if rows:
                    giving.refund_donation(db.session.get(User, verifier.id),
                                           rows[index % len(rows)])
            self._do(go)

        @rule(amount=st.integers(1, 30_000))
        def disburse(self, amount: int) -> None:
            def go() -> None:
                d = giving.request_disbursement(db.session.get(User, secretary.id), self.rid,
                                                amount, "费用", PDF, "i.pdf")
                giving.decide_disbursement(db.session.get(User, verifier.id), d, True)
            self._do(go)

        @rule()
        def expire(self) -> None:
            self.now = utcnow() + timedelta(days=31)

            def go() -> None:
                giving.settle(giving.lock_request(self.rid), self.now)
            self._do(go)

        def _figures(self) -> dict[str, int]:
            with app.app_context():
                req = db.session.get(HelpRequest, self.rid)
                held = db.session.scalar(select(func.coalesce(func.sum(Donation.amount_fen), 0))
                                         .where(Donation.request_id == self.rid,
                                                Donation.status == "confirmed"))
                paid = db.session.scalar(select(func.coalesce(func.sum(Disbursement.amount_fen),
                                                              0))
                                         .where(Disbursement.request_id == self.rid,
                                                Disbursement.status == "approved"))
                return {"raised": req.raised_fen, "disbursed": req.disbursed_fen,
                        "balance": ledger.balance(ledger.account(req.ledger_code)),
                        "held": held, "paid": paid, "problems": len(ledger.verify())}

        @invariant()
        def books_agree(self) -> None:
            f = self._figures()
            assert f["problems"] == 0
            assert f["raised"] - f["disbursed"] == f["balance"]
            assert f["raised"] == f["held"] and f["disbursed"] == f["paid"]
            assert 0 <= f["raised"] <= self.goal

    run_state_machine_as_test(Giving, settings=settings(
        max_examples=12, stateful_step_count=15, deadline=None,
        suppress_health_check=list(HealthCheck)))
