"""Per-area tags and an operationId for every operation of the OpenAPI document, so that
generated clients get one class per area and one stable method name per endpoint."""

from __future__ import annotations

import re

from flask import Flask
from flask_smorest import Api

# The tag of each endpoint's module; a few endpoints of `endpoints.py` have their own.
AREAS = {
    "endpoints": "places", "marketplace": "marketplace", "mine": "marketplace",
    "pairings": "matching", "proposals": "matching", "giving": "giving",
    "donations": "giving", "ledger": "ledger", "shop": "shop",
}
BY_ENDPOINT = {"figures": "figures", "province_figures": "figures", "me": "account"}
# operationIds of endpoints whose function names predate them (url_for uses the names).
OPERATION_IDS = {"villages": "villageList", "village": "villageGet",
                 "enterprises": "enterpriseList", "enterprise": "enterpriseGet",
                 "figures": "figuresGet", "province_figures": "provinceFiguresGet",
                 "me": "meGet"}
DESCRIPTIONS = {
    "places": "Verified villages and enterprises.",
    "figures": "The programme's figures, national and per province.",
    "account": "The token's own account.",
    "marketplace": "Enterprises' offers and villages' needs (scopes marketplace:read/write).",
    "matching": "Rounds, proposals, pairings and progress reports "
                "(scopes matching:read/write).",
    "giving": "Help requests and one's own gifts (scope giving:read).",
    "ledger": "Entries of the public double-entry ledger.",
    "shop": "Village products and one's own orders (scope shop:read).",
}


LINK = {"description": 'RFC 8288: `<url>; rel="next"` while there is a next page.',
        "schema": {"type": "string"}}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def tag_operations(app: Flask, api: Api) -> None:
    paths = api.spec._paths  # apispec keeps the registered paths here until to_dict()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api_v1."):
            continue
        path = re.sub(r"<(?:[^<>]+:)?([^<>:]+)>", r"{\1}", rule.rule)
        view = app.view_functions[rule.endpoint]
        name = rule.endpoint.split(".", 1)[1]
        tag = BY_ENDPOINT.get(name) or AREAS[view.__module__.rsplit(".", 1)[-1]]
        scope = getattr(view, "_api_scope", None)
        methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        for method, operation in paths.get(path, {}).items():
            if method not in methods:
                continue
            operation["tags"] = [tag]
            ok = operation.get("responses", {}).get("200", {})
            if "Page" in str(ok.get("content", {})):  # a list: says where its next page is
                ok.setdefault("headers", {})["Link"] = LINK
            operation["operationId"] = OPERATION_IDS.get(name) or _camel(name)
            if scope:
                operation["x-scope"] = scope
                operation["description"] = (operation.get("description", "") +
                                            f"\n\nToken scope: `{scope}`.").strip()
    api.spec._tags = [{"name": n, "description": d} for n, d in DESCRIPTIONS.items()]
