"""The token owner's own gifts. Someone else's gift is 404, never 403: whether a gift
exists is the donor's business."""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from ..giving.models import Donation, DonationStatus
from .core import (
    SECURITY,
    api_user,
    own_list,
    own_or_404,
    page_schema,
    sort_args,
    token_required,
    v1,
)
from .schemas_base import Fen, UtcDateTime

STATUSES = [s.value for s in DonationStatus]


class DonationArgs(sort_args("DonationSort", ("id", "created_at", "amount_fen"))):
    status = fields.String(validate=validate.OneOf(STATUSES))
    request_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class DonationSchema(Schema):
    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    amount_fen = Fen(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    anonymous = fields.Boolean(required=True, metadata={
        "description": "The public ledger does not name you."})
    message = fields.String(required=True)
    moved_from_id = fields.Integer(allow_none=True, metadata={
        "description": "The gift this one was moved from (a request that missed its goal)."})
    fallback_request_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime(required=True)
    confirmed_at = UtcDateTime(allow_none=True)


DonationPage = page_schema(DonationSchema, "DonationPage")


def _mine():  # noqa: ANN202
    return select(Donation).where(Donation.donor_id == api_user().id)


@v1.get("/donations")
@token_required(scope="giving:read")
@v1.arguments(DonationArgs, location="query", as_kwargs=False)
@v1.response(200, DonationPage)
@v1.doc(security=SECURITY)
def donation_list(args: dict):
    """Your gifts, newest first."""
    return own_list(_mine(), args, Donation.id,
                    {"created_at": Donation.created_at, "amount_fen": Donation.amount_fen},
                    {"status": Donation.status, "request_id": Donation.request_id})


@v1.get("/donations/<int(max=2147483647):donation_id>")
@token_required(scope="giving:read")
@v1.response(200, DonationSchema)
@v1.doc(security=SECURITY)
def donation_get(donation_id: int):
    """One of your gifts."""
    return own_or_404(_mine(), Donation.id, donation_id)
