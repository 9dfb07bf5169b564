"""Offers and needs: public reads, and writes with a token (an enterprise's offers, a
village secretary's needs). The marketplace services decide who may do what."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from ..accounts.models import Role
from ..enterprises import services as offers
from ..enterprises.kinds import KINDS
from ..enterprises.models import SECTORS, Enterprise, Offer
from ..enterprises.rules import Invalid, NotAllowed, today
from ..extensions import db
from ..needs import services as needs
from ..needs.models import STATUSES, Need
from ..places.models import Village
from .core import SECURITY, api_user, own_list, page_schema, sort_args, token_required, v1
from .schemas import COUNTY, PROVINCE, UtcDateTime

KIND = validate.OneOf(sorted(KINDS))
QUANTITY = ("Fen for money kinds (100 fen = 1 yuan), people for jobs and training.")


class OfferArgs(sort_args("OfferSort", ("id", "created_at", "updated_at", "quantity"),
                          sync=True)):
    kind = fields.String(validate=KIND)
    enterprise_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    province = fields.String(validate=PROVINCE,
                             metadata={"description": "Offers that prefer this province."})


class NeedArgs(sort_args("NeedSort", ("id", "created_at", "updated_at", "quantity",
                                      "priority"), sync=True)):
    kind = fields.String(validate=KIND)
    village_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    province = fields.String(validate=PROVINCE)
    county = fields.String(validate=COUNTY)


class OfferSchema(Schema):
    id = fields.Integer(required=True)
    enterprise_id = fields.Integer(required=True)
    enterprise = fields.String(required=True, attribute="enterprise.name")
    kind = fields.String(required=True)
    quantity = fields.Integer(required=True, metadata={"description": QUANTITY})
    paired_quantity = fields.Integer(required=True)
    max_villages = fields.Integer(required=True)
    provinces = fields.List(fields.String(), required=True, attribute="province_codes")
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(allow_none=True)
    description = fields.String(required=True)
    status = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class OfferInput(Schema):
    kind = fields.String(required=True, validate=KIND)
    quantity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=10**12),
                              metadata={"description": QUANTITY})
    max_villages = fields.Integer(load_default=1, strict=True,
                                  validate=validate.Range(min=1, max=1000))
    provinces = fields.List(fields.String(validate=PROVINCE), load_default=list,
                            validate=validate.Length(max=34))
    starts_on = fields.Date(load_default=None)
    ends_on = fields.Date(load_default=None)
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class NeedSchema(Schema):
    id = fields.Integer(required=True)
    village_id = fields.Integer(required=True)
    village = fields.String(required=True, attribute="village.name")
    county_code = fields.String(required=True, attribute="village.county_code")
    kind = fields.String(required=True)
    quantity = fields.Integer(required=True, metadata={"description": QUANTITY})
    met_quantity = fields.Integer(required=True)
    priority = fields.Integer(required=True)
    sector = fields.String(allow_none=True)
    description = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class NeedInput(Schema):
    kind = fields.String(required=True, validate=KIND)
    quantity = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=1, max=10**12),
                              metadata={"description": QUANTITY})
    priority = fields.Integer(load_default=2, strict=True, validate=validate.OneOf([1, 2, 3]))
    sector = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(sorted(SECTORS)))
    description = fields.String(load_default="", validate=validate.Length(max=2000))


OfferPage = page_schema(OfferSchema, "OfferPage")
NeedPage = page_schema(NeedSchema, "NeedPage")


def _invalid(exc: Invalid) -> None:
    abort(422, messages={"json": {k: [str(v)] for k, v in exc.errors.items()}})


@v1.get("/offers")
@v1.arguments(OfferArgs, location="query", as_kwargs=False)
@v1.response(200, OfferPage)
def offer_list(args: dict):
    """Active offers of verified enterprises, newest first."""
    query = offers.public_offers().options(selectinload(Offer.enterprise))
    if "province" in args:
        query = query.where(Offer.provinces.like(f"%{args['province']}%"))
    return own_list(query, args, Offer.id, {"created_at": Offer.created_at,
                    "updated_at": Offer.updated_at, "quantity": Offer.quantity},
                    {"kind": Offer.kind, "enterprise_id": Offer.enterprise_id},
                    updated=Offer.updated_at)


@v1.get("/needs")
@v1.arguments(NeedArgs, location="query", as_kwargs=False)
@v1.response(200, NeedPage)
def need_list(args: dict):
    """Open or partly met needs of verified villages, newest first."""
    query = needs.public_needs().options(selectinload(Need.village))
    # The place copied onto each need (pairing/needs/listing.py): its indexes serve the
    # page; filtering on the joined village's county read a whole province's needs.
    if "county" in args:
        query = query.where(Need.county_code == args["county"])
    elif "province" in args:
        query = query.where(Need.province_code == args["province"])
    return own_list(query, args, Need.id, {"created_at": Need.created_at,
                    "updated_at": Need.updated_at, "quantity": Need.quantity,
                    "priority": Need.priority}, {"kind": Need.kind, "village_id": Need.village_id},
                    updated=Need.updated_at)


@v1.post("/enterprises/<int(max=2147483647):enterprise_id>/offers")
@token_required(Role.ENTERPRISE, scope="marketplace:write")
@v1.arguments(OfferInput)
@v1.response(201, OfferSchema)
@v1.doc(security=SECURITY)
def offer_create(data: dict, enterprise_id: int):
    """Post an offer of your enterprise (the token's user must be its officer)."""
    enterprise = db.session.get(Enterprise, enterprise_id)
    if enterprise is None:
        abort(404)
    data["starts_on"] = data["starts_on"] or today()
    try:
        offer = offers.create_offer(api_user(), enterprise, data)
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        _invalid(exc)
    db.session.commit()
    return offer


@v1.post("/villages/<int(max=2147483647):village_id>/needs")
@token_required(Role.SECRETARY, scope="marketplace:write")
@v1.arguments(NeedInput)
@v1.response(201, NeedSchema)
@v1.doc(security=SECURITY)
def need_create(data: dict, village_id: int):
    """Post a need of your village (the token's user must be its secretary)."""
    village = db.session.get(Village, village_id)
    if village is None:
        abort(404)
    try:
        need = needs.create_need(api_user(), village, data)
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        _invalid(exc)
    db.session.commit()
    return need
