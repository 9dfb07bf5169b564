"""Posting to the ledger. Every movement of money is one balanced transaction.

Convention: an entry's amount is what flows into its account (negative: out of it), so
a transaction's entries sum to zero and a transfer is (source, -x), (target, +x). Money
from outside (a donor's bank) comes from an "external:*" account, which goes negative.
Callers lock what they read before deciding (see pairing.db.lock); the balance update
itself is a single atomic UPDATE, safe under concurrency on both databases. Balances are
updated in ascending account id, whatever order the entries are listed in, so a payment
(buyers -> village) and a refund (village -> buyers) never lock the same two rows in
opposite orders.

`verify()` checks the books and then every invariant the areas that post here register
with `@invariant("name")` (giving: a request's figures agree with its donations and its
account; shop: an order's state agrees with its payment; ...). The ledger imports none of
them: they import it, like payments' `on_confirmed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import lock
from ..extensions import db
from .models import LedgerAccount, LedgerEntry, LedgerTransaction

# Accounts of money outside the platform; the only ones that go below zero.
EXTERNAL = "external:"


class LedgerError(ValueError):
    pass


def account(code: str, *, name: str = "", owner_type: str = "", owner_id: int | None = None,
            session: Session | None = None) -> LedgerAccount:
    """The account with this code, created on first use (safe when two create it at once)."""
    session = session or db.session
    found = session.scalar(select(LedgerAccount).where(LedgerAccount.code == code))
    if found is not None:
        return found
    try:
        with session.begin_nested():
            created = LedgerAccount(code=code, name=name or code, owner_type=owner_type,
                                    owner_id=owner_id)
            session.add(created)
        return created
    except IntegrityError:
        return session.scalars(select(LedgerAccount).where(LedgerAccount.code == code)).one()


def find(code: str, session: Session | None = None) -> LedgerAccount | None:
    """The account with this code, or None: what pages use, so that reading never writes."""
    return (session or db.session).scalar(select(LedgerAccount).where(LedgerAccount.code == code))


def balance_of(code: str, session: Session | None = None) -> int:
    """The balance of the account with this code; an account never posted to holds 0."""
    return (session or db.session).scalar(
        select(LedgerAccount.balance).where(LedgerAccount.code == code)) or 0


def lock_accounts(accounts: Iterable[LedgerAccount], session: Session | None = None) -> None:
    """Lock accounts whose balance a decision reads (a payout against sales), in ascending
    id like post() does."""
    session = session or db.session
    for acct_id in sorted({a.id for a in accounts}):
        lock(session, LedgerAccount, acct_id)


def post(kind: str, entries: Sequence[tuple[LedgerAccount, int]], *, memo: str = "",
         subject: tuple[str, int] | None = None, actor: object | None = None,
         reverses: LedgerTransaction | None = None,
         session: Session | None = None) -> LedgerTransaction:
    """Record one balanced transaction and move the balances."""
    session = session or db.session
    if len(entries) < 2:
        raise LedgerError("a transaction needs at least two entries")
    if any(not isinstance(amount, int) or isinstance(amount, bool) or amount == 0
           for _, amount in entries):
        raise LedgerError("entry amounts are non-zero whole fen")
    if sum(amount for _, amount in entries) != 0:
        raise LedgerError("entries of a transaction must sum to zero")
    tx = LedgerTransaction(kind=kind, memo=memo[:300], actor_id=getattr(actor, "id", None),
                           subject_type=subject[0] if subject else "",
                           subject_id=subject[1] if subject else None,
                           reverses_id=reverses.id if reverses else None)
    session.add(tx)
    session.flush()
    for acct, amount in sorted(entries, key=lambda entry: entry[0].id):
        session.add(LedgerEntry(transaction_id=tx.id, account_id=acct.id, amount=amount))
        session.execute(update(LedgerAccount).where(LedgerAccount.id == acct.id)
                        .values(balance=LedgerAccount.balance + amount)
                        .execution_options(synchronize_session=False))
        session.expire(acct, ["balance"])
    session.flush()
    return tx


def transfer(kind: str, source: LedgerAccount, target: LedgerAccount, amount: int,
             **kwargs: object) -> LedgerTransaction:
    if amount <= 0:
        raise LedgerError("a transfer moves a positive amount")
    return post(kind, [(source, -amount), (target, amount)], **kwargs)  # type: ignore[arg-type]


def reverse(tx: LedgerTransaction, *, actor: object | None = None, memo: str = "",
            session: Session | None = None) -> LedgerTransaction:
    """Undo a transaction with its mirror image; a transaction is reversed at most once."""
    session = session or db.session
    if session.scalar(select(LedgerTransaction.id).where(LedgerTransaction.reverses_id == tx.id)):
        raise LedgerError("this transaction was already reversed")
    entries = [(e.account, -e.amount) for e in tx.entries]
    return post(tx.kind + ".reversal", entries, memo=memo or f"reverses #{tx.id}",
                subject=(tx.subject_type, tx.subject_id) if tx.subject_type else None,
                actor=actor, reverses=tx, session=session)


def balance(acct: LedgerAccount, session: Session | None = None) -> int:
    session = session or db.session
    return session.scalar(select(LedgerAccount.balance).where(LedgerAccount.id == acct.id)) or 0


def entries_of(acct: LedgerAccount, session: Session | None = None) -> Iterable[LedgerEntry]:
    session = session or db.session
    return session.scalars(select(LedgerEntry).where(LedgerEntry.account_id == acct.id)
                           .order_by(LedgerEntry.id))


Check = Callable[[Session], list[str]]
INVARIANTS: dict[str, Check] = {}


def invariant(name: str) -> Callable[[Check], Check]:
    """Register a check of what must hold between an area's rows and the books; it
    returns one line per problem found."""
    def register(fn: Check) -> Check:
        INVARIANTS[name] = fn
        return fn
    return register


def verify(session: Session | None = None) -> list[str]:
    """Problems with the books and with every registered invariant; empty when all hold."""
    from .. import areas

    for _module in areas.modules("checks"):  # each area's checks.py registers its own
        pass
    session = session or db.session
    problems = _books(session)
    for name, check in sorted(INVARIANTS.items()):
        problems += [f"{name}: {line}" for line in check(session)]
    return problems


def _books(session: Session) -> list[str]:
    """Every transaction balances; every cached balance equals the sum of its entries."""
    problems = []
    unbalanced = session.execute(
        select(LedgerEntry.transaction_id, func.sum(LedgerEntry.amount))
        .group_by(LedgerEntry.transaction_id).having(func.sum(LedgerEntry.amount) != 0)).all()
    problems += [f"transaction {t} sums to {s}" for t, s in unbalanced]
    sums = dict(session.execute(select(LedgerEntry.account_id, func.sum(LedgerEntry.amount))
                                .group_by(LedgerEntry.account_id)).all())
    for acct_id, code, cached in session.execute(
            select(LedgerAccount.id, LedgerAccount.code, LedgerAccount.balance)):
        if (sums.get(acct_id) or 0) != cached:
            problems.append(f"account {code}: balance {cached} but entries sum to "
                            f"{sums.get(acct_id) or 0}")
        # Only money outside the platform (a donor's bank, a buyer) may be owed to it.
        if cached < 0 and not code.startswith(EXTERNAL):
            problems.append(f"account {code} is below zero: {cached}")
    return problems
