"""Blueprints, the log-in session loader and response headers."""

from __future__ import annotations

import time

from flask import Flask, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from . import formatting, nav
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


# Anonymous pages that still show something personal (a reset link's form).
PRIVATE_ENDPOINTS = frozenset({"accounts.reset", "accounts.confirm"})


def _hide_dev_server_version() -> None:
    """`flask run` would name Werkzeug's and Python's versions in every Server header;
    gunicorn says only "gunicorn"."""
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = lambda self: "pairing"  # type: ignore[method-assign]


def _still_active(app: Flask) -> bool:
    """The idle timeout: the signed session cookie carries the time of the last request
    (rewritten at most once a minute), so an idle log-in ends without any database write."""
    from .accounts.views import SEEN_KEY

    now = int(time.time())
    seen = session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen > 60 * int(app.config["SESSION_IDLE_MINUTES"]):
        return False
    if now - seen >= 60:
        session[SEEN_KEY] = now
    return True


def _private(response) -> bool:  # noqa: ANN001
    # Static files and what a view marked public itself (product photos) stay cacheable.
    if request.endpoint == "static" or response.cache_control.public:
        return False
    return (request.endpoint in PRIVATE_ENDPOINTS or "Authorization" in request.headers
            or current_user.is_authenticated)


def init_app(app: Flask) -> None:
    if int(app.config.get("TRUSTED_PROXIES") or 0) > 0:
        # The client's address and scheme as the trusted proxies saw them: rate limits
        # count real clients, not the proxy (README: TRUSTED_PROXIES).
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _hide_dev_server_version()

    from .accounts import services as account_services
    from .accounts import work_phone
    from .accounts.views import SESSION_KEY, admin
    from .accounts.views import bp as accounts_bp
    from .audit.views import bp as audit_bp
    from .main.views import bp as main_bp
    from .places.views import bp as places_bp

    work_phone.register(accounts_bp)  # a staff member's work phone, on /account
    for blueprint in (main_bp, accounts_bp, admin, audit_bp, places_bp):
        app.register_blueprint(blueprint)
    _register_area_blueprints(app)
    nav.init_app(app)
    # Fen read as yuan the same way on every page, whichever areas are registered.
    app.add_template_filter(yuan, "yuan")
    formatting.init_app(app)
    # The place pickers' <datalist> (macros/forms.html place_list, fields.PlaceField).
    from .places.lookup import place_options
    app.add_template_global(place_options, "place_options")

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        # The cookie alone is not enough: its login session must still exist, and the
        # browser must have made a request within SESSION_IDLE_MINUTES.
        if not _still_active(app):
            return None
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
        if app.config["ENV_NAME"] == "production":
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={int(app.config['HSTS_SECONDS'])}; includeSubDomains")
        if _private(response):
            # Pages of a logged-in person (or an API token's answers) stay out of shared
            # and back-button caches.
            response.headers["Cache-Control"] = "no-store"
            response.headers.setdefault("Pragma", "no-cache")
        return response
