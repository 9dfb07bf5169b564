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
