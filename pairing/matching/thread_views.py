"""Routes of a pairing's contacts and message thread (services in threads.py); they
register on the matching blueprint. Everyone but the two parties gets 404, as for a
pairing they may not see: the pairing's existence is not confirmed to them."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from ..db import retry_conflicts
from ..enterprises.rules import Invalid
from ..extensions import db
from . import threads, why
from .blueprint import bp
from .models import Pairing


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"))


class ContactForm(FlaskForm):
    name = StringField(_l("Contact person"))
    phone = StringField(_l("Work phone"))
    email = StringField(_l("E-mail"))


def _pairing_of_party(pairing_id: int) -> Pairing:
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or threads.side_of(current_user, pairing) is None:
        abort(404)
    return pairing


def page_context(pairing: Pairing) -> dict:
    """What the pairing page shows of the thread and contacts (nothing to third parties)."""
    if threads.side_of(current_user, pairing) is None:
        return {"party": None}
    return {"party": threads.side_of(current_user, pairing),
            "contacts": threads.contacts(current_user, pairing, db.session),
            "messages": threads.messages(current_user, pairing, db.session),
            "message_form": MessageForm(), "contact_form": ContactForm(),
            "message_max": threads.MAX_LENGTH}


def _flash_errors(exc: Invalid) -> None:
    for message in exc.errors.values():
        flash(str(message), "error")


@bp.post("/pairings/<int:pairing_id>/messages")
@login_required
@retry_conflicts
def post_message(pairing_id: int):
    pairing = _pairing_of_party(pairing_id)
    form = MessageForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        threads.post(current_user, pairing, form.body.data or "", db.session)
    except Invalid as exc:
        db.session.rollback()
        _flash_errors(exc)
    else:
        db.session.commit()
        flash(_("Message sent: the other side is told in their inbox and by e-mail."),
              "success")
    return redirect(url_for("matching.pairing", pairing_id=pairing_id, _anchor="messages"))


@bp.post("/pairings/<int:pairing_id>/contact")
@login_required
@retry_conflicts
def set_contact(pairing_id: int):
    pairing = _pairing_of_party(pairing_id)
    form = ContactForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        threads.set_contact(current_user, pairing, form.name.data or "", form.phone.data or "",
                            form.email.data or "", db.session)
    except Invalid as exc:
        db.session.rollback()
        _flash_errors(exc)
    else:
        db.session.commit()
        flash(_("Your contact for this pairing was saved."), "success")
    return redirect(url_for("matching.pairing", pairing_id=pairing_id, _anchor="contacts"))


@bp.app_context_processor
def _why_helpers() -> dict:
    """The enterprise's page asks why its active offers got no proposal (why.py)."""
    def why_no_proposal(offers):  # noqa: ANN001, ANN202
        rnd = why.last_round(db.session)
        answers = [(o, why.why_no_proposal(db.session, o, rnd)) for o in offers
                   if o.status == "active"] if rnd else []
        return [(o, a) for o, a in answers if a]
    return {"why_no_proposal": why_no_proposal}
