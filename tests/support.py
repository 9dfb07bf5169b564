"""Helpers for tests: configuration, users, log-in and CSRF-carrying posts."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from pairing.extensions import db

PASSWORD = "correct horse battery"
BACKEND = os.environ.get("PAIRING_TEST_DB", "sqlite")
PG_URL = os.environ.get("PAIRING_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KEEP_TABLES = {"provinces", "counties", "alembic_version"}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def pg_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def test_config(settings: dict[str, object], instance: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast; production uses scrypt
        "INSTANCE_DIR": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "SMTP_HOST": "",
        **settings,
    }


def migrate_to_head() -> None:
    from flask_migrate import upgrade

    # "heads": areas built side by side may each add a branch until they are merged.
    upgrade(revision="heads")


@dataclass(frozen=True)
class UserRef:
    """What a test needs of a user, usable outside any app context."""

    id: int
    email: str
    role: str
    jurisdiction: str | None


def make_user(app: Flask, role: str, *, email: str | None = None,
              jurisdiction: str | None = None, name: str | None = None,
              password: str = PASSWORD, active: bool = True) -> UserRef:
    from pairing.accounts import services

    if role in ("verifier", "coordinator") and jurisdiction is None:
        jurisdiction = "CN"
    with app.app_context():
        user = services.create_user(
            email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.org", password=password,
            display_name=name or f"Test {role}", role=role, jurisdiction=jurisdiction)
        user.active = active
        db.session.commit()
        return UserRef(user.id, user.email, user.role, user.jurisdiction)


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    page = client.get(path)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None,
         **kwargs: Any):
    """POST a form the way a browser does, with the page's CSRF token."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=payload, **kwargs)


def login(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs: Any):
    response = post(client, "/login", {"email": email, "password": password}, **kwargs)
    assert response.status_code in (302, 401, 429), response.status_code
    return response


def empty_tables() -> None:
    """Delete every row but the reference data (inside an app context)."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under screenshots/ (gitignored) to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def browser_login(tab, base: str, email: str, password: str = PASSWORD,
                  next_path: str | None = None) -> None:
    """Log in at the browser and wait until the log-in has landed (cookie set)."""
    tab.context.clear_cookies()
    tab.goto(f"{base}/login" + (f"?next={next_path}" if next_path else ""))
    tab.fill("input[name=email]", email)
    tab.fill("input[name=password]", password)
    tab.click("main form button[type=submit]")
    # A click only starts the navigation; leaving before it lands can drop the cookie.
    tab.wait_for_url(lambda url: "/login" not in url)


def browser_logout(tab) -> None:
    from playwright.sync_api import expect

    tab.click("header form button.link")
    expect(tab.locator("header a[href^='/login']")).to_be_visible()


@contextmanager
def rate_limits_off() -> Iterator[None]:
    """Rate limits off for this block only: the one limiter serves every app of the
    process, and an app made with RATELIMIT_ENABLED=False would turn it off for all the
    apps made after it (flask-limiter's init_app keeps the last value)."""
    from pairing.extensions import limiter

    was, limiter.enabled = limiter.enabled, False
    try:
        yield
    finally:
        limiter.enabled = was


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app served from a thread on a free local port (browser tests); yields its URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def statements_of(app, client: FlaskClient, url: str) -> list[tuple[str, Any]]:  # noqa: ANN001
    """(SQL, parameters) of every statement a GET of `url` runs (it must answer 200)."""
    with app.app_context():
        engine = db.engine
    seen: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, *_args):  # noqa: ANN001
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    return seen
