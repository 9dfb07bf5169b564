"""Published help requests (households' requests with consent, and village projects) with
their money from the public ledger: the same rows as /ledger, for programs."""

from __future__ import annotations

from flask import url_for
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from ..giving import services as giving
from ..giving.models import PURPOSES, STATUSES, HelpRequest
from ..places.models import County, Village
from ..stats import ledger
from .core import PageArgs, own_or_404, page_schema, sorted_page, v1
from .schemas import COUNTY, PROVINCE, UtcDateTime
from .schemas_base import Fen


class RequestArgs(PageArgs):
    purpose = fields.String(validate=validate.OneOf(PURPOSES))
    village_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)


class RequestSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(PURPOSES))
    kind = fields.String(required=True, validate=validate.OneOf(["household", "project"]))
    village_id = fields.Integer(required=True)
    village = fields.String(required=True)
    county_code = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    needed_fen = Fen(required=True)
    gifts_fen = Fen(required=True, metadata={
        "description": "Every entry into the request's ledger account: gifts, matched gifts "
                       "and gifts moved in."})
    refunded_fen = Fen(required=True, metadata={
        "description": "Gifts refunded to their donors or moved to another request; "
                       "gifts - refunded - paid out = balance."})
    paid_out_fen = Fen(required=True)
    balance_fen = Fen(required=True, metadata={
        "description": "Sum of every entry of the request's ledger account."})
    verified_at = UtcDateTime(allow_none=True)
    ledger = fields.String(required=True, metadata={"description": "Its public ledger page."})


RequestPage = page_schema(RequestSchema, "HelpRequestPage")


def _plain(items: list[HelpRequest]) -> list[dict]:
    totals = ledger.request_totals([r.id for r in items])
    out = []
    for r in items:
        t = totals[r.id]
        out.append({
            "id": r.id, "title": r.public_title, "purpose": r.purpose,
            "kind": "project" if r.household_id is None else "household",
            "village_id": r.village_id, "village": r.village.name,
            "county_code": r.village.county_code, "status": giving.effective_status(r),
            "needed_fen": r.amount_needed_fen,
            "gifts_fen": t.gifts_fen, "refunded_fen": t.refunds_fen,
            "paid_out_fen": t.paid_out_fen, "balance_fen": t.balance_fen,
            "verified_at": r.verified_at,
            "ledger": url_for("stats.ledger_request", request_id=r.id)})
    return out


@v1.get("/requests")
@v1.arguments(RequestArgs, location="query", as_kwargs=False)
@v1.response(200, RequestPage)
def request_list(args: dict):
    """Published help requests with their money, newest first. No household's name."""
    # Each row's village and household come with the page (one query each, not one a row).
    query = (ledger.public_requests().join(HelpRequest.village).join(Village.county)
             .options(selectinload(HelpRequest.village), selectinload(HelpRequest.household)))
    if "purpose" in args:
        query = query.where(HelpRequest.purpose == args["purpose"])
    if "village_id" in args:
        query = query.where(HelpRequest.village_id == args["village_id"])
    if "county" in args:
        query = query.where(Village.county_code == args["county"])
    elif "province" in args:
        query = query.where(County.province_code == args["province"])
    page = sorted_page(query.order_by(HelpRequest.verified_at.desc(), HelpRequest.id.desc()),
                       args, HelpRequest.id, {})
    page["items"] = _plain(page["items"])
    return page


@v1.get("/requests/<int(max=2147483647):request_id>")
@v1.response(200, RequestSchema)
def request_detail(request_id: int):
    """One published help request with its money."""
    return _plain([own_or_404(ledger.public_requests(), HelpRequest.id, request_id)])[0]
