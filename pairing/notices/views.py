"""The notification settings page (linked from the account page)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..db import retry_conflicts
from ..extensions import db
from . import (
    events,  # noqa: F401 - the listeners that tell people of audited events
    kinds,
    settings,
)

bp = Blueprint("notices", __name__)


@bp.route("/account/notices", methods=["GET", "POST"])
@login_required
@retry_conflicts
def settings_page():
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        settings.save(db.session, current_user, request.form.getlist("inbox"),
                      request.form.getlist("mail"))
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notices.settings_page"))
    return render_template("notices/settings.html", form=form,
                           groups=kinds.groups(current_user.role),
                           chosen=settings.of(db.session, current_user))
