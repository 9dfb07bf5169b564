"""Pairings and their progress reports: public reads, and an enterprise's report with its
token. The matching services decide who may report what."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ..accounts.models import Role
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..matching import delivery
from ..matching.models import PAIRING_STATUSES, REPORT_STATUSES, Pairing, ProgressReport
from ..needs.models import Need
from ..places.models import County, Village
from ..stats import pairings as stats
from .core import (
    SECURITY,
    PageArgs,
    api_user,
    own_or_404,
    page_schema,
    sorted_page,
    token_required,
    v1,
)
from .marketplace import KIND, QUANTITY
from .schemas import COUNTY, PROVINCE, UtcDateTime

ID = validate.Range(min=1, max=2**31 - 1)


class PairingArgs(PageArgs):
    village_id = fields.Integer(validate=ID)
    enterprise_id = fields.Integer(validate=ID)
    kind = fields.String(validate=KIND)
    status = fields.String(validate=validate.OneOf(PAIRING_STATUSES))
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)


class ReportSchema(Schema):
    id = fields.Integer(required=True)
    quantity = fields.Integer(required=True, metadata={"description": QUANTITY})
    delivered_on = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(REPORT_STATUSES))
    counts_as_delivered = fields.Boolean(required=True)
    answered_at = UtcDateTime(allow_none=True)


class PairingSchema(Schema):
    id = fields.Integer(required=True)
    enterprise_id = fields.Integer(required=True, attribute="offer.enterprise_id")
    enterprise = fields.String(required=True, attribute="offer.enterprise.name")
    village_id = fields.Integer(required=True, attribute="need.village_id")
    village = fields.String(required=True, attribute="need.village.name")
    county_code = fields.String(required=True, attribute="need.village.county_code")
    kind = fields.String(required=True, attribute="need.kind")
    quantity = fields.Integer(required=True, metadata={"description": QUANTITY})
    delivered = fields.Integer(required=True, metadata={
        "description": "Sum of reports the village confirmed or a verifier upheld."})
    status = fields.String(required=True, validate=validate.OneOf(PAIRING_STATUSES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class PairingDetail(PairingSchema):
    reports = fields.List(fields.Nested(ReportSchema), required=True)


class ReportInput(Schema):
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1,
                              max=10**12), metadata={"description": QUANTITY})
    delivered_on = fields.Date(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


PairingPage = page_schema(PairingSchema, "PairingPage")


def _with_delivered(items: list[Pairing]) -> list[dict]:
    delivered = stats.delivered_of([p.id for p in items])
    return [{**_plain(p), "delivered": delivered.get(p.id, 0)} for p in items]


def _plain(p: Pairing) -> dict:
    return {"id": p.id, "offer": p.offer, "need": p.need, "quantity": p.quantity,
            "status": p.status, "starts_on": p.starts_on, "ends_on": p.ends_on}


def _report(r: ProgressReport) -> dict:
    return {"id": r.id, "quantity": r.quantity, "delivered_on": r.delivered_on,
            "status": r.status, "counts_as_delivered": r.status in stats.DELIVERED,
            "answered_at": r.answered_at}


@v1.get("/pairings")
@v1.arguments(PairingArgs, location="query", as_kwargs=False)
@v1.response(200, PairingPage)
def pairing_list(args: dict):
    """Pairings both sides accepted, with what was delivered."""
    query = stats.public_pairings()
    if "village_id" in args:
        query = query.where(Need.village_id == args["village_id"])
    if "enterprise_id" in args:
        query = query.where(Pairing.offer.has(enterprise_id=args["enterprise_id"]))
    if "kind" in args:
        query = query.where(Need.kind == args["kind"])
    if "status" in args:
        query = query.where(Pairing.status == args["status"])
    if "county" in args:
        query = query.where(Village.county_code == args["county"])
    elif "province" in args:
        query = query.where(County.province_code == args["province"])
    page = sorted_page(query.order_by(Pairing.id.desc()), args, Pairing.id, {})
    page["items"] = _with_delivered(page["items"])
    return page


def _get(pairing_id: int) -> Pairing:
    return own_or_404(stats.public_pairings(), Pairing.id, pairing_id)


@v1.get("/pairings/<int(max=2147483647):pairing_id>")
@v1.response(200, PairingDetail)
def pairing_detail(pairing_id: int):
    """One pairing with every progress report and its confirmation."""
    pairing = _get(pairing_id)
    return {**_with_delivered([pairing])[0], "reports": [_report(r) for r in pairing.reports]}


@v1.post("/pairings/<int(max=2147483647):pairing_id>/reports")
@token_required(Role.ENTERPRISE, scope="matching:write")
@v1.arguments(ReportInput)
@v1.response(201, ReportSchema)
@v1.doc(security=SECURITY)
def report_create(data: dict, pairing_id: int):
    """Report a delivery on your enterprise's pairing; the village then confirms it."""
    pairing = _get(pairing_id)
    try:
        report = delivery.report_progress(api_user(), pairing, data["quantity"],
                                          data["delivered_on"], data["note"], [])
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        abort(422, messages={"json": {k: [str(v)] for k, v in exc.errors.items()}})
    db.session.commit()
    return _report(report)
