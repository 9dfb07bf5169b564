"""Entries of the public ledger: every entry into or out of a published help request's
account (the rows of /ledger), filtered by account, time and kind. No donor is named
here: the page /ledger names those who agreed to be named."""

from __future__ import annotations

from datetime import datetime, time

from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..giving.models import HelpRequest
from ..ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from ..stats import ledger as public
from .core import page_schema, sort_args, sorted_page, v1
from .schemas_base import Fen, UtcDateTime

KINDS = sorted(public.KIND_LABELS)


class EntryArgs(sort_args("LedgerSort", ("id",), default="id")):
    account = fields.String(validate=validate.Regexp(r"^request:\d{1,10}$"), metadata={
        "description": "A request's ledger account, e.g. request:12."})
    request_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    kind = fields.String(validate=validate.OneOf(KINDS))
    since = fields.Date(metadata={"description": "From this day (UTC), inclusive."})
    until = fields.Date(metadata={"description": "To this day (UTC), inclusive."})


class EntrySchema(Schema):
    id = fields.Integer(required=True)
    transaction_id = fields.Integer(required=True)
    account = fields.String(required=True)
    request_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    amount_fen = Fen(required=True, metadata={
        "description": "Into (+) or out of (-) the request's account."})
    at = UtcDateTime(required=True)


EntryPage = page_schema(EntrySchema, "LedgerEntryPage")


class _Row:
    """One entry as the schema reads it (paging reads `id`)."""

    def __init__(self, entry: LedgerEntry) -> None:
        txn, account = entry.transaction, entry.account
        self.id, self.transaction_id, self.account = entry.id, txn.id, account.code
        self.request_id, self.kind = account.owner_id, txn.kind
        self.amount_fen, self.at = int(entry.amount), txn.created_at


@v1.get("/ledger/entries")
@v1.arguments(EntryArgs, location="query", as_kwargs=False)
@v1.response(200, EntryPage)
def ledger_entries(args: dict):
    """Entries of published help requests' accounts, oldest first (keyset: `after`)."""
    published = public.public_requests().with_only_columns(HelpRequest.id)
    query = (select(LedgerEntry).join(LedgerEntry.account).join(LedgerEntry.transaction)
             .where(LedgerAccount.owner_type == "help_request",
                    LedgerAccount.owner_id.in_(published.scalar_subquery()))
             .options(contains_eager(LedgerEntry.account),
                      contains_eager(LedgerEntry.transaction)))
    if "account" in args:
        query = query.where(LedgerAccount.code == args["account"])
    if "request_id" in args:
        query = query.where(LedgerAccount.owner_id == args["request_id"])
    if "kind" in args:
        query = query.where(LedgerTransaction.kind == args["kind"])
    if "since" in args:
        query = query.where(LedgerTransaction.created_at >= datetime.combine(args["since"],
                                                                             time.min))
    if "until" in args:
        query = query.where(LedgerTransaction.created_at <= datetime.combine(args["until"],
                                                                             time.max))
    page = sorted_page(query, args, LedgerEntry.id, {})
    page["items"] = [_Row(e) for e in page["items"]]
    return page
