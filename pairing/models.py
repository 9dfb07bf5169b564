"""Imports every area's models so the metadata is complete (Alembic, create_all)."""

from __future__ import annotations

from flask import Flask

from . import areas

for _module in areas.modules("models"):
    pass
# ... and the session listeners that keep their copied columns right on every flush
# (needs/listing.py): they import the models, so the models cannot import them.
for _module in areas.modules("listing"):
    pass


def init_app(app: Flask) -> None:
    """Nothing to wire: importing this module registers every area's tables."""
