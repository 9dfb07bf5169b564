"""The routes the bad-input sweep's crawl cannot reach (tests/test_bad_input.py): the object
must first be in another state, or no page links them for the demo's roles. Their URLs are
built from the demo database (sweep_targets.py); every role of the sweep sends them bad
values (the one that may use the route and each that must not). Each answer must be no 5xx,
say what was wrong in the user's language (Chinese here), and leave the database as it was."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sweep import Sweep, encode
from sweep_targets import Target

from pairing.extensions import db

CJK = re.compile(r"[\u4e00-\u9fff]")
MESSAGES = re.compile(
    r'<p class="(?:flash [a-z]+|error)"[^>]*>(.*?)</p>'
    r"|<h1>\d{3}</h1>\s*<p>(.*?)</p>",
    re.S,
)


def fingerprint(app: Flask, tables: tuple[str, ...]) -> str:
    """Every table's row count, the ledger's balances, and the whole of `tables`."""
    digest = hashlib.sha256()
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = (
                conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
                if table.name in tables or table.name == "ledger_accounts"
                else conn.execute(sa.select(sa.func.count()).select_from(table)).all()
            )
            digest.update(f"{table.name}{rows!r}".encode())
    return digest.hexdigest()


def _message(sweep: Sweep, response: Any, what: str) -> None:
    """A refusal (4xx, or a redirect to a page with a message) says why, in Chinese."""
    if response.status_code >= 500:
        return  # Sweep.check reported it
    if 300 <= response.status_code < 400:
        location = response.headers["Location"]
        response = sweep.client.get(location, headers={"Accept-Language": "zh"})
        what += f" → {location}"
    if response.is_json:
        texts = [str(v) for v in (response.json or {}).values() if isinstance(v, str)]
    else:
        texts = [a or b for a, b in MESSAGES.findall(response.get_data(as_text=True))]
    if not texts:
        sweep.failures.append(f"{sweep.role}: no message on {what}")
    elif not any(CJK.search(t) for t in texts):
        sweep.failures.append(f"{sweep.role}: message not in Chinese on {what}: {texts}")


def probe(
    sweep: Sweep,
    endpoint: str,
    target: Target,
    values: list[str],
    everywhere: list[str],
    names: list[str],
    token: Callable[[], str],
) -> None:
    """Bad values in the path's ids, the fields (each alone, then all at once) or, for a
    route without fields, the CSRF token; a GET gets them in every query argument."""
    # The crawl may have followed the language switch: its cookie outranks Accept-Language.
    sweep.client.set_cookie("lang", "zh")
    headers = {"Accept-Language": "zh"}
    csrf = token()  # valid for the whole session: read once
    allowed = sweep.role == target.role
    huge = re.sub(r"/\d+(?=/|$|\.json)", "/99999999999999999999999", target.url, count=1)
    sweep.requests += 1
    answer = sweep.client.open(
        huge,
        method=target.method,
        headers=headers,
        data=({"csrf_token": csrf, **target.fields} if target.method == "POST" else None),
    )
    sweep.check(answer, f"{target.method} {huge} ({endpoint}: id)")
    _message(sweep, answer, f"{endpoint}: huge id")
    if target.method == "GET":
        # The role that may see the page gets every value (the 100 kB one in ASCII: the
        # same length without a 9-fold escape in each of the names); a refused one is
        # refused before any argument is read: one value.
        sent = [v if len(v) < 1000 else "x" * len(v) for v in [*values, *everywhere]]
        for value in sent if allowed else sent[1:2]:
            query = encode([(n, value) for n in names]).decode()
            got = sweep.get(f"{target.url}?{query}", f"{endpoint}, every argument = {value[:8]!r}")
            if got.status_code >= 400:
                _message(sweep, got, f"{endpoint} {value[:8]!r}")
    else:
        sends: list[tuple[dict[str, str], str]] = []
        # A refused role is refused before its fields are read: the 100 kB text (slow to
        # parse) only for the role that may use the route.
        whole = (
            [*values, *everywhere]
            if allowed
            else [v for v in [*values, *everywhere] if len(v) < 1000][:1]
        )
        if target.fields:
            sends += [(dict.fromkeys(target.fields, v), f"every field = {v[:8]!r}") for v in whole]
        if target.fields and allowed:  # a refused role is refused whole
            sends += [
                ({name: v}, f"{name} = {v[:8]!r}")
                for name in target.fields
                # the 100 kB text went in every field at once above; alone, the short ones
                for v in ([v for v in values if len(v) < 1000] if name not in target.text else [])
            ]
        if not target.fields or allowed:
            sends += [({"csrf_token": v}, f"CSRF token = {v[:8]!r}") for v in values]
        for changed, what in sends:
            body = encode(list({"csrf_token": csrf, **target.fields, **changed}.items()))
            got = sweep.post(
                target.url,
                body,
                f"{endpoint}: {what}",
                headers=headers,
                content_type="application/x-www-form-urlencoded",
            )
            _message(sweep, got, f"POST {target.url} ({endpoint}: {what})")
