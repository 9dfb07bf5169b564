"""Appeals: the page of one decided thing's appeal (file it, read its outcome, decide it)
and the verifier's list of open appeals."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import Field

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..db import retry_conflicts
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from . import services
from .forms import LEVELS, STATES, AppealForm, DecideForm
from .models import Appeal
from .subjects import page_args

bp = Blueprint("appeals", __name__)

@bp.context_processor
def _labels() -> dict[str, object]:
    from ..notices.kinds import WORDS
    return {"words": WORDS, "levels": LEVELS, "states": STATES}

nav.add("appeals.queue", _l("Appeals"), roles=("verifier",), order=41)


@bp.get("/appeals")
@role_required(Role.VERIFIER)
def queue():
    items = services.open_for(current_user, db.session)
    return render_template("appeals/queue.html", items=items, subjects=services.SUBJECTS)


def _page(key: str, ident: int, form: AppealForm | None = None,
          decide_form: DecideForm | None = None) -> str:
    found = services.load(db.session, key, ident) or abort(404)
    subject, obj = found
    appeal = services.appeal_of(db.session, subject, obj)
    if not services.may_see(current_user, subject, obj, appeal):
        abort(403)
    may_file = (appeal is None and subject.appealable(obj)
                and services.may_appeal(current_user, subject, obj))
    may_decide = appeal is not None and appeal.status == "open" and services.may_decide(
        current_user, appeal)
    return render_template("appeals/show.html", subject=subject, obj=obj, appeal=appeal,
                           form=form or AppealForm(), decide_form=decide_form or DecideForm(),
                           may_file=may_file, may_decide=may_decide,
                           page=url_for(subject.page[0], **page_args(subject, obj)))


def _refused(call: Callable[[], object], field: Field,
             again: Callable[[], str]) -> tuple[str, int] | None:
    """Run the service call; None when it went through. Not allowed: 403. Invalid: the
    messages beside `field` on the page again (`again`), 409. Either way nothing changed."""
    try:
        call()
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        field.errors = [*field.errors, *(str(m) for m in exc.errors.values())]
        return again(), 409
    return None


@bp.get("/appeals/<key>/<int:ident>")
@login_required
def show(key: str, ident: int):
    return _page(key, ident)


@bp.post("/appeals/<key>/<int:ident>")
@login_required
@retry_conflicts
def file(key: str, ident: int):
    form = AppealForm()
    if not form.validate_on_submit():
        return _page(key, ident, form=form), 400
    try:
        refused = _refused(lambda: services.file_appeal(
            current_user, key, ident, form.reason.data or "", db.session),
            form.reason, lambda: _page(key, ident, form=form))
    except LookupError:
        abort(404)
    if refused:
        return refused
    db.session.commit()
    flash(_("Your appeal was sent to a verifier of the level above."), "success")
    return redirect(url_for("appeals.show", key=key, ident=ident))


@bp.post("/appeals/decide/<int:appeal_id>")
@role_required(Role.VERIFIER)
@retry_conflicts
def decide(appeal_id: int):
    appeal = db.get_or_404(Appeal, appeal_id)
    key, ident = appeal.subject, appeal.subject_id
    form = DecideForm()
    if not form.validate_on_submit():
        return _page(key, ident, decide_form=form), 400
    refused = _refused(lambda: services.decide_appeal(
        current_user, appeal_id, form.outcome.data == "grant", form.decision.data or "",
        db.session), form.decision, lambda: _page(key, ident, decide_form=form))
    if refused:
        return refused
    db.session.commit()
    flash(_("The appeal is decided; both sides are told."), "success")
    return redirect(url_for("appeals.show", key=key, ident=ident))
