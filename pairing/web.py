"""Blueprints, the log-in session loader and response headers."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import lazy_gettext as _l

from . import nav
from .extensions import login_manager
from .ledger.money import yuan


def _register_area_blueprints(app: Flask) -> None:
    """Every module-level Blueprint of an area's views.py (see pairing/areas.py)."""
    from flask import Blueprint

    from . import areas

    for module in areas.modules("views"):
        for value in vars(module).values():
            if isinstance(value, Blueprint) and value.name not in app.blueprints:
                app.register_blueprint(value)


def init_app(app: Flask) -> None:
    from .accounts import services as account_services
    from .accounts.views import SESSION_KEY, admin
    from .accounts.views import bp as accounts_bp
    from .audit.views import bp as audit_bp
    from .main.views import bp as main_bp
    from .places.views import bp as places_bp

    for blueprint in (main_bp, accounts_bp, admin, audit_bp, places_bp):
        app.register_blueprint(blueprint)
    _register_area_blueprints(app)
    nav.init_app(app)
    # Fen read as yuan the same way on every page, whichever areas are registered.
    app.add_template_filter(yuan, "yuan")

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The cookie alone is not enough: its login session must still exist.
        return account_services.session_user(user_id, session.get(SESSION_KEY))

    @app.after_request
    def security_headers(response):  # noqa: ANN001
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
