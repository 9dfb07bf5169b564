"""A staff member's work phone: a village secretary's is printed on the contact cards of
the village's households (templates/giving/card.html), so that a household can call."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from ..audit import services as audit
from ..extensions import db
from ..phones import work_phone
from .models import Role, User

STAFF = (Role.SECRETARY, Role.VERIFIER, Role.COORDINATOR)


class WorkPhoneForm(FlaskForm):
    work_phone = StringField(_l("Work phone"), validators=[Optional(), Length(max=30), work_phone],
                             description=_l("Printed on the contact cards of your village's households. A work number, not a private one."))


def save(form: WorkPhoneForm) -> None:
    """The logged-in staff member's work phone, as the validated form holds it."""
    user = db.session.get(User, current_user.id)
    before = {"work_phone": user.work_phone}
    user.work_phone = form.work_phone.data or ""
    audit.record(user, "account.work_phone", user, before=before,
                 after={"work_phone": user.work_phone})


def set_work_phone():
    form = WorkPhoneForm()
    if not form.validate_on_submit():
        for error in form.work_phone.errors:
            flash(f"{form.work_phone.label.text}: {error}", "error")
        return redirect(url_for("accounts.account"))
    save(form)
    db.session.commit()
    flash(_("Your work phone was saved."), "success")
    return redirect(url_for("accounts.account"))


def form_for() -> WorkPhoneForm | None:
    """The account page's form, for staff only."""
    if not current_user.is_authenticated or current_user.role not in STAFF:
        return None
    return WorkPhoneForm(work_phone=current_user.work_phone)


def register(blueprint) -> None:  # noqa: ANN001 - the accounts blueprint
    """Called by pairing/web.py before the accounts blueprint is registered; the
    blueprint outlives each app (tests make many), so only the first call adds to it."""
    from ..auth import role_required

    if getattr(blueprint, "work_phone_added", False):
        return
    blueprint.work_phone_added = True

    blueprint.app_template_global("work_phone_form")(form_for)
    blueprint.add_url_rule("/account/work-phone", methods=["POST"],
                           view_func=role_required(*STAFF)(set_work_phone))
