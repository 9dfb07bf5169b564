"""API tokens on the account page, and the browsable API documentation.

Registering this blueprint also sets up the JSON API itself (`setup.init_app`), so the
API arrives with the area like every other page.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.forms import EmptyForm
from ..extensions import db
from . import services, setup
from .forms import TokenForm, scope_label

bp = Blueprint("api_pages", __name__)


@bp.record_once
def _setup(state) -> None:  # noqa: ANN001
    setup.init_app(state.app)


@bp.app_template_filter("token_scope")
def _token_scope(scope: str) -> str:
    return str(scope_label(scope))


@bp.app_context_processor
def _tokens() -> dict:
    def api_tokens():
        if not current_user.is_authenticated:
            return []
        return services.tokens_of(current_user)

    return {"api_tokens": api_tokens, "TokenForm": TokenForm}


@bp.get("/api/v1/docs")
def docs():
    return render_template("api/docs.html")


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("accounts.account"))
    try:
        token, plain = services.create_token(current_user, form.name.data,
                                             form.scopes.data, form.days.data)
    except services.TokenError as exc:
        flash(str(exc), "error")
        return redirect(url_for("accounts.account"))
    db.session.commit()
    # Shown on this page only: it is not stored anywhere, not even in the session cookie.
    return render_template("api/token_created.html", token=token, plain=plain), 201, {
        "Cache-Control": "no-store"}


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        token = services.revoke_token(current_user, token_id)
    except LookupError:
        abort(404)
    db.session.commit()
    flash(_("The token “%(name)s” was revoked: programs using it are refused from now on.",
            name=token.name), "success")
    return redirect(url_for("accounts.account"))
