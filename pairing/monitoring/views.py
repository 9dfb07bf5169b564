"""Monitoring pages: households over time and the watch list (personal: their cadre, their
village's secretary and verifiers in jurisdiction, each view logged), the yearly poverty
lines, and public counts. Ratings are in rating_views.py, the verifiers' review in
review.py; all register on this blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from .. import nav
from ..accounts.models import COUNTRY, Role
from ..auth import role_required
from ..extensions import db
from ..giving.forms import CAUSE_LABELS
from ..giving.models import Household
from ..places.models import County, Province, Village
from . import figures, services
from .blueprint import _fail, bp
from .forms import SHOCK_LABELS, WATCH_LABELS, CadreForm, EmptyForm, LineForm, VisitForm
from .models import MonitoredHousehold
from .policy import MonitoringError, is_secretary, may_confirm, may_record, may_see

nav.add("monitoring.households", _l("Monitoring"), roles=(Role.SECRETARY, Role.VERIFIER),
        order=34)
nav.add("monitoring.lines", _l("Poverty lines"), roles=(Role.COORDINATOR,), order=93)
nav.add("monitoring.public_figures", _l("Poverty exits"), order=25)


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {"SHOCK_LABELS": SHOCK_LABELS, "WATCH_LABELS": WATCH_LABELS,
            "monitoring_counts": figures.counts_by, "monitoring_shown": figures.shown}


def _household(household_id: int, allowed=may_see) -> tuple[Household, MonitoredHousehold | None]:  # noqa: ANN001
    """The household if the actor is allowed; 404 otherwise (nothing tells it exists)."""
    household = db.get_or_404(Household, household_id)
    state = services.state_of(household)
    if not allowed(current_user, household, state):
        abort(404)
    return household, state


@bp.get("/monitoring")
@role_required(Role.SECRETARY, Role.VERIFIER)
def households():
    """A secretary's and a cadre's households; a verifier's watch list in jurisdiction."""
    query = (select(Household, MonitoredHousehold).join(Village)
             .outerjoin(MonitoredHousehold,
                        MonitoredHousehold.household_id == Household.id))
    watched_only = current_user.role == Role.VERIFIER or request.args.get("watch") == "1"
    if current_user.role == Role.SECRETARY:
        query = query.where(or_(Village.secretary_id == current_user.id,
                                MonitoredHousehold.cadre_id == current_user.id))
    elif current_user.jurisdiction != COUNTRY:
        query = query.where(Village.county_code.startswith(current_user.jurisdiction))
    if watched_only:
        query = query.where(MonitoredHousehold.watched.is_(True))
    rows = db.session.execute(query.order_by(Village.name, Household.registration_no)
                              .limit(500)).all()
    return render_template("monitoring/households.html", rows=rows, watched_only=watched_only)


@bp.get("/monitoring/households/<int:household_id>")
@login_required
def household(household_id: int):
    h, _state = _household(household_id)
    state, visits = services.view(current_user, h)
    db.session.commit()  # the logged view
    latest = visits[0] if visits else None
    line = services.line_for(latest.visited_on.year) if latest else None
    return render_template(
        "monitoring/household.html", h=h, state=state, visits=visits, line=line,
        exit_problem=services.exit_blocker(latest, line) if line else None,
        watch_problem=services.exit_blocker(latest, line, watch=True) if line else None,
        records=may_record(current_user, h, state), manages=is_secretary(current_user, h),
        confirms=may_confirm(current_user, h, state), CAUSE_LABELS=CAUSE_LABELS,
        button=EmptyForm(), cadre_form=CadreForm())


@bp.route("/monitoring/households/<int:household_id>/visits/new", methods=["GET", "POST"])
@login_required
def new_visit(household_id: int):
    h, _state = _household(household_id, may_record)
    form = VisitForm()
    if request.method == "GET":
        form.food_clothing.data = form.schooling.data = form.medical.data = True
        form.housing.data = form.water.data = True
    if form.validate_on_submit():
        try:
            services.record_visit(current_user, h, services.VisitData(
                visited_on=form.visited_on.data, income_per_capita=form.income_per_capita.data,
                workers_away=form.workers_away.data, workers_local=form.workers_local.data,
                causes=tuple(form.causes.data or ()), food_clothing=form.food_clothing.data,
                schooling=form.schooling.data, medical=form.medical.data,
                housing=form.housing.data, water=form.water.data, shock=form.shock.data))
            db.session.commit()
            flash(_("Visit recorded."), "success")
            return redirect(url_for("monitoring.household", household_id=h.id))
        except MonitoringError as exc:
            _fail(exc)
    return render_template("monitoring/visit_form.html", form=form, h=h), (
        400 if request.method == "POST" else 200)


@bp.post("/monitoring/households/<int:household_id>/cadre")
@role_required(Role.SECRETARY)
def cadre(household_id: int):
    h, _state = _household(household_id, lambda a, hh, _s: is_secretary(a, hh))
    form = CadreForm()
    if form.validate_on_submit():
        try:
            services.assign_cadre(current_user, h, form.email.data)
            db.session.commit()
            flash(_("Cadre named."), "success")
        except MonitoringError as exc:
            _fail(exc)
    else:
        flash(_("Give the e-mail address of the cadre's account."), "error")
    return redirect(url_for("monitoring.household", household_id=h.id))


@bp.post("/monitoring/households/<int:household_id>/<any(exit, unwatch):what>")
@role_required(Role.VERIFIER)
def confirm(household_id: int, what: str):
    h, _state = _household(household_id, may_confirm)
    form = EmptyForm()
    if not form.validate_on_submit():
        # Only its token can fail (when the site-wide check did not run first): say so
        # instead of returning to the page without a word.
        flash(_("The form expired or was sent from elsewhere. Reload the page and try "
                "again."), "error")
    else:
        try:
            if what == "exit":
                services.confirm_exit(current_user, h)
                flash(_("Exit from poverty confirmed."), "success")
            else:
                services.confirm_off_watch(current_user, h)
                flash(_("The household left the watch list."), "success")
            db.session.commit()
        except MonitoringError as exc:
            _fail(exc)
    return redirect(url_for("monitoring.household", household_id=h.id))


@bp.route("/monitoring/lines", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def lines():
    form = LineForm()
    editable = current_user.jurisdiction == COUNTRY
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                services.set_line(current_user, form.year.data, form.line_yuan.data,
                                  form.margin_pct.data)
                db.session.commit()
                flash(_("Poverty line saved."), "success")
                return redirect(url_for("monitoring.lines"))
            except MonitoringError as exc:
                _fail(exc)
    return render_template("monitoring/lines.html", form=form, lines=services.lines(),
                           editable=editable), (400 if request.method == "POST" else 200)


@bp.get("/monitoring/figures")
def public_figures():
    """Counts by province, or by county inside one province; never below the county."""
    province = request.args.get("province", "")
    if province and db.session.get(Province, province) is None:
        abort(404)
    counts = figures.counts_by("county" if province else "province",
                               within=province or None)
    names = ({c.code: c.name for c in db.session.scalars(
        select(County).where(County.province_code == province))} if province else
        {p.code: p for p in db.session.scalars(select(Province))})
    return render_template("monitoring/figures.html", counts=counts, names=names,
                           province=db.session.get(Province, province) if province else None)


# Ratings and the verifiers' review register on bp when imported.
from . import rating_views, review  # noqa: E402, F401
