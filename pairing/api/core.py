"""The JSON API's machinery: the OpenAPI document, token authentication with scopes and
expiry, rate limits per token, and one shape for every error (pairing/api/errors.py).

Endpoints live on `v1` (a flask-smorest Blueprint), so the OpenAPI 3 document is
generated from their code and schemas. The API takes no cookies: a browser's session is
never enough to write, which is why its blueprint needs no CSRF token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Api, Blueprint, abort
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import HTTPException

from ..accounts.models import User
from ..extensions import client_address, csrf, db, limiter
from . import errors, services
from .paging import (
    PageArgs,
    link_header,
    own_list,
    own_or_404,
    page_schema,
    sort_args,
    sorted_page,
)

__all__ = ["PageArgs", "own_list", "own_or_404", "page_schema", "sort_args", "sorted_page"]

F = TypeVar("F", bound=Callable[..., Any])
PREFIX = "/api/v1"
SECURITY = [{"bearerAuth": []}]


class ErrorBody(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True, validate=validate.OneOf(errors.ALL_CODES), metadata={
        "description": "What went wrong, for programs (the message is for people)."})
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
v1.after_request(link_header)


@v1.errorhandler(HTTPException)
def api_error(exc: HTTPException):
    return errors.response(exc)


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
    if not plain:
        abort(401, code="invalid_token")
    try:
        g.api_user, g.api_token = services.authenticate(plain)
    except services.TokenRefused as exc:
        abort(401, code=exc.code)
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


def token_required(*roles: str, scope: str | None = None) -> Callable[[F], F]:
    """Put right below @v1.get/post, so that auth comes before the input is read:
    401 without a token, 403 for other roles or a token without `scope`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = g.get("api_user")
            if user is None:
                abort(401)
            if scope and not g.api_token.allows(scope):
                abort(403, code="insufficient_scope")
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped._api_scope = scope  # type: ignore[attr-defined]  (read by docs.py)
        return wrapped  # type: ignore[return-value]

    return decorate


def api_user() -> User:
    return g.api_user
