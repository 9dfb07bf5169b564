"""Fixtures: an app per test on its own database (SQLite file or PostgreSQL schema per
xdist worker), clients logged in per role, CSRF on as in production.

PAIRING_TEST_DB chooses the database: "sqlite" (default) or "postgres" (at
PAIRING_TEST_POSTGRES_URL). Tables are emptied after every test; provinces and counties,
loaded once per worker, stay.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

import support
from pairing import create_app
from pairing.extensions import db, limiter
from support import BACKEND, PG_URL, empty_tables


def pytest_report_header(config: pytest.Config) -> str:
    return f"pairing database backend: {BACKEND}"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _new_database(tmp_path_factory: pytest.TempPathFactory,
                  label: str) -> Iterator[dict[str, object]]:
    """Connection settings of a database of this worker's own, migrated to head, with the
    provinces and counties loaded; dropped when the generator ends."""
    if BACKEND == "postgres":
        schema = f"{label}_{_worker()}_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(support.pg_url(PG_URL))
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        settings = {
            "SQLALCHEMY_DATABASE_URI": support.pg_url(PG_URL),
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True, "pool_size": 10, "max_overflow": 20,
                "connect_args": {"options": f"-csearch_path={schema},public"},
            },
        }
    else:
        path = tmp_path_factory.mktemp(label) / "test.db"
        settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                    "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app = create_app(support.test_config(settings, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        support.migrate_to_head()
        from pairing.places.services import load_reference_data

        load_reference_data()
        db.session.commit()
        db.engine.dispose()
    yield settings
    if BACKEND == "postgres":
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Connection settings of this worker's own database, migrated to head."""
    yield from _new_database(tmp_path_factory, "t")


@pytest.fixture(scope="session")
def sweep_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A second database of the worker's, for the bad-input sweep's demo data, which stays
    for the whole session (the tests on `database` expect it empty)."""
    yield from _new_database(tmp_path_factory, "sweep")


@pytest.fixture(scope="session")
def matrix_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A third, for the access matrix's world, shared by its tests on this worker."""
    yield from _new_database(tmp_path_factory, "matrix")


@pytest.fixture
def app(database: dict[str, object], tmp_path: Path) -> Iterator[Flask]:
    """A fresh app on the worker's database. No app context is held open during the test:
    each request gets its own, as in production (flask-login caches the user per context).
    Use `with app.app_context():` to look at rows."""
    app = create_app(support.test_config(database, tmp_path))
    with app.app_context():
        limiter.reset()
        from pairing.places.services import load_reference_data

        load_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask):
    """Create a user: make_user("verifier", jurisdiction="43") -> support.UserRef."""
    return lambda role, **kwargs: support.make_user(app, role, **kwargs)


def _client_for(app: Flask, role: str, **kwargs: object) -> FlaskClient:
    user = support.make_user(app, role, **kwargs)
    client = app.test_client()
    support.login(client, user.email)
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def enterprise_client(app: Flask) -> FlaskClient:
    return _client_for(app, "enterprise")


@pytest.fixture
def secretary_client(app: Flask) -> FlaskClient:
    return _client_for(app, "secretary")


@pytest.fixture
def donor_client(app: Flask) -> FlaskClient:
    return _client_for(app, "donor")


@pytest.fixture
def verifier_client(app: Flask) -> FlaskClient:
    return _client_for(app, "verifier", jurisdiction="43")


@pytest.fixture
def coordinator_client(app: Flask) -> FlaskClient:
    return _client_for(app, "coordinator", jurisdiction="CN")


# --- Browser tests: the site served from a thread, Debian's chromium through Playwright ---

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free local port; yields its base URL."""
    with support.served(app) as url:
        yield url


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing (CI installs it in .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import expect, sync_playwright

    # A loaded CI machine (two workers, PostgreSQL) can take longer than the default 5 s.
    expect.set_options(timeout=15_000)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync",
            "--disable-quic", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(_chromium):
    """A fresh browser context (no cookies) sized like a phone held upright."""
    context = _chromium.new_context(viewport={"width": 412, "height": 915}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
