"""The giving blueprint, on which views.py, secretary.py and review.py register their
pages (they import it from here, not from each other); views.py imports them all, so
pairing.areas finds the blueprint there."""

from __future__ import annotations

from flask import Blueprint, abort, flash

from ..extensions import db
from . import services

bp = Blueprint("giving", __name__)


def fail(exc: Exception) -> None:
    db.session.rollback()
    if isinstance(exc, services.Forbidden):
        abort(403)
    flash(str(exc), "error")


def refused(form: object, exc: Exception) -> None:
    """A service refused a form that is shown again: rolled back, and its message beside
    the field it is about (the GivingError's field), else at the top of the page."""
    name = getattr(exc, "field", None)
    field = getattr(form, name, None) if name else None
    if field is None:
        fail(exc)
        return
    db.session.rollback()
    field.errors = [*field.errors, str(exc)]
