"""Sets up the JSON API on an app: the OpenAPI document's settings and `v1` with every
endpoint module registered on it (they decorate core.v1; core imports none of them),
then each operation's tag and operationId (docs.py)."""

from __future__ import annotations

from flask import Flask

from . import (  # noqa: F401  (they decorate `v1`)
    donations,
    endpoints,
    giving,
    ledger,
    marketplace,
    mine,
    pairings,
    proposals,
    shop,
)
from .core import PREFIX, PairingApi, v1
from .docs import tag_operations


def init_app(app: Flask) -> PairingApi:
    for key, value in {
        "API_TITLE": "万企帮万村 · 10,000 Enterprises Help 10,000 Villages",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
    }.items():
        app.config.setdefault(key, value)
    api = PairingApi(app, spec_kwargs={"servers": [{"url": "/"}]})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "A token from your account page, with scopes "
                                      "(area:read, area:write) and an expiry."})
    api.register_blueprint(v1)
    tag_operations(app, api)
    return api
