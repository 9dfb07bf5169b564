"""The monitoring blueprint, on which views.py, rating_views.py and review.py register
their pages (they import it from here, not from each other); views.py imports them all,
so pairing.areas finds the blueprint there."""

from __future__ import annotations

from flask import Blueprint, flash

from ..extensions import db
from .policy import MonitoringError

bp = Blueprint("monitoring", __name__)


def _fail(exc: MonitoringError) -> None:
    db.session.rollback()
    flash(str(exc), "error")
