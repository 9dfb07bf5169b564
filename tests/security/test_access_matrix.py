"""The standing access matrix (issue 18): every route of app.url_map, for every role, on
objects that belong to someone else, by GET and by POST with a valid CSRF token; the
pages under /api/v1 with each role's API token instead of a log-in.

A GET is allowed when it answers 200; a POST only when the database changed. What is
expected is the table in access_matrix.txt (one line per endpoint: who may GET, who may
POST); any difference fails, and so does a route without a line. After a POST that changed
something, the changed tables are put back as they were, so each role meets the same world.

    PAIRING_WRITE_ACCESS_MATRIX=1 pytest tests/security   # rewrites the table from what it saw
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

import support
from pairing import create_app, demo
from pairing.extensions import db
from support import empty_tables

sys.path.append(str(Path(__file__).parent))
from world import build, url_for_rule  # noqa: E402

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
    "admin.change_jurisdiction": {"jurisdiction": "433124"},
    "admin.users": {"email": "matrix.staff@example.cn", "display_name": "矩阵核查员",
                    "role": "verifier", "jurisdiction": "433124"},
    "api_pages.create_token": {"name": "矩阵", "scopes": "giving:read", "days": "90"},
    "enterprises.edit_offer": {**_OFFER, "quantity": "300000000"},  # not below what is paired
    "enterprises.new_offer": _OFFER,
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
    "monitoring.cadre": {"email": "secretary01@demo.pairing.cn"},
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
    "places.hand_over": {"email": "secretary01@demo.pairing.cn"},
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
    **dict.fromkeys(("giving.add_update", "giving.consent", "giving.edit_household",
                     "giving.new_request", "matching.dispute", "monitoring.new_visit",
                     "needs.edit", "needs.new", "places.edit_village",
                     "shop.edit_product", "shop.new_product", "shop.restock"), "secretary"),
    "enterprises.new_offer": "enterprise",
    **dict.fromkeys(("giving.decide", "giving.verify_request", "monitoring.decide",
                     "monitoring.add_inspection", "shop.decide_payout", "verification.decide"),
                    "verifier.county"),
}
# Forms not proven so, because the world's object is in a state the route refuses even to
# its owner (their refusals are proven by their areas' tests): giving.edit_request (the
# request is open, not a draft), giving.new_project (the need is no charity need),
# matching.decide (no report is disputed), shop.ship (no paid order), shop.payouts_page
# (no sales left to settle), enterprises.edit_offer (the offer is paired: only its unpaired
# part may change); and monitoring.cadre, places.hand_over, whose e-mail must name an
# account the world does not have (a cadre's; a secretary without a village).


@pytest.fixture(scope="module")
def world(database: dict[str, object], tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Flask, dict[str, object], dict[str, object]]]:
    """The app (rate limits off: the matrix asks the same page many times), the demo world,
    and per role a logged-in client and an API token."""
    app = create_app(support.test_config(
        {**database, "RATELIMIT_ENABLED": False}, tmp_path_factory.mktemp("matrix")))
    with app.app_context():
        from pairing.places.services import load_reference_data

        load_reference_data()
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

                _, tokens[letter] = api.create_token(db.session.get(User, user.id), "matrix")
                db.session.commit()
        clients[letter] = client
    owners = {}
    for name in set(OWNERS.values()):
        owners[name] = app.test_client()
        support.login(owners[name], f"{name}@{demo.DOMAIN}", password=demo.PASSWORD)
    yield app, ids, {"clients": clients, "tokens": tokens, "owners": owners}
    with app.app_context():
        empty_tables()
        db.engine.dispose()


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


def _form(endpoint: str, ids: dict[str, object], client) -> dict[str, object]:  # noqa: ANN001
    data: dict[str, object] = {k: v.format(**ids) if isinstance(v, str) else v
                               for k, v in FORMS.get(endpoint, {}).items()}
    data["csrf_token"] = support.csrf_token(client)
    return data


def _observe(app: Flask, ids: dict[str, object], people: dict[str, dict], unproven: list[str]
             ) -> dict[str, tuple[str, str]]:
    """What each role may do; the forms of OWNERS that their owner's POST did not make
    change anything go to `unproven`."""
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: r.endpoint)
    touched: set[str] = set()
    with app.app_context():
        with db.engine.connect() as conn:
            snapshot = {t.name: _rows(conn, t) for t in _tables()}
        _watch(db.engine, touched)

    def settle() -> bool:
        """Whether the last request changed the database; if so, undo it."""
        with app.app_context(), db.engine.begin() as conn:
            tables = {t.name: t for t in _tables() if t.name in touched}
            touched.clear()
            changed = {n for n, t in tables.items() if _rows(conn, t) != snapshot[n]}
            if changed:
                _restore(conn, snapshot, changed)
            touched.clear()
            return bool(changed)

    seen = {}
    for rule in rules:
        url = url_for_rule(rule, ids)
        api = rule.endpoint.startswith("api_v1.")
        gets, posts = set(), set()
        for letter in ROLES:
            client = people["clients"][letter] if not api else app.test_client()
            headers = ({"Authorization": f"Bearer {people['tokens'][letter]}"}
                       if api and letter in people["tokens"] else {})
            if "GET" in rule.methods:
                if client.get(url, headers=headers).status_code == 200:
                    gets.add(letter)
                settle()  # a page that logs a view of personal data: put back
            if "POST" in rule.methods:
                cookie = client.get_cookie("session")
                data = _form(rule.endpoint, ids, client) if not api else {}
                settle()
                if api:
                    client.post(url, json={}, headers=headers)
                else:
                    client.post(url, data=data)
                if settle():
                    posts.add(letter)
                if cookie is not None:  # a log-out or password change ends the session
                    client.set_cookie("session", cookie.value)
        if rule.endpoint in OWNERS:
            owner = people["owners"][OWNERS[rule.endpoint]]
            data = _form(rule.endpoint, ids, owner)
            settle()
            answer = owner.post(url, data=data)
            if not settle():
                unproven.append(f"{rule.endpoint} ({OWNERS[rule.endpoint]}): "
                                f"{answer.status_code} {_flashes(owner, answer)}")
        seen[rule.endpoint] = (_letters(gets) if "GET" in rule.methods else "-",
                               _letters(posts) if "POST" in rule.methods else "-")
    return seen


def _flashes(client, answer) -> str:  # noqa: ANN001
    """The messages a refused form showed, to say why in the failure."""
    if answer.status_code in (301, 302, 303):
        answer = client.get(answer.headers["Location"])
    return " | ".join(re.findall(r'class="(?:flash error|error)"[^>]*>(.*?)<',
                                 answer.get_data(as_text=True)))[:300]


def _write(seen: dict[str, tuple[str, str]]) -> None:
    head = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")] if TABLE.exists() else []
    body = [f"{e:34} {g:10} {p}" for e, (g, p) in sorted(seen.items())]
    TABLE.write_text("\n".join(head + body) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_every_route_answers_each_role_as_the_matrix_says(world):
    app, ids, people = world
    unproven: list[str] = []
    seen = _observe(app, ids, people, unproven)
    if os.environ.get("PAIRING_WRITE_ACCESS_MATRIX"):
        _write(seen)
    expected = _expected()
    missing = sorted(set(seen) - set(expected))
    assert not missing, "routes without a line in access_matrix.txt:\n" + "\n".join(
        f"{e:34} {seen[e][0]:10} {seen[e][1]}" for e in missing)
    differ = [f"{e:34} expected {expected[e][0]:10} {expected[e][1]:10} "
              f"saw {seen[e][0]:10} {seen[e][1]}"
              for e in sorted(seen) if seen[e] != expected[e]]
    assert not differ, "access differs from access_matrix.txt:\n" + "\n".join(differ)
    assert not set(expected) - set(seen), "lines for routes that no longer exist"
    # A refusal above is only a refusal if the same form works for the route's owner.
    assert not unproven, "forms their owner could not use:\n" + "\n".join(unproven)
