"""The matching blueprint and the helpers its page modules share; views.py and
delivery_views.py register on it (views.py imports delivery_views, so pairing.areas
finds the blueprint there)."""

from __future__ import annotations

from flask import Blueprint, abort, flash

from ..enterprises.rules import Invalid
from ..extensions import db

bp = Blueprint("matching", __name__)


def _errors(exc: Invalid) -> None:
    for message in exc.errors.values():
        flash(str(message), "error")


def _get(model, ident: int):  # noqa: ANN001, ANN202
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row
