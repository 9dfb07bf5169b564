"""Places: county look-up for forms, the coordinator's east–west pair editor, and villages
(registration, correction, hand-over, the public list and page)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from .. import nav
from ..accounts.models import Role, User
from ..auth import national_required, role_required
from ..extensions import db
from ..i18n import current_language
from . import services
from . import villages as village_services
from .forms import EastWestForm, HandOverForm, VillageForm
from .models import Village
from .rules import Invalid, NotAllowed

bp = Blueprint("places", __name__)


@bp.get("/places/counties")
def counties():
    """Counties of a province, for the county pickers of forms (cached by browsers)."""
    code = request.args.get("province", "")
    rows = [{"code": c.code, "name": c.name, "city": c.city} for c in services.counties_of(code)]
    response = {"province": code, "counties": rows}
    return response, 200, {"Cache-Control": "public, max-age=86400"}


def _parse(text: str) -> list[tuple[str, str]]:
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        east, sep, west = line.partition("-")
        if not sep or not east.strip().isdigit() or not west.strip().isdigit():
            raise ValueError(_("Line %(n)d is not of the form 44-45.", n=number))
        pairs.append((east.strip(), west.strip()))
    return pairs


@bp.route("/admin/east-west", methods=["GET", "POST"])
@national_required
def east_west():
    form = EastWestForm()
    names = {p.code: p for p in services.provinces()}
    if form.validate_on_submit():
        try:
            services.replace_east_west_pairs(current_user, _parse(form.pairs.data or ""))
        except ValueError as exc:
            form.pairs.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The east–west cooperation pairs were saved."), "success")
            return redirect(url_for("places.east_west"))
    elif request.method == "GET":
        form.pairs.data = "\n".join(f"{e}-{w}" for e, w in services.east_west_pairs())
    return render_template("places/east_west.html", form=form, names=names,
                           pairs=services.east_west_pairs())


# Villages --------------------------------------------------------------------------------

nav.add("places.villages", _l("Villages"), order=23)
nav.add("places.my_villages", _l("My villages"), roles=("secretary",), order=31)


def _may_see(village: Village) -> bool:
    if village.status == "verified":
        return True
    user = current_user
    if not user.is_authenticated:
        return False
    if village.secretary_id == user.id or village.created_by_id == user.id:
        return True
    return user.role in (Role.VERIFIER, Role.COORDINATOR) and user.covers(village.county_code)


@bp.get("/villages")
def villages():
    from ..enterprises.views import list_context
    from ..needs import browse  # villages are filtered by what their needs ask for

    f = browse.Filters.from_args(request.args)
    return render_template("places/villages.html", page=browse.villages(f), **list_context(f))


@bp.get("/villages/<int:ident>")
def village(ident: int):
    from ..needs.models import Need

    row = db.get_or_404(Village, ident)
    if not _may_see(row):
        abort(404)
    owner = village_services.may_edit_village(current_user, row)
    q = select(Need).where(Need.village_id == row.id).order_by(Need.priority.desc(), Need.id)
    if not owner:
        q = q.where(Need.status.in_(("open", "partly_met", "met")))
    from ..giving.services import public_query
    from ..matching.delivery import pairings_of_village

    requests_count = db.session.scalar(select(func.count()).select_from(
        public_query(village=str(row.id)).subquery()))
    return render_template("places/village.html", village=row, owner=owner,
                           needs=list(db.session.scalars(q)),
                           village_pairings=pairings_of_village(row.id),
                           requests_count=requests_count,
                           hand_over=HandOverForm() if current_user.is_authenticated
                           and current_user.role == Role.COORDINATOR else None)


@bp.get("/my/villages")
@role_required(Role.SECRETARY)
def my_villages():
    return render_template("places/my_villages.html",
                           villages=village_services.villages_of(current_user))


def _village_form(form: VillageForm, row: Village | None):
    from ..enterprises.forms import show_errors

    form.fill_places(current_language())
    if form.validate_on_submit():
        try:
            if row is None:
                row = village_services.register_village(current_user, form.data_for_service())
                message = _("The village was registered and waits for a verifier.")
            else:
                village_services.update_village(current_user, row, form.data_for_service())
                message = _("Saved. The village waits for a verifier again.")
        except Invalid as exc:
            db.session.rollback()
            show_errors(form, exc.errors)
        except NotAllowed:
            abort(403)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("places.village", ident=row.id))
    return render_template("places/village_form.html", form=form, village=row)


@bp.route("/villages/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY, Role.COORDINATOR)
def new_village():
    return _village_form(VillageForm(), None)


@bp.route("/villages/<int:ident>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def edit_village(ident: int):
    row = db.get_or_404(Village, ident)
    if not village_services.may_edit_village(current_user, row):
        abort(403)
    return _village_form(VillageForm(obj=row if request.method == "GET" else None), row)


@bp.post("/villages/<int:ident>/hand-over")
@role_required(Role.COORDINATOR)
def hand_over(ident: int):
    row = db.get_or_404(Village, ident)
    form = HandOverForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        try:
            if user is None:
                raise Invalid({"email": _("No active secretary has this e-mail address.")})
            village_services.hand_over(current_user, row, user)
        except Invalid as exc:
            db.session.rollback()
            flash(str(next(iter(exc.errors.values()))), "error")
        except NotAllowed:
            abort(403)
        else:
            db.session.commit()
            flash(_("The village was handed to %(name)s.", name=user.display_name), "success")
    return redirect(url_for("places.village", ident=row.id))
