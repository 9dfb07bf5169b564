"""Whole-role journeys (issue 19) in Chinese on a phone and a desktop: the site is started
once per module (one app, one live server, one database for both viewports; each test
makes its own people), every page a journey shows is checked by axe-core, measured for
overflow at its width and saved as a screenshot under screenshots/journeys/<role>/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.journeys.journey import Journey
from flask import Flask

import support
from pairing import create_app
from pairing.extensions import db, limiter
from support import empty_tables

DEVICES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture(scope="module")
def app(database: dict[str, object], tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[Flask]:
    """One app for the module's journeys (both viewports), emptied at the module's end."""
    app = create_app(support.test_config(database, tmp_path_factory.mktemp("journey")))
    with app.app_context():
        from pairing.places.services import load_reference_data

        load_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        empty_tables()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_limits(app: Flask) -> None:
    """Each journey logs in several people from one address: start with fresh limits."""
    with app.app_context():
        limiter.reset()


@pytest.fixture(scope="module")
def live_server(app: Flask) -> Iterator[str]:
    with support.served(app) as url:  # once per module: a journey's steps share the site
        yield url


@pytest.fixture(params=list(DEVICES))
def journey(request: pytest.FixtureRequest, _chromium, live_server: str,
            app: Flask) -> Iterator[Journey]:
    role = Path(request.node.fspath).stem.removeprefix("test_")
    trip = Journey(_chromium, live_server, app, role, request.param, DEVICES[request.param])
    try:
        yield trip
    finally:
        trip.close()
    trip.assert_clean()
