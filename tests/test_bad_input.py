"""The bad-input sweep (issue 18): on the demo's data, as every role, every page the role
reaches is sent every query argument the site reads with oversized integers, negative
numbers, NaN, NUL, lone surrogates and 100 kB strings; every form field of every form it
is shown gets the same values, one field at a time; the API's query arguments and JSON
bodies too. No answer may be a 5xx."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sweep import SKIP_PATH, Sweep, encode

import support
from pairing import demo
from pairing.accounts.models import User
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.matching.models import Pairing
from pairing.places.models import Village

# Not yet part of the default run: a full sweep over six roles took longer than 20 minutes
# on the shared 2-core machine (the requests must be cut down first). Run it with
# PAIRING_SWEEP=1; SWEEP_ROLES, SWEEP_PAGES (per role) and SWEEP_LOG narrow it.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("PAIRING_SWEEP"),
                                 reason="the bad-input sweep runs with PAIRING_SWEEP=1")]

HUGE = "99999999999999999999999"
BIG_TEXT = "长" * 100_000
LONG_ARGUMENT = "x" * 100_000  # ASCII in the URL: the same 100 kB without escapes
VALUES = [HUGE, "-1", "NaN", BIG_TEXT]  # each alone in one field or argument
EVERYWHERE = ["a\x00b", "\ud800"]  # refused as a whole request: all fields at once
ROLES = os.environ.get("SWEEP_ROLES", "anonymous donor enterprise secretary verifier.county "
                       "coordinator").split()
ARGUMENT = re.compile(r"""args\.get\(\s*["'](\w+)["']""")
TUPLE_OF_ARGUMENTS = re.compile(r"""for k in \(([^)]*)\)\)?:?\s*\}?""")


def query_names() -> set[str]:
    """Every query argument the code reads by name (request.args.get("x"), args.get("x"),
    the tuples of names the list views read in one go), and the pager's."""
    names = {"page", "per_page"}
    for path in (Path(__file__).resolve().parent.parent / "pairing").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(ARGUMENT.findall(text))
        for group in TUPLE_OF_ARGUMENTS.findall(text):
            names.update(re.findall(r'"(\w+)"', group))
    return names


def _login(app, role: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    if role != "anonymous":
        support.login(client, f"{role}@{demo.DOMAIN}", password=demo.PASSWORD)
    return client


def _starts(app) -> list[str]:  # noqa: ANN001
    """The home page and every page whose address takes no value."""
    starts = ["/"]
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint != "static" \
                and not SKIP_PATH.match(rule.rule):
            starts.append(rule.rule)
    return starts


def _api(app, sweep: Sweep, ids: dict[str, int], token: str | None) -> None:  # noqa: ANN001
    """The API's query arguments and JSON fields, from its OpenAPI description."""
    spec = app.test_client().get("/api/v1/openapi.json").json
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if method == "get":
                for value in [*VALUES, *EVERYWHERE]:
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
            fields = list(schemas.get(ref, {}).get("properties", {}))
            for name in fields:
                for value in (10**30, -1, float("nan"), float("inf"), "NaN", "x\x00",
                              "\ud800", BIG_TEXT, [], {}, None):
                    sweep.requests += 1
                    got = sweep.client.open(url, method=method.upper(), headers=headers,
                                            data=json.dumps({name: value}),
                                            content_type="application/json")
                    sweep.check(got, f"API {method.upper()} {path} {name}={str(value)[:10]!r}")


def _ids(app, role: str) -> dict[str, int]:  # noqa: ANN001
    """Ids of objects the role's demo user owns, for the API's {path} values."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"{role}@{demo.DOMAIN}"))
        if user is None:
            return {}
        ids: dict[str, int] = {}
        enterprise = db.session.scalar(select(Enterprise.id).where(
            Enterprise.officer_id == user.id).limit(1))
        village = db.session.scalar(select(Village.id).where(
            Village.secretary_id == user.id).limit(1))
        pairing = db.session.scalar(select(Pairing.id).limit(1))
        for name, value in (("enterprise_id", enterprise), ("village_id", village),
                            ("pairing_id", pairing)):
            if value is not None:
                ids[name] = value
        return ids


def test_no_bad_input_makes_a_5xx(app, monkeypatch):
    # Each 500's log record would keep its frames (and their 100 kB strings) for the report.
    monkeypatch.setattr(app.logger, "propagate", False)
    started = time.monotonic()
    with app.app_context():
        demo.load(echo=lambda _line: None)
    names = query_names()
    assert {"page", "village", "actor", "province", "q"} <= names
    failures: list[str] = []
    total, forms, pages = 0, 0, 0
    long_done: set[str] = set()
    for role in ROLES:
        client = _login(app, role)
        sweep = Sweep(app, client, role)
        sweep.crawl(_starts(app), limit=int(os.environ.get("SWEEP_PAGES", "300")))
        values = [HUGE, "-1", "NaN", *EVERYWHERE]
        sweep.probe_queries(names | sweep.query_names, values)
        long_done = sweep.probe_long_queries(names | sweep.query_names, LONG_ARGUMENT, long_done)
        sweep.probe_forms(VALUES, EVERYWHERE)
        token = None
        if role in ("enterprise", "secretary"):
            from public_rows import new_token

            token = new_token(app, _login(app, role))
        _api(app, sweep, _ids(app, role), token)
        failures += sweep.failures
        total, forms, pages = total + sweep.requests, forms + len(sweep.forms), \
            pages + len(sweep.pages)
    print(*failures[:60], sep="\n")
    print(f"sweep: {total} requests, {pages} pages and {forms} forms over {len(ROLES)} roles "
          f"in {time.monotonic() - started:.0f} s")
    assert pages > 100 and forms > 30  # the crawl reached the site, not just its home page
    assert failures == []
