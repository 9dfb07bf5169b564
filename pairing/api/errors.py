"""One shape for every error of the API, whoever raised it (an endpoint, webargs, the
rate limiter, or Flask's routing before any endpoint was found):
{"error": {"status", "code", "message", "fields"?}}, with `Allow` on 405 and
`WWW-Authenticate` on 401."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

# The machine-readable default of each status; endpoints may give a narrower one
# (abort(403, code="insufficient_scope")).
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "rate_limited",
    500: "server_error",
}
# Every code the API may send (the OpenAPI document lists them).
ALL_CODES = sorted({*CODES.values(), "invalid_token", "token_expired", "insufficient_scope"})


def messages() -> dict[int, str]:
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
        500: _("Something went wrong on our side. Nothing was changed."),
    }


def special_messages() -> dict[str, str]:
    return {
        "token_expired": _("This token has expired. Make a new one on your account page."),
        "insufficient_scope": _("This token may not do this: make a token with the needed "
                                "scope on your account page."),
    }


def body(code: int, message: str | None = None, machine: str | None = None,
         fields: dict | None = None) -> dict[str, Any]:
    machine = machine or CODES.get(code, "error")
    text = message or special_messages().get(machine) or messages().get(code) or ""
    out: dict[str, Any] = {"status": code, "code": machine, "message": text}
    if fields:
        out["fields"] = fields
    return {"error": out}


def response(exc: HTTPException):  # noqa: ANN201
    """The JSON answer to any HTTP error under /api/."""
    code = exc.code or 500
    data = getattr(exc, "data", None) or {}
    data = data if isinstance(data, dict) else {}
    message = data.get("message") if isinstance(data.get("message"), str) else None
    if getattr(exc, "user_message", None) is not None:  # pairing/inputs.py says what was wrong
        message = str(exc.user_message)  # type: ignore[attr-defined]
    if message is None and code not in messages() and exc.description:
        message = exc.description
    fields = data.get("messages") if isinstance(data.get("messages"), dict) else None
    headers: dict[str, str] = {}
    if code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if code == 405:  # RFC 9110: a 405 says which methods the address does accept
        allow = dict(exc.get_headers()).get("Allow")
        if allow:
            headers["Allow"] = allow
    if code == 429:
        retry = dict(exc.get_headers()).get("Retry-After")
        if retry:
            headers["Retry-After"] = retry
    return body(code, message, data.get("code"), fields), code, headers
