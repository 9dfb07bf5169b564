"""The secretary's giving pages: households, their consent and contact card, village
projects (help requests, evidence, updates and disbursements: secretary_requests.py)."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write
from ..extensions import db, limiter
from ..places.models import Village
from . import contact_card as card_facts
from . import services
from .blueprint import bp, fail
from .forms import (
    ConsentForm,
    HouseholdForm,
    HouseholdUpdateForm,
    ProjectForm,
)
from .models import HelpRequest, Household


def _managed(household_id: int) -> Household:
    household = db.get_or_404(Household, household_id)
    if not services.manages(current_user, household):
        abort(404)
    return household


def _managed_request(request_id: int) -> HelpRequest:
    req = db.get_or_404(HelpRequest, request_id)
    if not services.manages_request(current_user, req):
        abort(404)
    return req


@bp.get("/giving/households")
@role_required(Role.SECRETARY)
def households():
    from ..needs.models import Need

    needs = db.session.scalars(select(Need).join(Village).where(
        Village.secretary_id == current_user.id, Village.status == "verified",
        Need.kind.in_(services.PROJECT_KINDS), Need.status.in_(("open", "partly_met")))).all()
    projects = services.projects_of(current_user)
    taken = {p.need_id for p in projects}
    return render_template("giving/households.html",
                           households=services.households_of(current_user), projects=projects,
                           needs=[n for n in needs if n.id not in taken])


@bp.route("/giving/needs/<int:need_id>/project", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def new_project(need_id: int):
    """Open a verified village need of the public-welfare mechanism as a project."""
    from ..needs.models import Need

    need = db.get_or_404(Need, need_id)
    if need.village.secretary_id != current_user.id:
        abort(404)
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            req = services.create_project(
                current_user, need, title=form.title.data, story=form.story.data,
                amount_needed_fen=form.amount.fen,
                deadline=datetime.combine(form.deadline.data, time(23, 59)))
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            return redirect(url_for("giving.manage_request", request_id=req.id))
    elif request.method == "GET":
        form.story.data = need.description
    return render_template("giving/project_form.html", form=form, need=need)


def _household_limit() -> str:
    return current_app.config.get("HOUSEHOLD_RATE_LIMIT", "30 per hour")


def _account_key() -> str:
    return f"household-new:{current_user.id}"


@bp.route("/giving/households/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
# Per account: each registration reads the ID-number index, so it must not be a fast probe.
@limiter.limit(_household_limit, methods=["POST"], key_func=_account_key)
def new_household():
    # Only a verified village: a self-registered secretary of a pending one registers nobody.
    villages = db.session.scalars(select(Village).where(
        Village.secretary_id == current_user.id, Village.status == "verified")).all()
    if not villages:
        flash(_("Households are registered in a verified village: register your village "
                "and wait for its verification."), "error")
        return redirect(url_for("giving.households"))
    form = HouseholdForm()
    if form.validate_on_submit():
        data = services.HouseholdData(
            registration_no=form.registration_no.data, head_name=form.head_name.data,
            id_number=form.id_number.data, address=form.address.data or "",
            members=form.members.data, income_per_capita=form.income_per_capita.data,
            causes=tuple(form.causes.data or ()), cadre_name=form.cadre_name.data,
            cadre_phone=form.cadre_phone.data or "",
            family_tie=form.family_tie.data, consent_publish=form.consent_publish.data,
            consent_sensitive=form.consent_sensitive.data)
        village = next((v for v in villages if str(v.id) == request.form.get("village")),
                       villages[0])
        try:
            household = services.register_household(current_user, village, data)
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            flash(_("Household registered."), "success")
            return redirect(url_for("giving.household", household_id=household.id))
    return render_template("giving/household_form.html", form=form, villages=villages)


@bp.get("/giving/households/<int:household_id>")
@login_required
def household(household_id: int):
    household = db.get_or_404(Household, household_id)
    try:
        personal = services.view_personal(current_user, household)
    except services.Forbidden:
        abort(404)
    db.session.commit()  # the view is logged
    consent = ConsentForm(obj=household)
    # Whether the ID number is registered elsewhere is for verifiers: the secretary who
    # typed it must not learn that someone is a poor household, nor where.
    dups = services.duplicates(household) if current_user.role == Role.VERIFIER else []
    return render_template("giving/household.html", h=household, personal=personal,
                           consent=consent, duplicates=dups,
                           manages=services.manages(current_user, household))


@bp.route("/giving/households/<int:household_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def edit_household(household_id: int):
    household = _managed(household_id)
    form = HouseholdUpdateForm(obj=household)
    if request.method == "GET":
        services.view_personal(current_user, household)  # the form shows them: logged
        db.session.commit()
        form.causes.data = household.cause_list
    if form.validate_on_submit():
        change = services.HouseholdChange(
            address=form.address.data or "", members=form.members.data,
            income_per_capita=form.income_per_capita.data,
            causes=tuple(form.causes.data or ()), cadre_name=form.cadre_name.data,
            cadre_phone=form.cadre_phone.data or "",
            family_tie=form.family_tie.data)
        try:
            begin_write()
            changed = services.update_household(current_user, household, change)
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("giving.household", household_id=household_id))
    return render_template("giving/household_form.html", form=form, h=household)


@bp.post("/giving/households/<int:household_id>/consent")
@role_required(Role.SECRETARY)
def consent(household_id: int):
    household = _managed(household_id)
    form = ConsentForm()
    if form.validate_on_submit():
        services.set_consent(current_user, household, form.consent_publish.data,
                             form.consent_sensitive.data)
        db.session.commit()
        flash(_("Consent saved."), "success")
    return redirect(url_for("giving.household", household_id=household_id))


@bp.get("/giving/households/<int:household_id>/card")
@login_required
def contact_card(household_id: int):
    """The printable 精准帮扶联系卡: cadre, help received, QR code to the public trail."""
    household = db.get_or_404(Household, household_id)
    if not services.may_see_personal(current_user, household):
        abort(404)
    url = card_facts.public_link("giving.trail", household_id=household.id)
    return render_template("giving/card.html", h=household, qr=card_facts.qr_svg(url), url=url,
                           received=card_facts.help_received(household))


