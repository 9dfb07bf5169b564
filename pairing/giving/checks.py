"""What must hold between giving's rows and the ledger (run by `flask ledger verify`).

Each check reads whole tables in a few grouped queries and returns one line per problem:
- a request's raised_fen = its confirmed gifts = its ledger balance + what was paid out;
- its pledged_fen = its gifts waiting for a bank transfer; disbursed_fen = approved payouts;
- a gift paid through a payment is booked exactly once, and only once the payment arrived;
- a match pool's used amount = its matched gifts in the ledger, its return = its returns.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..ledger.services import invariant
from ..payments.models import Payment, PaymentStatus
from .models import Disbursement, Donation, DonationStatus, HelpRequest, Match


def _sums(session: Session, column, *where, key=Donation.request_id) -> dict[int, int]:  # noqa: ANN001
    return {k: int(v) for k, v in session.execute(
        select(key, func.sum(column)).where(*where).group_by(key))}


def _balances(session: Session, owner_type: str) -> dict[int, int]:
    return {owner: int(balance) for owner, balance in session.execute(
        select(LedgerAccount.owner_id, LedgerAccount.balance)
        .where(LedgerAccount.owner_type == owner_type))}


@invariant("giving.requests")
def requests(session: Session) -> list[str]:
    confirmed = _sums(session, Donation.amount_fen, Donation.status == DonationStatus.CONFIRMED)
    pending = _sums(session, Donation.amount_fen, Donation.status == DonationStatus.PENDING)
    paid_out = _sums(session, Disbursement.amount_fen, Disbursement.status == "approved",
                     key=Disbursement.request_id)
    balances = _balances(session, "help_request")
    problems = []
    for rid, raised, pledged, disbursed in session.execute(select(
            HelpRequest.id, HelpRequest.raised_fen, HelpRequest.pledged_fen,
            HelpRequest.disbursed_fen).order_by(HelpRequest.id)):
        if raised != confirmed.get(rid, 0):
            problems.append(f"request {rid}: raised {raised} but its confirmed gifts sum to "
                            f"{confirmed.get(rid, 0)}")
        if raised != balances.get(rid, 0) + disbursed:
            problems.append(f"request {rid}: raised {raised} but its account holds "
                            f"{balances.get(rid, 0)} and {disbursed} was paid out")
        if disbursed != paid_out.get(rid, 0):
            problems.append(f"request {rid}: disbursed {disbursed} but approved payouts sum "
                            f"to {paid_out.get(rid, 0)}")
        if pledged != pending.get(rid, 0):
            problems.append(f"request {rid}: pledged {pledged} but gifts waiting for a "
                            f"transfer sum to {pending.get(rid, 0)}")
    return problems


@invariant("giving.bookings")
def bookings(session: Session) -> list[str]:
    """A gift is booked (kind "donation") once when its payment arrived, never otherwise."""
    booked = dict(session.execute(
        select(LedgerTransaction.subject_id, func.count())
        .where(LedgerTransaction.kind == "donation", LedgerTransaction.subject_type == "donation")
        .group_by(LedgerTransaction.subject_id)).all())
    problems = []
    for did, status, paid in session.execute(
            select(Donation.id, Donation.status, Payment.status)
            .join(Payment, Payment.id == Donation.payment_id).order_by(Donation.id)):
        want = 1 if paid == PaymentStatus.CONFIRMED else 0
        if booked.get(did, 0) != want:
            problems.append(f"donation {did}: booked {booked.get(did, 0)} times, its payment "
                            f"is {paid}")
        arrived = status not in (DonationStatus.PENDING, DonationStatus.CANCELLED)
        if arrived != (paid == PaymentStatus.CONFIRMED):
            problems.append(f"donation {did} is {status} but its payment is {paid}")
    return problems


@invariant("giving.matches")
def matches(session: Session) -> list[str]:
    """A pool's used and returned amounts are what left its account as matched gifts and
    returns; what is left on the account is the rest of the pool."""
    moved: dict[tuple[int, str], int] = defaultdict(int)
    for owner, kind, amount in session.execute(
            select(LedgerAccount.owner_id, LedgerTransaction.kind, func.sum(LedgerEntry.amount))
            .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
            .join(LedgerTransaction, and_(LedgerTransaction.id == LedgerEntry.transaction_id))
            .where(LedgerAccount.owner_type == "giving_match")
            .group_by(LedgerAccount.owner_id, LedgerTransaction.kind)):
        moved[(owner, kind)] = int(amount)
    problems = []
    for mid, pool, used, returned in session.execute(
            select(Match.id, Match.pool_fen, Match.used_fen, Match.returned_fen)
            .order_by(Match.id)):
        if used != -moved[(mid, "match.gift")]:
            problems.append(f"match {mid}: used {used} but its matched gifts in the ledger "
                            f"sum to {-moved[(mid, 'match.gift')]}")
        if returned != -moved[(mid, "match.return")]:
            problems.append(f"match {mid}: returned {returned} but the ledger returned "
                            f"{-moved[(mid, 'match.return')]}")
        if pool != moved[(mid, "match.pool")]:
            problems.append(f"match {mid}: pool {pool} but {moved[(mid, 'match.pool')]} was "
                            f"paid in")
    return problems
