"""The verifier's queue and decisions: a decision is confirmed on its own page (where
warnings must be overridden with a reason before approving), may be undone for a short
while (decisions.py), and leads back to the queue the verifier came from."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..db import retry_conflicts
from ..enterprises.forms import ReasonForm
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from ..security import safe_next
from . import decisions, services
from .registry import SECTIONS, Section

bp = Blueprint("verification", __name__)

nav.add("verification.queue", _l("Verification"), roles=("verifier",), order=40)


class DecisionForm(ReasonForm):
    override = TextAreaField(_l("Why you approve despite the warnings"),
                             validators=[Length(max=500)])
    confirmed = HiddenField()
    back = HiddenField()


def _back() -> str:
    return safe_next(request.form.get("back") or request.args.get("back"),
                     url_for("verification.queue"))


@bp.get("/verification")
@role_required(Role.VERIFIER)
def queue():
    recent = decisions.recent(current_user, db.session)
    entries = decisions.entries_of(recent, db.session)
    labels = [(d, _recent_label(d, entries.get((d.section, d.object_id)))) for d in recent]
    return render_template("verification/queue.html", queue=services.queue(current_user),
                           form=ReasonForm(), recent=labels,
                           back=request.full_path.rstrip("?"))


def _recent_label(d, obj: object | None) -> str:  # noqa: ANN001
    section = SECTIONS.get(d.section)
    what = decisions.describe(section, obj) if section and obj is not None else d.section
    return _("Approved: %(what)s", what=what) if d.approve else _("Rejected: %(what)s",
                                                                   what=what)


@bp.post("/verification/<key>/<int:ident>")
@role_required(Role.VERIFIER)
@retry_conflicts
def decide(key: str, ident: int):
    section = SECTIONS.get(key) or abort(404)
    obj = section.load(ident) or abort(404)
    if not decisions.may_decide(current_user, obj):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    approve = form.decision.data == "verify"
    what = decisions.describe(section, obj)
    errors: dict = {}
    if form.confirmed.data == "1":
        errors = decide_and_tell(section, obj, approve, form.reason.data or "",
                                 form.override.data or "")
        if not errors:
            return redirect(_back())
    obj = section.load(ident) or abort(404)
    return render_template("verification/confirm.html", section=section, item=obj,
                           what=what, approve=approve, form=form, errors=errors,
                           warnings=decisions.warnings_of(section, obj) if approve else [],
                           undoable=key in decisions.UNDO_KEYS, back=_back(),
                           window=int(decisions.UNDO_WINDOW.total_seconds() // 60))


def decide_and_tell(section: Section, obj: object, approve: bool, reason: str,
                    override: str) -> dict:
    """Apply and commit a decision and flash what was decided; the errors, if refused (403
    when the verifier may not decide at all). Shared with the giving pages."""
    what = decisions.describe(section, obj)
    try:
        decisions.apply(current_user, section, obj, approve, reason, override, db.session)
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        return exc.errors
    db.session.commit()
    flash((_("Approved: %(what)s.", what=what) if approve else
           _("Rejected: %(what)s. The owner sees your reason.", what=what))
          + (" " + _("You may undo it for %(n)d minutes on the queue page.",
                     n=int(decisions.UNDO_WINDOW.total_seconds() // 60))
             if section.key in decisions.UNDO_KEYS else ""), "success")
    return {}


@bp.post("/verification/decisions/<int:decision_id>/undo")
@role_required(Role.VERIFIER)
@retry_conflicts
def undo(decision_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        decision, obj = decisions.undo(current_user, decision_id, db.session)
    except NotAllowed:
        abort(404)
    except Invalid as exc:
        db.session.rollback()
        for message in exc.errors.values():
            flash(str(message), "error")
    else:
        what = decisions.describe(SECTIONS[decision.section], obj)
        db.session.commit()
        flash(_("Undone: %(what)s waits for a decision again.", what=what), "success")
    return redirect(_back())
