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


def beside(form: object, exc: Invalid) -> None:
    """A service's errors on a form shown again: each beside its field when the form has
    one of that name, else at the top of the page."""
    for key, message in exc.errors.items():
        field = getattr(form, key, None) if isinstance(key, str) else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, str(message)]
        else:
            flash(str(message), "error")


def _get(model, ident: int):  # noqa: ANN001, ANN202
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row
