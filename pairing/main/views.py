"""Home page, language switcher and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from ..extensions import db
from ..i18n import COOKIE, LANGUAGES
from ..security import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    from ..giving.policy import notice_period
    from ..stats.snapshot import headline
    from .onboarding import steps_for

    # The dashboard's stored national figures: counting national rows on every visit
    # cost 45 ms of the page's 52.
    values, computed_at = headline()
    return render_template("main/home.html", villages=values["villages"],
                           enterprises=values["enterprises"], poor=values["poor_population"],
                           computed_at=computed_at, steps=steps_for(db.session, current_user),
                           notice_days=notice_period().days)


@bp.get("/lang/<code>")
def set_language(code: str):
    target = safe_next(request.args.get("next") or request.referrer and
                       _local_path(request.referrer), url_for("main.home"))
    response = make_response(redirect(target))
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _local_path(url: str) -> str | None:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


@bp.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


LARGE_TEXT_COOKIE = "text_size"


@bp.get("/text-size/<size>")
def set_text_size(size: str):
    """The large-font (适老化) mode: remembered by a cookie, like the language."""
    target = safe_next(request.args.get("next") or request.referrer and
                       _local_path(request.referrer), url_for("main.home"))
    response = make_response(redirect(target))
    if size == "large":
        response.set_cookie(LARGE_TEXT_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
    return response


@bp.app_context_processor
def text_size() -> dict[str, object]:
    return {"large_text": request.cookies.get(LARGE_TEXT_COOKIE) == "large"}
