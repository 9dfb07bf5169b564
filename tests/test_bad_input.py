"""The bad-input sweep (issue 18): on the demo's data, every page any role reaches gets every
query argument the site reads set to oversized integers, negative numbers, NaN, NUL, lone
surrogates and 100 kB strings; every form any role is shown gets the same values in its
fields; the API's query arguments and JSON bodies too. No answer may be a 5xx, and every
route of the site must be reached by the sweep or excluded here with a reason.

The site is crawled once per xdist worker, as each role, on a database of its own
(`sweep_database`); each page and form is then probed as the least privileged role that
reaches it, in shards that xdist spreads over its workers."""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sweep import SKIP_PATH, Form, Sweep, encode
from sweep_api import sweep_api
from sweep_direct import fingerprint, probe
from sweep_targets import Target, targets

import support
from pairing import create_app, demo
from pairing.extensions import db

# One worker builds this module's session crawl once (about a minute) and runs its shards.
pytestmark = pytest.mark.xdist_group("bad_input")

HUGE = "99999999999999999999999"
BIG_TEXT = "长" * 100_000
LONG_ARGUMENT = "x" * 100_000  # ASCII in the URL: the same 100 kB without escapes
VALUES = [HUGE, "-1", "NaN", BIG_TEXT]
EVERYWHERE = ["a\x00b", "\ud800"]  # refused as a whole request, before any field is read
# Least privileged first: each page and form is probed as the first role that reaches it.
ROLES = ("anonymous", "donor", "enterprise", "secretary", "verifier.county", "coordinator")
SHARDS = 6
# Routes the sweep does not send bad values to, and why. A route missing from the sweep and
# from this list fails test_every_route_is_swept.
_ENDS_SESSION = "would end the sweep's own login session (SKIP_PATH)"
EXCLUDED = {
    "static": "files from disk, no arguments read",
    "accounts.logout": _ENDS_SESSION,
    "accounts.logout_everywhere": _ENDS_SESSION,
    "accounts.change_password": _ENDS_SESSION,
    "accounts.reset": "its token is only ever mailed",
    "accounts.confirm": "its token (a registration link) is only ever mailed",
    "shop.photo": "the demo's products have no photos",
    "giving.photo": "the demo's requests have no photos",
    "giving.hide_photo": "the demo's requests have no photos",
    "giving.guest_receipt": "its token is only mailed (and shown after a guest's gift)",
    "giving.forget_guest_email": ("a form on the guest's receipt, whose token is only mailed "
                                  "(tests/giving/test_guest_forget.py sends it bad tokens)"),
    "matching.evidence_file": "the demo has no pairing evidence files",
    # Bad input of these forms: tests/appeals/test_appeals.py.
    **dict.fromkeys(("appeals.show", "appeals.file", "appeals.decide"),
                    "the demo rejects nothing and decides no dispute: nothing to appeal"),
    "verification.undo": ("offered only to the verifier who just decided, for two minutes; "
                          "the sweep decides nothing first (tests/verification/"
                          "test_decisions.py sends it bad input)"),
    "giving.add_photo": ("a multipart upload the sweep's targets do not send yet; its bad "
                         "input (no consent, not an image, GPS data) is tested in "
                         "tests/giving/test_photos.py"),
}
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


@dataclass
class Site:
    """What the crawl found: per endpoint, the least privileged role and one URL or form."""

    app: Flask
    sweeps: dict[str, Sweep]
    names: set[str]
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    forms: dict[str, tuple[str, Form]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


def _login(app: Flask, role: str):  # noqa: ANN202
    client = app.test_client()
    if role != "anonymous":
        support.login(client, f"{role}@{demo.DOMAIN}", password=demo.PASSWORD)
    return client


def _starts(app: Flask) -> list[str]:
    """The home page and every page whose address takes no value."""
    return ["/"] + [rule.rule for rule in app.url_map.iter_rules()
                    if "GET" in (rule.methods or ()) and not rule.arguments
                    and rule.endpoint != "static" and not SKIP_PATH.match(rule.rule)]


@pytest.fixture(scope="session")
def site(sweep_database: dict[str, object],
         tmp_path_factory: pytest.TempPathFactory) -> Site:
    started = time.monotonic()
    app = create_app(support.test_config(sweep_database,
                                         tmp_path_factory.mktemp("sweep-instance")))
    # A 500's log record would keep its frames (and their 100 kB strings) for the report.
    app.logger.propagate = False
    with app.app_context():
        demo.load(echo=lambda _line: None)
        db.session.remove()
    sweeps = {role: Sweep(app, _login(app, role), role) for role in ROLES}
    found = Site(app, sweeps, query_names())
    for role in ROLES:
        sweep = sweeps[role]
        with support.rate_limits_off():
            sweep.crawl(_starts(app), limit=300)
        found.names |= sweep.query_names
        for endpoint, url in sweep.pages.items():
            found.pages.setdefault(endpoint, (role, url))
        for endpoint, form in sweep.forms.items():
            found.forms.setdefault(endpoint, (role, form))
        found.failures += sweep.failures
        sweep.failures = []
    found.requests = sum(s.requests for s in sweeps.values())
    found.seconds = time.monotonic() - started
    return found


@pytest.fixture(autouse=True)
def _no_rate_limits() -> Iterator[None]:
    """Rate limits would turn later probes of a form into 429s that never reach its code;
    off for the sweep's requests only (the limiter is shared by every app)."""
    with support.rate_limits_off():
        yield


def _shard(endpoint: str) -> int:
    return zlib.crc32(endpoint.encode()) % SHARDS


def _api_endpoints(site: Site) -> set[str]:
    spec = site.app.test_client().get("/api/v1/openapi.json").json
    adapter = site.app.url_map.bind("localhost")
    endpoints = set()
    for path, operations in spec["paths"].items():
        url = re.sub(r"\{(\w+)\}", "1", path)
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                endpoints.add(adapter.match(url, method=method.upper())[0])
    endpoints.add(adapter.match("/api/v1/openapi.json")[0])
    return endpoints


@pytest.fixture(scope="session")
def direct(site: Site) -> dict[str, Target]:
    """The routes the crawl cannot reach, on demo objects (tests/sweep_direct.py)."""
    return targets(site.app)


def test_the_crawl_reaches_every_route(site: Site, direct: dict[str, Target]) -> None:
    print(f"crawl: {site.requests} requests, {len(site.pages)} pages and {len(site.forms)} "
          f"forms in {site.seconds:.0f} s")
    assert site.failures == []
    assert {"page", "village", "actor", "province", "q"} <= site.names
    swept = set(site.pages) | set(site.forms) | _api_endpoints(site) | set(direct)
    routes = {rule.endpoint for rule in site.app.url_map.iter_rules()}
    missing = sorted(routes - swept - set(EXCLUDED))
    assert not missing, "routes the sweep never reached: " + " ".join(missing)
    # A deliberate exclusion the sweep now reaches is no longer needed.
    assert sorted(set(EXCLUDED) & swept) == []
    assert set(EXCLUDED) <= routes


@pytest.mark.parametrize("shard", range(SHARDS))
def test_query_arguments(site: Site, shard: int) -> None:
    """Every argument at once set to each bad value, then every argument 100 kB long."""
    names = sorted(site.names)
    failures: list[str] = []
    for endpoint, (role, url) in sorted(site.pages.items()):
        if _shard(endpoint) != shard:
            continue
        sweep, path = site.sweeps[role], urlsplit(url).path
        for value in [HUGE, "-1", "NaN", *EVERYWHERE, LONG_ARGUMENT]:
            query = encode([(n, value) for n in names]).decode()
            sweep.get(f"{path}?{query}", f"{endpoint}, every argument = {value[:8]!r}")
        failures += sweep.failures
        sweep.failures = []
    assert failures == []


@pytest.mark.parametrize("shard", range(SHARDS))
def test_form_fields(site: Site, shard: int) -> None:
    """Every field at once set to each bad value, then each field alone with each value
    while the others keep what the page showed."""
    failures: list[str] = []
    for endpoint, (role, form) in sorted(site.forms.items()):
        if _shard(endpoint) != shard:
            continue
        sweep = site.sweeps[role]
        sweep.probe_forms(endpoint, form, VALUES, EVERYWHERE)
        failures += sweep.failures
        sweep.failures = []
    assert failures == []


@pytest.mark.parametrize("shard", range(SHARDS))
def test_routes_the_crawl_misses(site: Site, direct: dict[str, Target], shard: int) -> None:
    """Each route sent straight its bad values, by every role: the one that may use it and
    each that must not. No 5xx, a message in Chinese, the database as it was."""
    names = sorted(site.names)
    failures: list[str] = []
    for endpoint, target in sorted(direct.items()):
        if _shard(endpoint) != shard:
            continue
        before = fingerprint(site.app, target.writes)
        for role in ROLES:
            sweep = site.sweeps[role]
            probe(sweep, endpoint, target, VALUES, EVERYWHERE, names,
                  lambda s=sweep: s.csrf_token())
            failures += sweep.failures
            sweep.failures = []
        # Once for all the roles: bad input changes nothing, whoever sends it.
        if fingerprint(site.app, target.writes) != before:
            failures.append(f"{endpoint} changed the database on bad input")
    assert failures == [], "\n".join(failures)


def _token(site: Site, role: str) -> str | None:
    if role == "anonymous":
        return None
    from public_rows import new_token

    return new_token(site.app, _login(site.app, role))


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "secretary"])
def test_api(site: Site, role: str) -> None:
    """The API's query arguments and JSON fields, from its OpenAPI description."""
    sweep = Sweep(site.app, site.app.test_client(), role)
    sweep_api(site.app, sweep, role, _token(site, role), BIG_TEXT)
    assert sweep.failures == []
