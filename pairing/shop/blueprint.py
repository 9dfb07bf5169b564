"""The shop blueprint, on which views.py and manage.py register their pages (manage.py
imports it from here, not from views.py); views.py imports manage.py, so pairing.areas
finds the blueprint there."""

from __future__ import annotations

from flask import Blueprint, abort, flash

from ..extensions import db
from . import services

bp = Blueprint("shop", __name__, url_prefix="/shop")


def fail(exc: services.ShopError) -> None:
    if isinstance(exc, services.Forbidden):
        abort(403)
    db.session.rollback()
    flash(str(exc), "error")
