"""The JSON API's machinery: the OpenAPI document, token authentication, rate limits per
token, pagination and one shape for every error: {"error": {"status", "message"}}.

Endpoints live on `v1` (a flask-smorest Blueprint), so the OpenAPI 3 document is
generated from their code and schemas. The API takes no cookies: a browser's session is
never enough to write, which is why its blueprint needs no CSRF token.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from ..accounts.models import User
from ..extensions import client_address, csrf, db, limiter
from . import services

F = TypeVar("F", bound=Callable[..., Any])
PREFIX = "/api/v1"
SECURITY = [{"bearerAuth": []}]


class ErrorBody(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "What was wrong with each input, by place."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class PairingApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """The app's own handlers answer (pairing/errors.py and `api_error` below);
        flask-smorest's would take over the error pages of the whole site."""


v1 = Blueprint("api_v1", __name__, url_prefix=PREFIX,
               description="Public figures, villages and enterprises of the programme.")
csrf.exempt(v1)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Send a valid API token: Authorization: Bearer <token>."),
        403: _("Your account may not do this."),
        404: _("There is nothing at this address."),
        405: _("This address does not accept that method."),
        409: _("This conflicts with the current state."),
        413: _("The request is too large."),
        415: _("Send JSON (Content-Type: application/json)."),
        422: _("Some inputs are not valid."),
        429: _("Too many requests for this token. Wait a minute and try again."),
    }


@v1.errorhandler(HTTPException)
def api_error(exc: HTTPException):
    code = exc.code or 500
    body: dict[str, Any] = {"status": code,
                            "message": _messages().get(code) or exc.description or ""}
    data = getattr(exc, "data", None) or {}
    if isinstance(data, dict) and data.get("message"):
        body["message"] = data["message"]
    if getattr(exc, "user_message", None) is not None:  # pairing/inputs.py says what was wrong
        body["message"] = str(exc.user_message)  # type: ignore[attr-defined]
    if isinstance(data, dict) and isinstance(data.get("messages"), dict):
        body["fields"] = data["messages"]
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
    return {"error": body}, code, headers


def bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


@v1.before_request
def authenticate() -> None:
    g.api_user = g.api_token = None
    if "Authorization" not in request.headers:
        return
    plain = bearer()
    found = services.authenticate(plain) if plain else None
    if found is None:
        abort(401)
    g.api_user, g.api_token = found
    db.session.commit()  # the token's last use, before the endpoint's own transaction


def rate_key() -> str:
    """Each token has its own allowance; requests without one share their address's."""
    plain = bearer()
    if plain:
        return "token:" + hashlib.sha256(plain.encode()).hexdigest()[:24]
    return "addr:" + client_address()


def _rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", "300 per minute"))


limiter.limit(_rate_limit, key_func=rate_key)(v1)


def token_required(*roles: str) -> Callable[[F], F]:
    """Put right below @v1.get/post, so that auth comes before the input is read:
    401 without a token, 403 for other roles."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("api_user")
            if user is None:
                abort(401)
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def api_user() -> User:
    return g.api_user


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    after = fields.Integer(validate=validate.Range(min=1, max=2_147_483_647), metadata={
        "description": "Keyset paging for lists in id order: the `next_after` of the "
                       "previous page. Every page then costs what the first costs; "
                       "`page` is ignored."})


COUNT_WINDOW = 9  # pages counted ahead of the asked one, as the HTML lists do


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


def paginate(query, args: dict[str, Any], key=None) -> dict[str, Any]:  # noqa: ANN001
    """One page, its count capped a few pages ahead (a full COUNT(*) over national data
    cost more than the page itself). `key`: the descending id column of a list in id
    order, which then also pages by keyset (`after`)."""
    per_page, page = args["per_page"], args["page"]
    if key is not None and args.get("after"):
        query, page = query.where(key < args["after"]), 1
    cap = (page + COUNT_WINDOW) * per_page
    ids = query.with_only_columns(*query.selected_columns[:1]).order_by(None).limit(cap + 1)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
                 .unique())
    last = items[-1] if items and len(items) == per_page else None
    return {"items": items, "page": page, "per_page": per_page, "total": min(total, cap),
            "total_capped": total > cap, "pages": max(1, math.ceil(min(total, cap) / per_page)),
            "next_after": getattr(last, "id", None) if key is not None and last else None}

