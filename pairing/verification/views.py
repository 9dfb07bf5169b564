"""The verifier's queue and decisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..enterprises.forms import ReasonForm
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from . import services
from .registry import SECTIONS

bp = Blueprint("verification", __name__)

nav.add("verification.queue", _l("Verification"), roles=("verifier",), order=40)


@bp.get("/verification")
@role_required(Role.VERIFIER)
def queue():
    return render_template("verification/queue.html", queue=services.queue(current_user),
                           form=ReasonForm())


@bp.post("/verification/<key>/<int:ident>")
@role_required(Role.VERIFIER)
def decide(key: str, ident: int):
    section = SECTIONS.get(key) or abort(404)
    obj = section.load(ident) or abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        section.decide(current_user, obj, form.decision.data == "verify", form.reason.data or "")
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(str(message), "error")
    else:
        db.session.commit()
        flash(_("Verified.") if form.decision.data == "verify" else
              _("Rejected: the owner sees your reason."), "success")
    return redirect(url_for("verification.queue"))
