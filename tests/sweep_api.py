"""The bad-input sweep of the API (tests/test_bad_input.py): its query arguments and JSON
fields, read from its OpenAPI description."""

from __future__ import annotations

import json
import re

from flask import Flask
from sqlalchemy import select
from sweep import Sweep, encode

from pairing import demo
from pairing.accounts.models import User
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.matching.models import Pairing
from pairing.places.models import Village


def _ids(app: Flask, role: str) -> dict[str, int]:
    """Ids of objects the role's demo user owns, for the API's {path} values."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{role}@{demo.DOMAIN}"))
        if user is None:
            return {}
        found = {
            "enterprise_id": db.session.scalar(select(Enterprise.id).where(
                Enterprise.officer_id == user.id).limit(1)),
            "village_id": db.session.scalar(select(Village.id).where(
                Village.secretary_id == user.id).limit(1)),
            "pairing_id": db.session.scalar(select(Pairing.id).limit(1)),
        }
        return {name: value for name, value in found.items() if value is not None}


def sweep_api(app: Flask, sweep: Sweep, role: str, token: str | None, big_text: str) -> None:
    """GETs with every query argument at once bad; each JSON field alone bad (with a token)."""
    spec = app.test_client().get("/api/v1/openapi.json").json
    ids = _ids(app, role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if method == "get":
                for value in ("99999999999999999999999", "-1", "NaN", big_text, "a\x00b",
                              "\ud800"):
                    query = encode([(n, value) for n in params]).decode()
                    sweep.requests += 1
                    got = sweep.client.get(f"{url}?{query}" if params else url,
                                           headers=headers)
                    sweep.check(got, f"API GET {path} {value[:10]!r}")
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None or token is None:
                continue
            ref = body["schema"].get("$ref", "").rsplit("/", 1)[-1]
            names = list(schemas.get(ref, {}).get("properties", {}))
            # Every field at once with each value, then each field alone with the values a
            # validator passes on to the service (the others are refused as a whole).
            bodies = [dict.fromkeys(names, value) for value in (
                10**30, -1, float("nan"), float("inf"), "NaN", "x\x00", "\ud800", big_text,
                [], {}, None)]
            bodies += [{name: value} for name in names for value in (10**30, -1, big_text)]
            for body_value in bodies:
                sweep.requests += 1
                got = sweep.client.open(url, method=method.upper(), headers=headers,
                                        data=json.dumps(body_value),
                                        content_type="application/json")
                sweep.check(got, f"API {method.upper()} {path} {str(body_value)[:40]!r}")
