"""Village needs: the secretary's forms and the public list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..enterprises.forms import show_errors
from ..enterprises.rules import Invalid, NotAllowed
from ..enterprises.views import list_context
from ..extensions import db
from ..places.models import Village
from ..places.villages import may_edit_village
from . import browse, import_views, importing, services
from .forms import PRIORITY_LABELS, NeedForm
from .models import Need

bp = Blueprint("needs", __name__)

nav.add("needs.index", _l("Needs"), order=21)


@bp.app_context_processor
def need_helpers() -> dict[str, object]:
    return {"PRIORITY_LABELS": PRIORITY_LABELS}


@bp.get("/needs")
def index():
    f = browse.Filters.from_args(request.args)
    return render_template("needs/index.html", page=browse.needs(f), **list_context(f))


def _form(form: NeedForm, village: Village, need: Need | None):
    if form.validate_on_submit() and (data := form.data_for_service()) is not None:
        try:
            if need is None:
                services.create_need(current_user, village, data)
            else:
                services.update_need(current_user, need, data)
        except Invalid as exc:
            db.session.rollback()
            show_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(_("The need was saved."), "success")
            return redirect(url_for("places.village", ident=village.id))
    return render_template("needs/form.html", form=form, village=village, need=need)


@bp.route("/villages/<int:ident>/needs/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def new(ident: int):
    village = db.get_or_404(Village, ident)
    if not may_edit_village(current_user, village):
        abort(403)
    form = NeedForm()
    if request.method == "GET" and "household" in request.args:
        from ..monitoring import drafts  # a need drafted from a watched household

        hid = drafts.household_arg(request.args)
        household = drafts.watched_household(current_user, village.id, hid) if hid else None
        if household is None or (draft := drafts.need_draft(current_user, household)) is None:
            abort(404)
        form.kind.data, form.description.data = draft.kind, draft.description
    return _form(form, village, None)


def _own(ident: int) -> Need:
    need = db.get_or_404(Need, ident)
    if not may_edit_village(current_user, need.village):
        abort(403)
    return need


@bp.route("/needs/<int:ident>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def edit(ident: int):
    need = _own(ident)
    form = NeedForm()
    if request.method == "GET":
        form.load(need)
    return _form(form, need.village, need)


@bp.post("/needs/<int:ident>/withdraw")
@role_required(Role.SECRETARY)
def withdraw(ident: int):
    need = _own(ident)
    try:
        services.withdraw_need(current_user, need)
    except (Invalid, NotAllowed):
        db.session.rollback()
        flash(_("Nothing of this need is left to withdraw."), "error")
    else:
        db.session.commit()
        flash(_("The need was withdrawn."), "success")
    return redirect(url_for("places.village", ident=need.village_id))


@bp.route("/villages/import", methods=["GET", "POST"])
@role_required(Role.SECRETARY, Role.COORDINATOR)
def import_villages():
    return import_views.handle(
        columns=importing.COLUMNS, preview=importing.preview, write=importing.write,
        title=_l("Import villages and needs"), template_endpoint="needs.villages_template",
        done=import_views.done_villages,
        back=url_for("places.my_villages" if current_user.role == Role.SECRETARY
                     else "places.villages"))


@bp.get("/villages/import/template.<ext>")
@role_required(Role.SECRETARY, Role.COORDINATOR)
def villages_template(ext: str):
    return import_views.template_response(ext, importing.COLUMNS, importing.EXAMPLE,
                                          "villages-needs")
