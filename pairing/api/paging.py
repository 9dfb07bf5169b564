"""Pages of the API's lists: capped counts, keyset paging (`after`), whitelisted `sort`,
`updated_since` for sync, and the RFC 8288 `Link: <…>; rel="next"` header."""

from __future__ import annotations

import math
from typing import Any

from flask import g, request
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from ..extensions import db
from .schemas_base import UtcDateTime

COUNT_WINDOW = 9  # pages counted ahead of the asked one, as the HTML lists do
ID_MAX = 2_147_483_647


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    after = fields.Integer(validate=validate.Range(min=1, max=ID_MAX), metadata={
        "description": "Keyset paging for lists in id order: the `next_after` of the "
                       "previous page (or follow the `Link: rel=\"next\"` header). Every "
                       "page then costs what the first costs; `page` is ignored."})


def sort_args(name: str, sorts: tuple[str, ...], default: str | None = "-id",
              sync: bool = False) -> type[Schema]:
    """Query arguments of a list sortable by `sorts` ("-x": descending), and with `sync`
    an `updated_since` filter. `default` None: the list's own order (pages by `page`)."""
    choices = sorted({*sorts, *(f"-{s}" for s in sorts)})
    extra: dict[str, Any] = {"sort": fields.String(
        load_default=default, allow_none=default is None,
        validate=validate.OneOf(choices), metadata={
            "description": "Order of the list; a leading - sorts descending. Keyset paging "
                           "(`after`) works for id orders; other orders page by `page`."})}
    if sync:
        extra["updated_since"] = UtcDateTime(metadata={
            "description": "Only rows changed at or after this time (RFC 3339; no offset: "
                           "UTC). With sort=updated_at, a program syncs by asking again "
                           "from the largest `updated_at` it has seen."})
    return type(name, (PageArgs,), extra)


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True, metadata={
            "description": "Matching rows, counted up to nine pages past this one."}),
        "total_capped": fields.Boolean(required=True, metadata={
            "description": "True: there are more rows than `total` (narrow the filters or "
                           "page on with `after`)."}),
        "pages": fields.Integer(required=True),
        "next_after": fields.Integer(allow_none=True, metadata={
            "description": "Pass as `after` for the next page (lists in id order)."}),
    })


def _naive(at):  # noqa: ANN001, ANN202
    """The database keeps naive UTC."""
    from datetime import UTC

    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def sorted_page(query, args: dict[str, Any], id_col: InstrumentedAttribute,  # noqa: ANN001
                columns: dict[str, InstrumentedAttribute],
                updated: InstrumentedAttribute | None = None) -> dict[str, Any]:
    """Order `query` by the whitelisted `sort` (ties broken by id) and page it; id orders
    page by keyset, so rows inserted meanwhile neither repeat nor hide older rows."""
    if updated is not None and args.get("updated_since"):
        query = query.where(updated >= _naive(args["updated_since"]))
    sort = args.get("sort")
    if sort is None:
        return paginate(query, {**args, "after": None}, None)
    query = query.order_by(None)
    desc, name = sort.startswith("-"), sort.lstrip("-")
    if name == "id":
        query = query.order_by(id_col.desc() if desc else id_col.asc())
        return paginate(query, args, key=id_col, ascending=not desc)
    column = columns[name]
    query = query.order_by(column.desc() if desc else column.asc(),
                           id_col.desc() if desc else id_col.asc())
    return paginate(query, {**args, "after": None}, None)


def paginate(query, args: dict[str, Any], key=None, ascending: bool = False  # noqa: ANN001
             ) -> dict[str, Any]:
    """One page, its count capped a few pages ahead (a full COUNT(*) over national data
    cost more than the page itself). `key`: the id column of a list in id order
    (descending unless `ascending`), which then also pages by keyset (`after`)."""
    per_page, page = args["per_page"], args["page"]
    if key is not None and args.get("after"):
        query = query.where(key > args["after"] if ascending else key < args["after"])
        page = 1
    cap = (page + COUNT_WINDOW) * per_page
    ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap + 1)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
                 .unique())
    last = items[-1] if items and len(items) == per_page else None
    next_after = getattr(last, "id", None) if key is not None and last else None
    pages = max(1, math.ceil(min(total, cap) / per_page))
    if next_after is not None:
        g.api_next = {"after": next_after, "page": None}
    elif key is None and (page < pages or total > cap):
        g.api_next = {"page": page + 1, "after": None}
    return {"items": items, "page": page, "per_page": per_page, "total": min(total, cap),
            "total_capped": total > cap, "pages": pages, "next_after": next_after}


def link_header(response):  # noqa: ANN001, ANN201
    """RFC 8288: the next page's address, with the same filters."""
    nxt = g.pop("api_next", None)
    if nxt is None or response.status_code != 200:
        return response
    args = request.args.copy()
    for name, value in nxt.items():
        args.pop(name, None)
        if value is not None:
            args[name] = str(value)
    from urllib.parse import urlencode

    url = request.base_url + "?" + urlencode(list(args.items(multi=True)))
    response.headers["Link"] = f'<{url}>; rel="next"'
    return response
