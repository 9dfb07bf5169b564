"""The dashboard's series over time: each month's value is what that month's rows say,
months without rows are zero, and nothing personal is drawn."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.ledger.models import LedgerTransaction
from pairing.matching.models import Pairing, ProgressReport
from pairing.shop.models import Checkout, Order
from pairing.stats import timeline
from pairing.stats.privacy import personal_data_in

EN = {"Accept-Language": "en"}


def at(month: str, day: int = 15) -> datetime:
    return datetime(int(month[:4]), int(month[5:]), day, 12, 0)


def _months(series, *months: str) -> dict[str, tuple[int, int]]:
    rows = {m: (count, total) for m, count, total in series}
    return {m: rows[m] for m in months}


def _move(app, tx_ids: list[int], month: str) -> None:
    with app.app_context():
        for tx in db.session.scalars(db.select(LedgerTransaction)
                                     .where(LedgerTransaction.id.in_(tx_ids))):
            tx.created_at = at(month)
        db.session.commit()


@pytest.fixture
def money(app):
    """Two requests' accounts: gifts in 2024-01 and 2024-03, one refunded in 2024-03, one
    moved between the requests in 2024-03 (counts once), a payout in 2024-03 that was
    reversed in 2024-04, another payout in 2024-04."""
    with app.app_context():
        donors = ledger.account("external:test", name="provider")
        house = ledger.account("payee:test", name="payee")
        one = ledger.account("req:1", owner_type="help_request", owner_id=1)
        two = ledger.account("req:2", owner_type="help_request", owner_id=2)
        jan = [ledger.transfer("donation", donors, one, 10_000_00).id,
               ledger.transfer("match.gift", ledger.account("external:pool:x"), one, 500_00).id]
        gift = ledger.transfer("donation", donors, two, 2_000_00)
        mar = [gift.id, ledger.transfer("donation", donors, two, 300_50).id,
               ledger.transfer("refund", two, donors, 300_50).id,
               ledger.transfer("reallocation", two, one, 2_000_00).id]
        payout = ledger.transfer("disbursement", one, house, 4_000_00)
        mar.append(payout.id)
        apr = [ledger.reverse(payout).id, ledger.transfer("disbursement", one, house, 1_500_00).id]
        assert ledger.verify() == []
        db.session.commit()
    _move(app, jan, "2024-01")
    _move(app, mar, "2024-03")
    _move(app, apr, "2024-04")


def test_money_raised_and_paid_out_by_month(app, money):
    with app.app_context():
        raised, paid = timeline.money_raised(), timeline.money_paid_out()
    assert raised[0][0] == "2024-01" and paid[0][0] == "2024-03"
    assert _months(raised, "2024-01", "2024-02", "2024-03", "2024-04") == {
        "2024-01": (10_500, 10_500), "2024-02": (0, 10_500), "2024-03": (2_000, 12_500),
        "2024-04": (0, 12_500)}
    assert _months(paid, "2024-03", "2024-04", "2024-05") == {
        "2024-03": (4_000, 4_000), "2024-04": (-2_500, 1_500), "2024-05": (0, 1_500)}
    # The series runs to this month, and no month is skipped.
    assert raised[-1][0] == datetime.now().strftime("%Y-%m")
    assert len({m for m, _c, _t in raised}) == len(raised)


@pytest.fixture
def reports_on_months(app, paired):
    """The money pairing's confirmed report in 2024-02, the upheld one decided in 2024-05
    (disputed in 2024-04); the jobs report (people, not yuan) in 2024-02."""
    with app.app_context():
        for report in db.session.scalars(db.select(ProgressReport)):
            if report.status == "confirmed":
                report.answered_at = at("2024-02")
            elif report.status == "upheld":
                report.answered_at, report.decided_at = at("2024-04"), at("2024-05")
            elif report.answered_at is not None:
                report.answered_at = at("2024-01")
        first, second = db.session.scalars(db.select(Pairing).order_by(Pairing.id)).all()
        first.created_at, second.created_at = at("2023-12"), at("2024-02")
        db.session.commit()
    return paired


def test_pairings_and_yuan_delivered_by_month(app, reports_on_months):
    with app.app_context():
        formed, delivered = timeline.pairings_formed(), timeline.yuan_delivered()
    assert _months(formed, "2023-12", "2024-01", "2024-02", "2024-03") == {
        "2023-12": (1, 1), "2024-01": (0, 1), "2024-02": (1, 2), "2024-03": (0, 2)}
    assert delivered[0][0] == "2024-02"  # the rejected report of 2024-01 does not count
    assert _months(delivered, "2024-02", "2024-03", "2024-04", "2024-05") == {
        "2024-02": (3_000, 3_000), "2024-03": (0, 3_000), "2024-04": (0, 3_000),
        "2024-05": (2_000, 5_000)}


def test_shop_sales_per_month_of_payment(app, seeded, make_user):
    buyer = make_user("donor", name="李买家")
    with app.app_context():
        checkout = Checkout(buyer_id=buyer.id, idempotency_key="k1", total_fen=0)
        db.session.add(checkout)
        db.session.flush()
        for state, fen, month in (("paid", 12_000, "2024-06"), ("delivered", 30_050, "2024-06"),
                                  ("shipped", 1_000, "2024-08"), ("refunded", 5_000, "2024-07"),
                                  ("placed", 9_900, None), ("cancelled", 7_000, "2024-07")):
            db.session.add(Order(checkout_id=checkout.id, buyer_id=buyer.id,
                                 village_id=seeded["villages"][0], state=state, total_fen=fen,
                                 recipient="李买家", phone="13812345678", address="北京市某路1号",
                                 paid_at=at(month) if month else None))
        db.session.commit()
        sales = timeline.shop_sales()
    assert _months(sales, "2024-06", "2024-07", "2024-08") == {
        "2024-06": (421, 421), "2024-07": (0, 421), "2024-08": (10, 431)}  # 420.50, 430.50


def test_dashboard_draws_each_series_without_personal_data(app, client, money, seeded,
                                                           make_user):
    page = client.get("/dashboard", headers=EN).get_data(as_text=True)
    section = page[page.index("<h2>Over time</h2>"):page.index("The poorest villages")]
    assert "Money raised by crowdfunding (yuan), running total" in section
    assert "2024-01: 10,500 (+10500)" in section and "2024-02: 10,500 (+0)" in section
    assert "Money paid out (yuan), running total" in section
    for label in ("Pairings formed, running total", "Yuan delivered, running total",
                  "Village shop sales (yuan) per month"):
        assert label in section  # no rows yet: "Nothing yet."
    assert personal_data_in(section) == []
    assert not re.search(r'style=|<script(?! src)', section)
    method = page[page.index('id="method"'):]
    assert "By month of the ledger transaction" in method


def test_dashboard_in_chinese(client, money):
    page = client.get("/dashboard", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "众筹筹得善款（元，按月累计）" in page and "按总账交易的月份统计" in page
