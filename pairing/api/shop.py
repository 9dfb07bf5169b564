"""The shop: listed products of verified villages, and the token owner's own orders
(someone else's order is 404: who bought what is the buyer's business)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..shop.catalogue import public_products
from ..shop.models import CATEGORIES, Order, OrderState, Product
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
from .schemas_base import ID, PROVINCE, Fen, UtcDateTime

STATES = [s.value for s in OrderState]


class ProductArgs(sort_args("ProductSort", ("id", "created_at", "updated_at", "price_fen"),
                            sync=True)):
    category = fields.String(validate=validate.OneOf(sorted(CATEGORIES)))
    province = fields.String(validate=PROVINCE)
    village_id = fields.Integer(validate=ID)


class ProductSchema(Schema):
    id = fields.Integer(required=True)
    village_id = fields.Integer(required=True)
    village = fields.String(required=True, attribute="village.name")
    name = fields.String(required=True)
    category = fields.String(required=True)
    unit = fields.String(required=True)
    price_fen = Fen(required=True, metadata={"description": "Price of one unit."})
    stock = fields.Integer(required=True)
    description = fields.String(required=True)
    origin = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class OrderLineSchema(Schema):
    product_id = fields.Integer(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    unit_price_fen = Fen(required=True, metadata={"description": "At the time of checkout."})
    quantity = fields.Integer(required=True)
    total_fen = Fen(required=True)


class OrderArgs(sort_args("OrderSort", ("id", "placed_at", "total_fen"))):
    state = fields.String(validate=validate.OneOf(STATES))


class OrderSchema(Schema):
    id = fields.Integer(required=True)
    village_id = fields.Integer(required=True)
    village = fields.String(required=True, attribute="village.name")
    state = fields.String(required=True, validate=validate.OneOf(STATES))
    total_fen = Fen(required=True)
    payment_provider = fields.String(required=True)
    carrier = fields.String(required=True)
    tracking_number = fields.String(required=True)
    placed_at = UtcDateTime(required=True)
    paid_at = UtcDateTime(allow_none=True)
    shipped_at = UtcDateTime(allow_none=True)
    delivered_at = UtcDateTime(allow_none=True)
    cancelled_at = UtcDateTime(allow_none=True)
    refunded_at = UtcDateTime(allow_none=True)
    lines = fields.List(fields.Nested(OrderLineSchema), required=True)


ProductPage = page_schema(ProductSchema, "ProductPage")
OrderPage = page_schema(OrderSchema, "OrderPage")


@v1.get("/products")
@v1.arguments(ProductArgs, location="query", as_kwargs=False)
@v1.response(200, ProductPage)
def product_list(args: dict):
    """Listed products of verified villages, newest first."""
    query = public_products(category=args.get("category", ""),
                            province=args.get("province", ""),
                            village_id=args.get("village_id")).order_by(None)
    return own_list(query, args, Product.id, {
        "created_at": Product.created_at, "updated_at": Product.updated_at,
        "price_fen": Product.price_fen}, updated=Product.updated_at)


@v1.get("/products/<int(max=2147483647):product_id>")
@v1.response(200, ProductSchema)
def product_get(product_id: int):
    """One listed product."""
    return own_or_404(public_products(), Product.id, product_id)


def _mine():  # noqa: ANN202
    return (select(Order).where(Order.buyer_id == api_user().id)
            .options(selectinload(Order.lines), selectinload(Order.village)))


@v1.get("/orders")
@token_required(scope="shop:read")
@v1.arguments(OrderArgs, location="query", as_kwargs=False)
@v1.response(200, OrderPage)
@v1.doc(security=SECURITY)
def order_list(args: dict):
    """Your orders, newest first."""
    return own_list(_mine(), args, Order.id,
                    {"placed_at": Order.placed_at, "total_fen": Order.total_fen},
                    {"state": Order.state})


@v1.get("/orders/<int(max=2147483647):order_id>")
@token_required(scope="shop:read")
@v1.response(200, OrderSchema)
@v1.doc(security=SECURITY)
def order_get(order_id: int):
    """One of your orders."""
    return own_or_404(_mine(), Order.id, order_id)
