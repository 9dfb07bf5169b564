"""Error pages in the reader's language."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db


def init_app(app: Flask) -> None:
    messages = {
        400: lambda: _("The request could not be understood."),
        403: lambda: _("You may not do this."),
        404: lambda: _("There is nothing at this address."),
        405: lambda: _("This address does not accept that method."),
        413: lambda: _("The file is too large."),
        429: lambda: _("Too many attempts. Wait a minute and try again."),
        500: lambda: _("Something went wrong on our side. Nothing was changed."),
    }

    def render(code: int, message: str | None = None):
        if request.path.startswith("/api/"):
            from .api.errors import body

            return body(code, message), code
        return render_template("error.html", code=code,
                               message=message or messages.get(code, messages[500])()), code

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render(400, _("The form expired or was sent from elsewhere. Reload the page "
                             "and try again."))

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built, so no page with links either.
        return _("The request could not be understood."), 400, {"Content-Type":
                                                               "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        if request.path.startswith("/api/"):  # routing's 404/405 never reach the API's own
            from .api.errors import response

            return response(exc)
        if code not in messages:
            return exc
        # A message that says what was wrong with this request (pairing/inputs.py).
        message = getattr(exc, "user_message", None)
        return render(code, str(message) if message is not None else None)

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        return render(500)
