"""Places: county look-up for forms and the coordinator's east–west pair editor."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..auth import role_required
from ..extensions import db
from . import services
from .forms import EastWestForm

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
@role_required(Role.COORDINATOR)
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
