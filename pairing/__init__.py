"""The pairing platform: 万企帮万村 (10,000 Enterprises Help 10,000 Villages)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Wire the application: configuration, extensions, blueprints, CLI, error pages."""
    from . import cli, errors, i18n, inputs, models, static_files, web
    from . import db as dbmod
    from .config import check_production, complete, load_config
    from .extensions import csrf, db, limiter, login_manager, migrate

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=False,
    )
    app.config.from_mapping(load_config())
    if config:
        app.config.from_mapping(config)
    complete(app.config)
    check_production(app.config)
    Path(str(app.config["INSTANCE_DIR"])).mkdir(parents=True, exist_ok=True)

    static_files.init_app(app)  # first: its after_request hook then runs last
    inputs.init_app(app)  # next: its URL converter and request check apply to all that follows
    db.init_app(app)
    dbmod.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    models.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
