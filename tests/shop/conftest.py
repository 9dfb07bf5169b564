"""Shop fixtures: verified villages with their secretaries, products, buyers."""

from __future__ import annotations

import pytest
from flask import Flask

from pairing.extensions import db
from pairing.ledger import services as ledger

from .shop_helpers import Shop, make_shop


@pytest.fixture
def shop(app: Flask, make_user) -> Shop:  # noqa: ANN001
    return make_shop(app, make_user)


@pytest.fixture(autouse=True)
def books_balance(app: Flask):  # noqa: ANN201
    """Every shop test ends with balanced books."""
    yield
    with app.app_context():
        assert ledger.verify() == []
        db.session.rollback()

