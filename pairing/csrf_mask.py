"""BREACH: pages are gzipped (static_files.py) and carry the CSRF token, so the token is
written masked, as Django does: each time it appears in an HTML answer it is a fresh random
mask followed by the token XOR that mask. The bytes differ from one answer to the next, so
compression ratios cannot reveal it byte by byte, while every copy unmasks to the same token.

On the way in, a masked token (a form field ending in `csrf_token`, or the X-CSRFToken
header that scripts send) is unmasked before Flask-WTF checks it; an unmasked token (a
client that read it some other way) is still checked as it is. Flask-WTF is not patched:
it makes and checks its tokens as always, this module only changes how they are written.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from flask import Flask, Response, g, request
from werkzeug.datastructures import ImmutableMultiDict

MARK = "~"  # never in a Flask-WTF token (URL-safe base64 and dots): says "masked"
FIELD = "csrf_token"
HEADERS = ("X-CSRFToken", "X-CSRF-Token")


def _xor(a: bytes, b: bytes) -> bytes:
    # As whole integers: a page masks its token once a form (a verifier's queue has 40).
    return (int.from_bytes(a) ^ int.from_bytes(b)).to_bytes(len(a))


def mask(token: str) -> str:
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    packed = pad + _xor(raw, pad)
    return MARK + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def unmask(value: str) -> str:
    """The token a masked value stands for; anything else is returned as it is (and
    Flask-WTF refuses it if it is no token)."""
    if not value.startswith(MARK):
        return value
    body = value[len(MARK):]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, binascii.Error):
        return value
    half = len(packed) // 2
    if not half or len(packed) % 2:
        return value
    return _xor(packed[half:], packed[:half]).decode("latin-1")


def _unmask_input() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = request.form
    if any(key.endswith(FIELD) and value.startswith(MARK) for key, value in form.items(
            multi=True)):
        request.form = ImmutableMultiDict(  # type: ignore[misc]
            [(key, unmask(value) if key.endswith(FIELD) else value)
             for key, value in form.items(multi=True)])
    for header in HEADERS:
        value = request.headers.get(header)
        if value and value.startswith(MARK):
            request.environ["HTTP_" + header.upper().replace("-", "_")] = unmask(value)


def _mask_output(response: Response) -> Response:
    token = g.get(FIELD)
    if not token or response.mimetype != "text/html" or response.is_streamed:
        return response
    raw = token.encode()
    body = response.get_data()
    if raw not in body:
        return response
    first, *rest = body.split(raw)
    response.set_data(first + b"".join(mask(token).encode() + part for part in rest))
    return response


def init_app(app: Flask) -> None:
    # Before CSRFProtect's own check (pairing/__init__.py initialises this first), and
    # after_request registered after static_files' compress, so it runs before it.
    app.before_request(_unmask_input)
    app.after_request(_mask_output)
