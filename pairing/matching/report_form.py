"""The progress report form's round trip: on errors the page comes back with what was
typed, each error beside its field, and the evidence files kept server-side for the
retry (pending.py), so nobody has to find their photos again."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from ..enterprises.forms import show_errors
from ..enterprises.kinds import parse_quantity
from ..enterprises.rules import Invalid
from ..extensions import db
from . import delivery, evidence, pending
from .forms import ReportForm
from .models import Pairing


def _quantity(kind: str, text: str) -> tuple[int, object | None]:
    """The typed quantity as stored (fen or people), or -1 and why it is not one ("abc",
    "Infinity", "NaN", "1e400", too many decimals)."""
    try:
        return parse_quantity(kind, text), None
    except ValueError as exc:
        return -1, exc.args[0]


def submit(p: Pairing, form: ReportForm) -> bool:
    """Files the report (True; the caller commits) or puts every error on `form` and
    keeps the files for the retry (False; the caller shows the form again)."""
    chosen = [f for f in request.files.getlist(form.files.name) if f and f.filename]
    valid = form.validate_on_submit()
    uploads = [(f.filename or "", f.read(evidence.limit() + 1)) for f in chosen]
    kept = (form.kept.data or "") if not chosen else ""
    if kept:  # nothing chosen this time: the files kept from the failed attempt
        uploads = pending.take(current_user.id, kept)
    quantity, why = _quantity(p.offer.kind, form.quantity.data)
    try:
        if not valid:
            raise Invalid({})
        delivery.report_progress(current_user, p, quantity, form.delivered_on.data,
                                 form.note.data or "", uploads)
    except Invalid as exc:
        db.session.rollback()
        if why is not None and not form.quantity.errors:
            exc.errors["quantity"] = why
        show_errors(form, exc.errors)
        for name, message in exc.errors.items():
            if name not in form:  # about the pairing itself ("closed"), not a field
                flash(str(message), "error")
        form.kept.data = pending.keep(current_user.id, uploads, kept) if uploads else ""
        if form.kept.data and not form.files.errors:
            form.files.description = _(
                "Kept for the retry: %(names)s. No need to choose them again (choosing "
                "other files replaces them).",
                names=", ".join(pending.names(current_user.id, form.kept.data)))
        return False
    if kept:
        pending.discard(current_user.id, kept)
    return True
