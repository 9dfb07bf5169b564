"""The standing access matrix (issue 18): every route of app.url_map, for every role, on
objects that belong to someone else, by GET and by POST with a valid CSRF token; the
pages under /api/v1 with each role's API token instead of a log-in.

A GET is allowed when it answers 200; a POST only when the database changed. What is
expected is the table in access_matrix.txt (one line per endpoint: who may GET, who may
POST); any difference fails, and so does a route without a line. A denied POST must also
be refused for the person (403, 404, the log-in page), not for its data, and each form is
proven to work for the route's owner. After a POST that changed something, the changed
tables are put back as they were, so each role meets the same world.

One test per route, so that xdist spreads them; the world is built once per worker, on a
database of its own (conftest's matrix_database).

    PAIRING_WRITE_ACCESS_MATRIX=1 pytest tests/security -k every_route   # rewrites the table
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

import support
from pairing import create_app, demo
from pairing.extensions import db

sys.path.append(str(Path(__file__).parent))
from world import build, url_for_rule  # noqa: E402

# One worker builds this module's session crawl once (about a minute) and runs its shards.
pytestmark = pytest.mark.xdist_group("access_matrix")

TABLE = Path(__file__).parent / "access_matrix.txt"
# One letter per role, in this order in the table.
ROLES = {
    "A": None,                       # anonymous
    "E": ("enterprise", None),
    "S": ("secretary", None),
    "D": ("donor", None),
    "V": ("verifier", "43"),         # verifier of the objects' province (Hunan)
    "v": ("verifier", "51"),         # verifier of another province (Sichuan)
    "N": ("coordinator", "CN"),      # national coordinator
    "C": ("coordinator", "43"),      # coordinator of the objects' province
    "c": ("coordinator", "51"),      # coordinator of another province
}
# Tables that say nothing about who did what: reference data, and when a token was used.
SKIP_TABLES = {"provinces", "counties", "alembic_version"}
SKIP_COLUMNS = {("api_tokens", "last_used_at")}
# What a POST sends besides its CSRF token: a form an allowed role's request would pass
# (so that a refusal is a refusal, not a validation error); "{name}" takes the value of
# build()'s `name`. test_forms_pass_for_their_owner proves them with each route's owner.
_REQUEST = {"purpose": "housing", "title": "修缮漏雨的房屋", "amount": "1000",
            "story": "房屋年久失修，屋顶漏雨，需要更换瓦片和木梁。", "deadline": "2030-06-30"}
_NEED = {"kind": "investment", "quantity": "10", "priority": "1", "sector": "",
         "description": "茶叶加工需要设备"}
_OFFER = {"kind": "investment", "quantity": "10", "max_villages": "1", "provinces": "43",
          "starts_on": "2027-01-01", "ends_on": "2027-12-31", "description": "投资茶叶加工"}
_VILLAGE = {"province": "43", "county_code": "433124", "name": "矩阵村", "population": "800",
            "households": "200", "poor_households": "40", "poor_population": "120",
            "income_per_capita": "3000", "description": "山区村"}
_PRODUCT = {"village_id": "{village_id}", "name": "黄金茶", "category": "tea", "unit": "斤",
            "price": "50", "stock": "10", "origin": "湖南保靖", "description": "明前茶"}
FORMS: dict[str, dict[str, object]] = {
    "admin.change_jurisdiction": {"jurisdiction": "43"},
    "admin.users": {"email": "matrix.staff@example.cn", "display_name": "矩阵核查员",
                    "role": "verifier", "jurisdiction": "433124",
                    "password": "Matrix-initial-Qx7#2026"},
    "api_pages.create_token": {"name": "矩阵", "scopes": "giving:read", "days": "90"},
    "enterprises.edit_offer": _OFFER,
    "enterprises.new_offer": _OFFER,
    "giving.add_photo": {"file": lambda: (io.BytesIO(_png()), "photo.png"), "consent": "y"},
    "giving.add_update": {"body": "房屋已经修好，感谢各位。"},
    "giving.consent": {"consent_publish": "y"},
    "giving.decide": {"decision": "dismiss", "reason": "核实无误"},
    "giving.edit_household": {"address": "十八洞村一组", "members": "4",
                              "income_per_capita": "3000", "causes": "illness"},
    "giving.edit_request": _REQUEST,
    "giving.new_project": {k: _REQUEST[k] for k in ("title", "story", "amount", "deadline")},
    "giving.new_request": _REQUEST,
    "giving.report": {"body": "这户情况需要核实", "kind": "fraud"},
    "giving.report_enterprise": {"body": "这家企业情况需要核实", "kind": "fraud"},
    "giving.report_village": {"body": "这个村情况需要核实", "kind": "fraud"},
    "giving.verify_request": {"decision": "approve", "reason": "核实无误"},
    "matching.answer": {"answer": "accept"},
    "matching.decide": {"decision": "uphold", "note": "核实无误"},
    "matching.dispute": {"reason": "没有收到这批货物"},
    "monitoring.cadre": {"email": "{other_secretary}"},
    "monitoring.cadre_rating": {"visits": "3", "help": "3"},
    "monitoring.decide": {"uphold": "y", "decision": "投诉属实，已要求整改"},
    "monitoring.lines": {"year": "2026", "line_yuan": "4500", "margin_pct": "50"},
    "monitoring.new_visit": {"visited_on": "2026-12-01", "income_per_capita": "6000",
                             "workers_away": "1", "workers_local": "1", "food_clothing": "y",
                             "schooling": "y", "medical": "y", "housing": "y", "water": "y",
                             "shock": ""},
    "monitoring.pairing_ratings": {"on_time": "3", "as_promised": "3", "useful": "3",
                                   "cooperation": "3"},
    "monitoring.add_inspection": {"held_on": "2026-12-01"},
    "needs.edit": _NEED,
    "needs.new": _NEED,
    "places.east_west": {"pairs": "44-45"},
    "places.edit_village": _VILLAGE,
    "places.hand_over": {"email": "{other_secretary}"},
    "places.new_village": _VILLAGE,
    "shop.decide_payout": {"reason": "核实无误"},
    "shop.edit_product": _PRODUCT,
    "shop.new_product": _PRODUCT,
    "shop.payouts_page": {"village_id": "{village_id}", "amount": "1",
                          "cooperative": "十八洞村合作社"},
    "shop.restock": {"added": "5"},
    "shop.settings": {"taobao_sales": "5", "taobao_active_products": "3"},
    "shop.ship": {"carrier": "顺丰", "tracking": "SF1234567890"},
    "verification.decide": {"decision": "verify", "reason": "核实无误", "confirmed": "1"},
}

# The demo user each form is proven with (the route's owner: 十八洞村's secretary, the Hunan
# enterprise's officer, the county's verifier), where no role of the matrix may use it.
OWNERS = {
    **dict.fromkeys(("giving.add_photo", "giving.add_update", "giving.consent",
                     "giving.edit_household", "giving.edit_request", "giving.new_project",
                     "giving.new_request", "matching.dispute", "monitoring.cadre",
                     "monitoring.new_visit", "needs.edit", "needs.new", "places.edit_village",
                     "shop.edit_product", "shop.new_product", "shop.restock"), "secretary"),
    **dict.fromkeys(("enterprises.new_offer", "enterprises.edit_offer"), "enterprise"),
    **dict.fromkeys(("giving.decide", "giving.verify_request", "matching.decide",
                     "monitoring.decide", "monitoring.add_inspection", "shop.decide_payout",
                     "verification.decide"), "verifier.county"),
}
# Forms not proven so, because the world has no object in the state the route acts on
# (their refusals are proven by their areas' tests): shop.ship (no paid order of the
# village: an order is paid through the payment provider's callback) and shop.payouts_page
# (the village's sales are all settled or asked for).

# Denied POSTs answered as a refusal of their data by design, and why: the route is open
# to these roles for their own things (or to everyone), so the matrix's form, which names
# nothing of theirs, is refused for what it holds. Any other denied POST must be a 403 or
# a 404 (anonymous: the log-in page), the proof that the permission itself was tried.
_EVERYONE = "AESDVvNCc"
_LOGGED_IN = "ESDVvNCc"
_BODY = "the API's POSTs are sent empty: whose need, offer or pairing it is, is in the body"
REFUSED_FOR_THEIR_DATA: dict[str, tuple[str, str]] = {
    "accounts.change_password": (_LOGGED_IN, "one's own password: the form is empty"),
    "accounts.confirm": (_EVERYONE, "a registration link: the matrix's token is none"),
    "accounts.forgot": (_EVERYONE, "public: the form names no account"),
    "accounts.login": (_EVERYONE, "public: the form names no account"),
    "accounts.register": (_EVERYONE, "public: the form is empty"),
    "accounts.logout": ("A", "without a session, logging out leads home"),
    "accounts.reset": (_EVERYONE, "a mailed link: the matrix's token is none"),
    "admin.users": ("c", "a coordinator creates staff of their own jurisdiction: another's "
                         "is refused on the field, saying so"),
    "api_v1.need_create": ("S", _BODY),
    "api_v1.offer_create": ("E", _BODY),
    "api_v1.proposal_answer": ("ES", _BODY),
    "api_v1.report_create": ("ES", _BODY),
    "enterprises.import_offers": ("E", "an officer's own import: the form has no file"),
    "enterprises.new": ("E", "an officer registers an enterprise: the form is empty"),
    "giving.donate": (_LOGGED_IN, "a gift of one's own: the form gives no amount"),
    "giving.give_as_guest": (_EVERYONE, "a guest's gift: the form gives no amount"),
    "giving.new_household": ("S", "a secretary without a verified village is told so "
                                  "(issue 18, 2)"),
    "giving.new_match": ("E", "a matching pledge of one's own: the form is empty"),
    "matching.inbox_read": (_LOGGED_IN, "one's own inbox: nothing unread"),
    "monitoring.card": (_EVERYONE, "the household's card code is the permission: the matrix "
                                   "has none (400)"),
    "needs.import_villages": ("SNCc", "one's own import: the form has no file"),
    "mydata.delete": (_LOGGED_IN, "one's own account: the form has no password"),
    "shop.cart_set": (_EVERYONE, "one's own cart, in the session"),
    "shop.checkout": (_EVERYONE, "one's own cart: empty"),
    "matching.start_round": ("N", "the world's round has run (a new one: tests/matching)"),
    "matching.rounds": ("Cc", "a round of one's own province: the form's (nationwide) is "
                              "no choice of a provincial coordinator"),
    "shop.new_product": ("S", "the village is a choice among the secretary's own: another's "
                              "is an invalid choice"),
    "shop.payouts_page": ("SVv", "the village is a choice among the secretary's own; a "
                                 "verifier's POST shows the page"),
    "shop.shipping_terms": ("S", "the secretary's own villages' terms: the matrix's has none"),
}


@dataclass
class World:
    """The app (its one database shared by every test of the matrix on this worker), the
    URL arguments' values, per role a logged-in client and an API token, the owners'
    clients, and the database as built, to put back after each POST that changed it."""

    app: Flask
    ids: dict[str, object]
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    owners: dict[str, FlaskClient]
    snapshot: dict[str, dict] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    csrf: dict[int, str] = field(default_factory=dict)

    def settle(self) -> bool:
        """Whether the last request changed the database; if so, undo it."""
        with self.app.app_context(), db.engine.begin() as conn:
            tables = {t.name: t for t in _tables() if t.name in self.touched}
            self.touched.clear()
            changed = {n for n, t in tables.items() if _rows(conn, t) != self.snapshot[n]}
            if changed:
                _restore(conn, self.snapshot, changed)
            self.touched.clear()
            return bool(changed)

    def token(self, client: FlaskClient) -> str:
        """The client's CSRF token, read once (it stays valid for the session)."""
        if id(client) not in self.csrf:
            self.csrf[id(client)] = support.csrf_token(client)
        return self.csrf[id(client)]


@pytest.fixture(scope="session")
def world(matrix_database: dict[str, object],
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Built once per xdist worker: the demo and the matrix's users take a while."""
    with support.rate_limits_off():  # the matrix asks the same page many times
        app = create_app(support.test_config(matrix_database,
                                             tmp_path_factory.mktemp("matrix")))
        with app.app_context():
            ids = build()
        clients, tokens = {}, {}
        for letter, role in ROLES.items():
            client = app.test_client()
            if role is not None:
                user = support.make_user(app, role[0], jurisdiction=role[1])
                support.login(client, user.email)
                with app.app_context():
                    from pairing.accounts.models import User
                    from pairing.api import services as api

                    _, tokens[letter] = api.create_token(db.session.get(User, user.id),
                                                         "matrix")
                    db.session.commit()
            clients[letter] = client
        owners = {}
        for name in sorted(set(OWNERS.values())):
            owners[name] = app.test_client()
            support.login(owners[name], f"{name}@{demo.DOMAIN}", password=demo.PASSWORD)
        found = World(app, ids, clients, tokens, owners)
        with app.app_context():
            with db.engine.connect() as conn:
                found.snapshot = {t.name: _rows(conn, t) for t in _tables()}
            _watch(db.engine, found.touched)
    yield found
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _no_rate_limits() -> Iterator[None]:
    """Off for the matrix's requests only; the apps of other tests keep their limits."""
    with support.rate_limits_off():
        yield


def _tables() -> list[sa.Table]:
    return [t for t in db.metadata.sorted_tables if t.name not in SKIP_TABLES]


def _rows(conn: sa.Connection, table: sa.Table) -> dict[tuple, dict]:
    key = [c for c in table.primary_key.columns]
    cols = [c for c in table.columns if (table.name, c.name) not in SKIP_COLUMNS]
    out = {}
    for row in conn.execute(sa.select(*cols)):
        data = row._asdict()
        out[tuple(data[c.name] for c in key)] = data
    return out


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


def _watch(engine: sa.Engine, touched: set[str]) -> None:
    """Collect the tables each statement writes to: only those are compared afterwards,
    which keeps the matrix to minutes on the demo's thousands of rows."""
    @sa.event.listens_for(engine, "before_cursor_execute")
    def written(_conn, _cursor, statement, *_args):  # noqa: ANN001, ANN202
        if match := _WRITE.match(statement):
            touched.add(match.group(1))


def _restore(conn: sa.Connection, snapshot: dict[str, dict], changed: set[str]) -> None:
    """Put the changed tables back: new rows deleted (children first), changed and
    deleted rows written back (parents first)."""
    tables = [t for t in _tables() if t.name in changed]
    for table in reversed(tables):
        key = list(table.primary_key.columns)
        for pk in set(_rows(conn, table)) - set(snapshot[table.name]):
            conn.execute(table.delete().where(*[c == v for c, v in zip(key, pk, strict=True)]))
    for table in tables:
        key = list(table.primary_key.columns)
        now = _rows(conn, table)
        for pk, row in snapshot[table.name].items():
            if pk not in now:
                conn.execute(table.insert().values(**row))
            elif now[pk] != row:
                conn.execute(table.update().where(
                    *[c == v for c, v in zip(key, pk, strict=True)]).values(**row))


def _expected() -> dict[str, tuple[str, str]]:
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            endpoint, get, post = line.split()
            table[endpoint] = (get, post)
    return table


def _letters(allowed: set[str]) -> str:
    return "".join(r for r in ROLES if r in allowed) or "-"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _form(world: World, endpoint: str, client: FlaskClient) -> dict[str, object]:
    data: dict[str, object] = {
        k: v.format(**world.ids) if isinstance(v, str) else v() if callable(v) else v
        for k, v in FORMS.get(endpoint, {}).items()}
    data["csrf_token"] = world.token(client)
    return data


@dataclass
class Seen:
    """What one route did for each role: who got a 200 GET, whose POST changed the
    database, how each other POST was answered, and why its owner's form failed."""

    gets: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)
    refusals: dict[str, str] = field(default_factory=dict)  # letter -> "302 /login?…"
    unproven: str = ""

    def line(self, rule: Rule) -> tuple[str, str]:
        return (_letters(self.gets) if "GET" in (rule.methods or ()) else "-",
                _letters(self.posts) if "POST" in (rule.methods or ()) else "-")


def _rule(world: World, endpoint: str) -> Rule:
    rules = [r for r in world.app.url_map.iter_rules() if r.endpoint == endpoint]
    assert len(rules) == 1, f"{endpoint}: {len(rules)} rules"
    return rules[0]


def _answer(client: FlaskClient, response: TestResponse) -> str:
    location = urlsplit(response.headers.get("Location", "")).path
    if response.status_code in (200, 400, 422) or location not in ("", "/login"):
        return f"{response.status_code} {location} {_flashes(client, response)}".strip()
    return f"{response.status_code} {location}".strip()


def _observe(world: World, rule: Rule) -> Seen:
    """Each role's GET and POST of the rule's URL on the world's objects, then its owner's
    form (OWNERS); every POST that changed the database is put back."""
    seen = Seen()
    url = url_for_rule(rule, world.ids)
    api = rule.endpoint.startswith("api_v1.")
    methods = rule.methods or set()
    for letter in ROLES:
        client = world.clients[letter] if not api else world.app.test_client()
        client.set_cookie("lang", "zh")  # main.set_language's POST sets English
        headers = ({"Authorization": f"Bearer {world.tokens[letter]}"}
                   if api and letter in world.tokens else {})
        if "GET" in methods:
            if client.get(url, headers=headers).status_code == 200:
                seen.gets.add(letter)
            world.settle()  # a page that logs a view of personal data: put back
        if "POST" in methods:
            data = _form(world, rule.endpoint, client) if not api else {}
            # Put back after: a log-in form, a log-out or a password change ends the
            # session, and its CSRF token with it.
            cookie = client.get_cookie("session")
            world.settle()
            answer = (client.post(url, json={}, headers=headers) if api
                      else client.post(url, data=data))
            if world.settle():
                seen.posts.add(letter)
            else:
                seen.refusals[letter] = _answer(client, answer)
                world.settle()  # the page the refusal led to
            if cookie is not None:
                client.set_cookie("session", cookie.value)
    if rule.endpoint in OWNERS:
        owner = world.owners[OWNERS[rule.endpoint]]
        data = _form(world, rule.endpoint, owner)
        world.settle()
        answer = owner.post(url, data=data)
        if not world.settle():
            seen.unproven = (f"{rule.endpoint} ({OWNERS[rule.endpoint]}): "
                             f"{answer.status_code} {_flashes(owner, answer)}")
    return seen


def _flashes(client: FlaskClient, answer: TestResponse) -> str:
    """The messages a refused form showed, to say why in the failure."""
    if answer.is_json:
        return str(answer.json)[:300]
    if answer.status_code in (301, 302, 303):
        answer = client.get(answer.headers["Location"])
    return " | ".join(re.findall(r'class="(?:flash error|error)"[^>]*>(.*?)<',
                                 answer.get_data(as_text=True)))[:300]


def _refused_for_its_data(letter: str, answer: str, api: bool) -> bool:
    """Whether a denied POST was answered as a refusal of its data (a 400/422, a 200
    page, a redirect elsewhere than the log-in) rather than of the person: then the
    permission was never tried on it."""
    status, _, location = answer.partition(" ")
    location = location.split(" ")[0]
    if status in ("403", "404"):
        return False
    if letter == "A":
        return not (status == "401" if api else status == "302" and location == "/login")
    return True


def _write(seen: dict[str, tuple[str, str]]) -> None:
    head = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")] if TABLE.exists() else []
    body = [f"{e:34} {g:10} {p}" for e, (g, p) in sorted(seen.items())]
    TABLE.write_text("\n".join(head + body) + "\n", encoding="utf-8")


EXPECTED = _expected()


def test_every_route_has_a_line(world: World) -> None:
    routes = {r.endpoint for r in world.app.url_map.iter_rules() if r.endpoint != "static"}
    if os.environ.get("PAIRING_WRITE_ACCESS_MATRIX"):
        _write({e: _observe(world, _rule(world, e)).line(_rule(world, e)) for e in routes})
    missing = sorted(routes - set(EXPECTED))
    assert not missing, "routes without a line in access_matrix.txt:\n" + "\n".join(
        f"{e:34} {'/'.join(_observe(world, _rule(world, e)).line(_rule(world, e)))}"
        for e in missing)
    assert not set(EXPECTED) - routes, "lines for routes that no longer exist"
    assert set(REFUSED_FOR_THEIR_DATA) <= routes


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_route_answers_each_role_as_the_matrix_says(world: World, endpoint: str) -> None:
    rule = _rule(world, endpoint)
    seen = _observe(world, rule)
    assert seen.line(rule) == EXPECTED[endpoint], "access differs from access_matrix.txt"
    # Refused for the person, not for the form: else the permission was never tried.
    allowed = set(EXPECTED[endpoint][1])
    wrong = {letter: answer for letter, answer in seen.refusals.items()
             if letter not in allowed
             and letter not in REFUSED_FOR_THEIR_DATA.get(endpoint, ("", ""))[0]
             and _refused_for_its_data(letter, answer, endpoint.startswith("api_v1."))}
    assert not wrong, f"denied POSTs answered as a refusal of their data: {wrong}"
    # A refusal above is only a refusal if the same form works for the route's owner.
    assert not seen.unproven, f"a form its owner could not use: {seen.unproven}"
