"""The verifiers' pages: a county's figures per village and per cadre beside the county's,
the anti-fraud checks (verifiers only), inspections, and complaints about cadres."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.models import Role, User
from ..audit import services as audit
from ..auth import role_required
from ..extensions import db
from ..places.models import County
from . import evaluation, figures, rules, services
from .blueprint import _fail, bp
from .forms import DecideForm, InspectionForm
from .models import CadreComplaint, Inspection
from .policy import MonitoringError


def _county() -> County:
    """The county asked for (?county=), or the verifier's own; inside their jurisdiction."""
    from ..places import lookup

    code = request.args.get("county") or (current_user.jurisdiction
                                          if current_user.jurisdiction_level == "county" else "")
    try:  # "花垣县" or "湖南省花垣县" as well as "433124"
        code = lookup.county_code(code) if code else ""
    except lookup.NotFound:
        code = ""
    county = db.session.get(County, code) if code else None
    if county is None or not current_user.covers(county.code):
        abort(404)
    return county


def _names(ids: set[int]) -> dict[int, str]:
    return {u.id: u.display_name for u in db.session.scalars(select(User).where(
        User.id.in_(ids)))} if ids else {}


@bp.get("/monitoring/review")
@role_required(Role.VERIFIER)
def review():
    if not request.args.get("county") and current_user.jurisdiction_level != "county":
        return render_template("monitoring/review_pick.html")
    county = _county()
    data = figures.gather(county.code)
    names = _names({h.cadre_id for h in data.households if h.cadre_id is not None}
                   | {c for _h, c, _v, _p in data.ratings if c is not None})
    county_row, villages, cadres = figures.review(
        data, lambda cid: names.get(cid, "?"), county.name)
    days = list(db.session.scalars(select(Inspection.held_on).where(
        Inspection.county_code == county.code).order_by(Inspection.held_on)))
    flags = rules.check(data, services.line_for, days)
    return render_template("monitoring/review.html", county=county, county_row=county_row,
                           villages=villages, cadres=cadres, flags=flags, RULES=rules.RULES,
                           village_names=data.villages, inspections=days,
                           form=InspectionForm())


@bp.post("/monitoring/review/inspections")
@role_required(Role.VERIFIER)
def add_inspection():
    county = _county()
    form = InspectionForm()
    if form.validate_on_submit():
        inspection = Inspection(county_code=county.code, held_on=form.held_on.data,
                                created_by_id=current_user.id)
        db.session.add(inspection)
        audit.record(current_user, "monitoring.inspection", inspection,
                     after=audit.snapshot(inspection))
        db.session.commit()
        flash(_("Inspection recorded."), "success")
    else:
        flash(_("Give the day of the inspection."), "error")
    return redirect(url_for("monitoring.review", county=county.code))


@bp.get("/monitoring/complaints")
@role_required(Role.VERIFIER)
def complaints():
    return render_template("monitoring/complaints.html",
                           complaints=evaluation.complaints_for(current_user), form=DecideForm())


@bp.post("/monitoring/complaints/<int:complaint_id>/decide")
@role_required(Role.VERIFIER)
def decide(complaint_id: int):
    complaint = db.get_or_404(CadreComplaint, complaint_id)
    if not current_user.covers(complaint.household.village.county_code):
        abort(404)
    form = DecideForm()
    if form.validate_on_submit():
        try:
            evaluation.decide_complaint(current_user, complaint, form.uphold.data,
                                        form.decision.data)
            db.session.commit()
            what = _("the complaint %(id)s about a cadre's visits", id=complaint.id)
            flash(_("Upheld: %(what)s.", what=what) if form.uphold.data
                  else _("Dismissed: %(what)s.", what=what), "success")
        except MonitoringError as exc:
            _fail(exc)
    else:
        flash(_("Say what was decided."), "error")
    return redirect(url_for("monitoring.complaints"))
