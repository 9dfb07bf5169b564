"""The page of a person's own data: downloads and the deletion of the account; and a
household's data, exercised by its secretary (pairing/giving/household_data.py)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write
from ..extensions import db
from ..giving import services as giving
from ..giving.models import Household
from . import households as household_data
from .forms import EraseForm
from .services import DeletionRefused, as_csv, as_json, blockers, delete_account, export

bp = Blueprint("mydata", __name__)


def _attachment(data: dict, fmt: str, name: str) -> Response:
    if fmt == "json":
        body, mime = as_json(data).encode("utf-8"), "application/json"
    else:
        body, mime = as_csv(data), "text/csv; charset=utf-8"
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
        "Cache-Control": "no-store"})


@bp.get("/account/my-data")
@login_required
def page():
    return render_template("privacy/mydata.html", form=EraseForm(),
                           blockers=blockers(current_user))


@bp.get("/account/my-data/export.<any(json, csv):fmt>")
@login_required
def download(fmt: str):
    return _attachment(export(current_user), fmt, f"my-data-{current_user.id}")


@bp.post("/account/delete")
@login_required
def delete():
    form = EraseForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("mydata.page"))
    user = current_user._get_current_object()
    begin_write()
    try:
        delete_account(user, form.password.data)
    except DeletionRefused as exc:
        db.session.rollback()
        for reason in exc.reasons:
            flash(reason, "error")
        return redirect(url_for("mydata.page"))
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Your account was deleted. What the ledger must keep is kept without your name."),
          "success")
    return redirect(url_for("main.home"))


def _managed(household_id: int) -> Household:
    household = db.get_or_404(Household, household_id)
    if not giving.manages(current_user, household):
        abort(404)
    return household


@bp.get("/giving/households/<int:household_id>/data.<any(json, csv):fmt>")
@role_required(Role.SECRETARY)
def household_download(household_id: int, fmt: str):
    household = _managed(household_id)
    data = household_data.export(current_user, household)
    db.session.commit()  # the export is logged
    return _attachment(data, fmt, f"household-{household.id}")


@bp.route("/giving/households/<int:household_id>/erase", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def household_erase(household_id: int):
    household = _managed(household_id)
    form = EraseForm()
    if form.validate_on_submit():
        begin_write()
        try:
            outcome = household_data.erase(current_user, household, form.password.data)
        except DeletionRefused as exc:
            db.session.rollback()
            for reason in exc.reasons:
                flash(reason, "error")
        else:
            db.session.commit()
            flash(_("The household's data was deleted.") if outcome == "deleted" else
                  _("The household has received help, so its records were anonymised: "
                    "amounts stay, who it was is gone."), "success")
            return redirect(url_for("giving.households"))
    return render_template("privacy/household_erase.html", form=form, h=household)
