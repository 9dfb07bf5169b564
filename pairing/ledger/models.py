"""The double-entry ledger: accounts, balanced transactions and their entries.

Entries are never changed or deleted; a mistake is undone by a reversing transaction.
An account's `balance` is the sum of its entries, kept beside them in the same
transaction so that reading it needs no aggregate.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db


class LedgerAccount(db.Model):
    __tablename__ = "ledger_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name such as "request:12", "donations:sandbox", "village:3:sales".
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    owner_type: Mapped[str] = mapped_column(String(40), default="")
    owner_id: Mapped[int | None]
    balance: Mapped[int] = mapped_column(BigInteger, default=0)  # fen
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_ledger_accounts_owner", "owner_type", "owner_id"),)


class LedgerTransaction(db.Model):
    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    memo: Mapped[str] = mapped_column(String(300), default="")
    # What caused it, e.g. ("donation", 17): the public ledger links back through it.
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transactions.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    entries: Mapped[list[LedgerEntry]] = relationship(back_populates="transaction",
                                                      order_by="LedgerEntry.id")

    __table_args__ = (Index("ix_ledger_transactions_subject", "subject_type", "subject_id"),)


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount <> 0", name="nonzero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="RESTRICT"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # fen; positive into the account

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")
    account: Mapped[LedgerAccount] = relationship()
