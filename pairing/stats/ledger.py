"""The public ledger of crowdfunding: every entry on a published help request's account
in the one double-entry ledger (gifts, refunds, gifts moved in or out, payouts), with
the donor's name or "anonymous" and each payout's note and evidence type.

Nothing here is a stored total: a request's balance is the sum of its entries, which
equals its ledger account's balance (a test checks it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from .. import inputs
from ..extensions import db
from ..giving.models import Disbursement, Donation, HelpRequest, Household, Match
from ..ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..places.models import County, Village
from .figures import Figure, _grouped
from .figures import register as register_figure
from .opendata import Dataset, Row
from .opendata import register as register_dataset

ANONYMOUS = "anonymous"
KIND_LABELS = {
    "donation": _l("Gift"),
    "refund": _l("Refund to the donor"),
    "reallocation": _l("Gift moved"),
    "match.gift": _l("Gift matched by an enterprise"),
    "disbursement": _l("Payout to the household or village project"),
}


def public_requests() -> Select:
    """Help requests a verifier approved: village projects, and households' requests
    whose household agreed to publication."""
    return (select(HelpRequest).outerjoin(HelpRequest.household)
            .where(HelpRequest.verified_at.is_not(None),
                   or_(HelpRequest.household_id.is_(None),
                       Household.consent_publish.is_(True))))


@dataclass(frozen=True)
class Line:
    at: datetime
    request_id: int
    request: str
    village_id: int
    village: str
    kind: str
    amount_fen: int  # into (+) or out of (-) the request's account
    party: str  # donor's name or "anonymous"; what a payout paid for
    evidence: str  # for payouts: "invoice" or "none"
    transaction_id: int


def lines(request_id: int | None = None, village_id: int | None = None,
          province: str = "") -> list[Line]:
    requests = public_requests().with_only_columns(HelpRequest.id)
    if request_id is not None:
        requests = requests.where(HelpRequest.id == request_id)
    if village_id is not None:
        requests = requests.where(HelpRequest.village_id == village_id)
    if province:
        requests = (requests.join(HelpRequest.village).join(Village.county)
                    .where(County.province_code == province))
    rows = db.session.execute(
        select(LedgerEntry.amount, LedgerAccount.owner_id, LedgerTransaction)
        .join(LedgerEntry.account).join(LedgerEntry.transaction)
        .where(LedgerAccount.owner_type == "help_request",
               LedgerAccount.owner_id.in_(requests.scalar_subquery()))
        .order_by(LedgerTransaction.created_at, LedgerTransaction.id)).all()
    ids = {owner for _, owner, _ in rows}
    reqs = {r.id: r for r in db.session.scalars(
        select(HelpRequest).where(HelpRequest.id.in_(ids)).options(
            selectinload(HelpRequest.village), selectinload(HelpRequest.household)))}
    gifts = _by_id(Donation, [t.subject_id for _, _, t in rows if t.subject_type == "donation"])
    payouts = _by_id(Disbursement, [t.subject_id for _, _, t in rows
                                    if t.subject_type == "disbursement"])
    out = []
    for amount, owner, txn in rows:
        req = reqs[owner]
        party, evidence = "", ""
        if txn.subject_type == "donation" and txn.subject_id in gifts:
            gift = gifts[txn.subject_id]
            if gift.match is not None:  # an enterprise matched a gift: the company is named
                party = gift.match.enterprise.name
            else:  # a donor's or a guest's name, unless given anonymously
                party = gift.public_name or ANONYMOUS
        elif txn.subject_type == "disbursement" and txn.subject_id in payouts:
            payout = payouts[txn.subject_id]
            party, evidence = payout.note, "invoice" if payout.invoice_id else "none"
        out.append(Line(txn.created_at, req.id, req.public_title, req.village_id,
                        req.village.name, txn.kind, int(amount), party, evidence,
                        txn.id))
    return out


def _by_id(model, ids: list[int | None]) -> dict:  # noqa: ANN001
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(model).where(model.id.in_(wanted))
    if model is Donation:
        query = query.options(selectinload(Donation.donor),
                              selectinload(Donation.match).selectinload(Match.enterprise))
    return {row.id: row for row in db.session.scalars(query)}


@dataclass(frozen=True)
class Summary:
    """A request's (or village's) totals; gifts - refunds - paid out = balance."""

    gifts_fen: int  # every entry in: gifts, matched gifts, gifts moved in
    refunds_fen: int  # every entry out but payouts: refunds and gifts moved out
    paid_out_fen: int
    balance_fen: int


def _summary(gifts: int, out: int, paid: int) -> Summary:
    return Summary(gifts, -out, -paid, gifts + out + paid)


def summary(items: list[Line]) -> Summary:
    return _summary(sum(i.amount_fen for i in items if i.amount_fen > 0),
                    sum(i.amount_fen for i in items if i.amount_fen < 0 and i.kind != "disbursement"),
                    sum(i.amount_fen for i in items if i.kind == "disbursement"))


def rows(args: dict[str, str]) -> Iterator[Row]:
    def number(key: str) -> int | None:
        return inputs.number(args.get(key))

    for line in lines(number("request"), number("village"), args.get("province", "")):
        yield [line.at.isoformat(timespec="seconds"), line.transaction_id, line.request_id,
               line.request, line.village_id, line.village, line.kind, line.amount_fen,
               line.party, line.evidence]


LEDGER = Dataset("ledger", ["time_utc", "transaction_id", "request_id", "request",
                            "village_id", "village", "kind", "amount_fen", "donor_or_purpose",
                            "evidence"], rows,
                 _l("An entry of the public ledger of a help request: a gift, a refund, a moved gift or a "
                    "payout, in fen."))


def _by_village_county(stmt: Select) -> dict[str, int]:
    return _grouped(stmt.join(HelpRequest.village)
                    .group_by(Village.county_code))


FIGURES = [
    Figure("money_raised", _l("Money raised (yuan)"),
           _l("Sum of confirmed gifts to help requests; refunded gifts are not counted and a "
              "gift moved to another request counts once, on that request."),
           "ledger", lambda: _by_village_county(
               select(Village.county_code, func.sum(Donation.amount_fen))
               .select_from(Donation).join(Donation.request)
               .where(Donation.status == "confirmed")), "yuan", group=3),
    Figure("money_disbursed", _l("Money paid out (yuan)"),
           _l("Sum of payouts to households that a verifier approved against an invoice or "
              "other evidence."),
           "ledger", lambda: _by_village_county(
               select(Village.county_code, func.sum(Disbursement.amount_fen))
               .select_from(Disbursement).join(Disbursement.request)
               .where(Disbursement.status == "approved")), "yuan", group=3),
    Figure("households_helped", _l("Households helped"),
           _l("Households that received at least one approved payout."),
           "ledger", lambda: _by_village_county(
               select(Village.county_code, func.count(func.distinct(HelpRequest.household_id)))
               .select_from(Disbursement).join(Disbursement.request)
               .where(Disbursement.status == "approved")), "count", group=3),
]

for _figure in FIGURES:
    register_figure(_figure)
register_dataset(LEDGER)


def request_totals(request_ids: list[int]) -> dict[int, Summary]:
    """Per request: the totals of its ledger entries, summed as `summary` sums them."""
    amount, kind = LedgerEntry.amount, LedgerTransaction.kind
    payout = kind == "disbursement"
    totals = {i: _summary(0, 0, 0) for i in request_ids}
    if not request_ids:
        return totals
    for owner, gifts, out, paid in db.session.execute(
            select(LedgerAccount.owner_id,
                   func.sum(case((amount > 0, amount), else_=0)),
                   func.sum(case((and_(amount < 0, ~payout), amount), else_=0)),
                   func.sum(case((payout, amount), else_=0)))
            .join(LedgerEntry.account).join(LedgerEntry.transaction)
            .where(LedgerAccount.owner_type == "help_request",
                   LedgerAccount.owner_id.in_(request_ids))
            .group_by(LedgerAccount.owner_id)):
        totals[owner] = _summary(int(gifts), int(out), int(paid))
    return totals
