"""Monthly series of the money and the pairings, each summed from its rows by month.

A series is [(month "YYYY-MM", that month, running total)] from the first month with a row
to the current month; months without rows are zero. Money is summed in fen and shown in
whole yuan, each value rounded (half up) from its own exact sum in fen, as the figures are:
the running total's last value equals the figure in the API and the downloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select

from ..db import utcnow
from ..extensions import db
from ..ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..matching.models import Pairing, ProgressReport
from ..needs.models import Need
from ..shop.models import Order
from .figures import to_yuan
from .pairings import DELIVERED, MONEY
from .services import month_of
from .shop import SOLD

Series = list[tuple[str, int, int]]
# Ledger kinds (pairing/giving) that move gifts into, between and back out of help requests'
# accounts; their reversals undo them. Moving a gift nets to zero across requests.
RAISED = ("donation", "match.gift", "refund", "reallocation")
PAID = ("disbursement",)


def _with_reversals(kinds: tuple[str, ...]) -> list[str]:
    return [*kinds, *(k + ".reversal" for k in kinds)]


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _series(stmt: Select, money: bool = False, sign: int = 1) -> Series:
    """`stmt` selects (month, value) grouped by month; fill the gaps with zero."""
    values = {m: sign * int(v or 0) for m, v in db.session.execute(stmt) if m}
    if not values:
        return []
    show = to_yuan if money else int
    out, total = [], 0
    for m in _months(min(values), max(max(values), utcnow().strftime("%Y-%m"))):
        total += values.get(m, 0)
        out.append((m, show(values.get(m, 0)), show(total)))
    return out


def _ledger(kinds: tuple[str, ...]) -> Select:
    month = month_of(LedgerTransaction.created_at).label("month")
    return (select(month, func.sum(LedgerEntry.amount)).select_from(LedgerEntry)
            .join(LedgerEntry.account).join(LedgerEntry.transaction)
            .where(LedgerAccount.owner_type == "help_request",
                   LedgerTransaction.kind.in_(_with_reversals(kinds)))
            .group_by(month))


def money_raised() -> Series:
    return _series(_ledger(RAISED), money=True)


def money_paid_out() -> Series:
    return _series(_ledger(PAID), money=True, sign=-1)


def pairings_formed() -> Series:
    month = month_of(Pairing.created_at).label("month")
    return _series(select(month, func.count()).group_by(month))


def yuan_delivered() -> Series:
    # Confirmed by the village (answered_at), or upheld by a verifier (decided_at).
    confirmed = case((ProgressReport.status == "upheld", ProgressReport.decided_at),
                     else_=ProgressReport.answered_at)
    month = month_of(confirmed).label("month")
    return _series(select(month, func.sum(ProgressReport.quantity)).select_from(ProgressReport)
                   .join(ProgressReport.pairing).join(Pairing.need)
                   .where(Need.kind.in_(MONEY), ProgressReport.status.in_(DELIVERED))
                   .group_by(month), money=True)


def shop_sales() -> Series:
    month = month_of(Order.paid_at).label("month")
    return _series(select(month, func.sum(Order.total_fen))
                   .where(Order.state.in_([s.value for s in SOLD])).group_by(month), money=True)


@dataclass(frozen=True)
class Chart:
    key: str
    label: object
    how: object
    series: Series
    cumulative: bool  # draw the running total, else each month's own value


def definitions() -> list[tuple[str, object, object, Callable[[], Series], bool]]:
    """(key, label, how, the series' query, cumulative) of every chart."""
    return [
        ("money_raised", _l("Money raised by crowdfunding (yuan), running total"),
         _l("By month of the ledger transaction: gifts and matched gifts into help "
            "requests' accounts, minus refunds; a gift moved between requests counts "
            "once."), money_raised, True),
        ("money_disbursed", _l("Money paid out (yuan), running total"),
         _l("By month of the ledger transaction: approved payouts out of help "
            "requests' accounts."), money_paid_out, True),
        ("pairings", _l("Pairings formed, running total"),
         _l("By month in which both sides accepted the pairing."), pairings_formed, True),
        ("yuan_delivered", _l("Yuan delivered, running total"),
         _l("Money progress reports by month in which the village confirmed them or a "
            "verifier upheld them."), yuan_delivered, True),
        ("shop_sales", _l("Village shop sales (yuan) per month"),
         _l("Orders paid for (paid, shipped or delivered) by month of payment; "
            "cancelled and refunded orders are not counted."), shop_sales, False),
    ]


def charts(stored: dict[str, Series] | None = None) -> list[Chart]:
    """Every chart, its series queried now or taken from `stored` (a snapshot's)."""
    return [Chart(key, label, how, [tuple(p) for p in stored.get(key, [])]  # type: ignore[misc]
                  if stored is not None else series(), cumulative)
            for key, label, how, series, cumulative in definitions()]
