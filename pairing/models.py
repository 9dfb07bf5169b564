"""Imports every area's models so the metadata is complete (Alembic, create_all)."""

from __future__ import annotations

from flask import Flask

from .accounts import models as accounts_models  # noqa: F401
from .audit import models as audit_models  # noqa: F401
from .enterprises import models as enterprises_models  # noqa: F401
from .places import models as places_models  # noqa: F401


def init_app(app: Flask) -> None:
    """Nothing to wire: importing this module registers the tables."""
