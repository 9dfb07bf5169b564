"""Pages of the API's lists, read through the HTML lists' pager (pairing/pages.py): signed
keyset cursors (`cursor`, and the `Link: <…>; rel="next"` header of RFC 8288), whitelisted
`sort`, `updated_since` for sync, and counts capped a few pages ahead.

Every next page is a keyset page: it costs what the first costs however deep. `page=N`
still reads the first PAGE_LIMIT pages (by OFFSET, so its cost is bounded by that
limit); a deeper `page` is refused (422, `maximum` in the OpenAPI document) with a
message that says to follow the cursor, since reaching it would make the database walk
and drop every row before it. The `after` of
earlier versions (the last id) still works for lists in id order only.
"""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import InstrumentedAttribute

from .. import pages
from ..extensions import db
from .schemas_base import UtcDateTime

COUNT_WINDOW = 9  # pages counted ahead of the asked one, as the HTML lists do
PAGE_LIMIT = 10  # deepest `page=N` served; past it, pages are read by cursor
ID_MAX = 2_147_483_647
TOO_DEEP = _l("Pages after page {max} are read by cursor: follow the Link header "
              "(rel=\"next\") or pass the previous page's next_cursor as `cursor`.")


class PageArgs(Schema):
    # A deeper `page` is refused by the schema (so the OpenAPI document says it), with a
    # message that says the way to it: reaching it would walk every row before it.
    page = fields.Integer(load_default=1, validate=[
        validate.Range(min=1), validate.Range(max=PAGE_LIMIT, error=TOO_DEEP)], metadata={
            "description": f"Pages 1 to {PAGE_LIMIT}; deeper pages are read by `cursor` "
                          "(follow the `Link` header)."})
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(validate=validate.Length(min=1, max=pages.MAX_CURSOR), metadata={
        "description": "The `next_cursor` of the previous page (or follow the `Link: "
                       "rel=\"next\"` header): every page then costs what the first costs, "
                       "and rows added meanwhile neither repeat nor hide others. A cursor "
                       "is valid for the list and `sort` that made it; `page` is ignored."})
    after = fields.Integer(validate=validate.Range(min=1, max=ID_MAX), metadata={
        "description": "Lists in id order: the id of the previous page's last item (the "
                       "older form of `cursor`; other orders ignore it)."})


def sort_args(name: str, sorts: tuple[str, ...], default: str | None = "-id",
              sync: bool = False) -> type[Schema]:
    """Query arguments of a list sortable by `sorts` ("-x": descending), and with `sync`
    an `updated_since` filter. `default` None: the list's own order."""
    choices = sorted({*sorts, *(f"-{s}" for s in sorts)})
    extra: dict[str, Any] = {"sort": fields.String(
        load_default=default, allow_none=default is None,
        validate=validate.OneOf(choices), metadata={
            "description": "Order of the list (ties by id); a leading - sorts descending. "
                           "Every order pages by `cursor`."})}
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
            "description": "Rows before this page and matching rows counted up to nine "
                           "pages past it."}),
        "total_capped": fields.Boolean(required=True, metadata={
            "description": "True: there are more rows than `total` (page on by `cursor`)."}),
        "pages": fields.Integer(required=True),
        "next_cursor": fields.String(allow_none=True, metadata={
            "description": "Pass as `cursor` for the next page; null on the last page."}),
        "next_after": fields.Integer(allow_none=True, metadata={
            "description": "Lists in id order: pass as `after` for the next page."}),
    })


def _naive(at):  # noqa: ANN001, ANN202
    """The database keeps naive UTC."""
    from datetime import UTC

    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def sorted_page(query: Select, args: dict[str, Any], id_col: InstrumentedAttribute,
                columns: dict[str, InstrumentedAttribute],
                updated: InstrumentedAttribute | None = None) -> dict[str, Any]:
    """`query` in the whitelisted `sort` (ties broken by id; no `sort`: the query's own
    order, which ends with a unique column), filtered by `updated_since`, one page."""
    if updated is not None and args.get("updated_since"):
        query = query.where(updated >= _naive(args["updated_since"]))
    sort = args.get("sort")
    if sort is None:
        return keyset(query, args, pages.order_of(query), str(sort))
    desc, name = sort.startswith("-"), sort.lstrip("-")
    cols = [id_col] if name == "id" else [columns[name], id_col]
    return keyset(query, args, [c.desc() if desc else c.asc() for c in cols], sort)


def keyset(query: Select, args: dict[str, Any], order: list[ColumnElement[Any]] | tuple,
           sort: str) -> dict[str, Any]:
    """One page of `query` in `order`: from the cursor (or `after`) by keyset, else the
    `page`-th of the first PAGE_LIMIT; the count stops nine pages past this one."""
    scope = f"api:{request.endpoint}:{sort}"
    per_page, number = args["per_page"], args["page"]
    position = pages.load_cursor(scope, args.get("cursor"), len(order))
    if position is None and args.get("after") and len(order) == 1:
        position = pages.Position((args["after"],), number=1)
    offset = 0
    ahead = query
    if position is not None:
        number = position.number
        keys = [pages.Key.of(c) for c in order]
        ahead = query.where(pages.beyond(keys, position.values))
    else:
        offset = (number - 1) * per_page
    window = (COUNT_WINDOW + 1) * per_page
    counted, capped = pages.count_capped(db.session, ahead, offset + window)
    total = counted if position is None else (number - 1) * per_page + counted
    items, keys_of, more = pages.fetch(db.session, query, order, per_page, position,
                                       offset=offset)
    next_cursor = next_after = None
    if more:
        next_cursor = pages.dump_cursor(scope, pages.Position(keys_of[-1], False, number + 1))
        g.api_next = {"cursor": next_cursor, "page": None, "after": None}
        if len(order) == 1:
            next_after = keys_of[-1][0]
    return {"items": items, "page": number, "per_page": per_page, "total": total,
            "total_capped": capped, "pages": max(1, -(-total // per_page)),
            "next_cursor": next_cursor, "next_after": next_after}


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


def own_list(query: Select, args: dict[str, Any], id_col: InstrumentedAttribute,
             sorts: dict[str, InstrumentedAttribute],
             filters: dict[str, InstrumentedAttribute] | None = None,
             updated: InstrumentedAttribute | None = None) -> dict[str, Any]:
    """A page of the rows `query` lets the caller see (their own, or the public ones),
    narrowed by each of `filters` the request gives (argument name → column equal)."""
    for name, column in (filters or {}).items():
        if name in args:
            query = query.where(column == args[name])
    return sorted_page(query, args, id_col, sorts, updated)


def own_or_404(query: Select, id_col: InstrumentedAttribute, row_id: int) -> Any:
    """One of the rows `query` lets the caller see; any other is 404, never 403: whether
    someone else's row exists is their business."""
    from flask_smorest import abort

    found = db.session.scalar(query.where(id_col == row_id))
    if found is None:
        abort(404)
    return found
