"""The secretary's giving pages: households, their consent and contact card, help requests,
village projects, evidence, updates and disbursements."""

from __future__ import annotations

from datetime import datetime, time

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write, retry_conflicts
from ..extensions import db, limiter
from ..ledger import money
from ..places.models import Village
from . import disclosure, services
from .blueprint import bp, fail
from .forms import (
    ConsentForm,
    DisbursementForm,
    FileForm,
    HouseholdForm,
    HouseholdUpdateForm,
    ProjectForm,
    RequestForm,
    UpdateForm,
)
from .models import Disbursement, GivingFile, HelpRequest, Household


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
    url = url_for("giving.trail", household_id=household.id, _external=True)
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=False)
    received = sum(r.disbursed_fen for r in household.requests)
    return render_template("giving/card.html", h=household, qr=Markup(svg), url=url,
                           received=received)


@bp.route("/giving/households/<int:household_id>/requests/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def new_request(household_id: int):
    household = _managed(household_id)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            req = services.create_request(
                current_user, household, purpose=form.purpose.data, title=form.title.data,
                story=form.story.data, diagnosis=form.diagnosis.data or "",
                show_diagnosis=form.show_diagnosis.data, amount_needed_fen=form.amount.fen,
                deadline=datetime.combine(form.deadline.data, time(23, 59)))
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            return redirect(url_for("giving.manage_request", request_id=req.id))
    elif request.method == "GET" and request.args.get("from") == "watch":
        from ..monitoring.drafts import request_draft  # a watched household's draft

        if (draft := request_draft(current_user, household)) is None:
            abort(404)
        form.purpose.data, form.title.data, form.story.data = (
            draft.purpose, draft.title, draft.story)
    return render_template("giving/request_form.html", form=form, h=household)


@bp.route("/giving/requests/<int:request_id>/edit", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def edit_request(request_id: int):
    """The form the request was drafted with, filled in: a household's or a project's."""
    req = _managed_request(request_id)
    if req.status not in (services.S.DRAFT, services.S.REJECTED):
        flash(_("Only a draft or rejected request can be changed."), "error")
        return redirect(url_for("giving.manage_request", request_id=req.id))
    form = (ProjectForm if req.need else RequestForm)(obj=req)
    if request.method == "GET":
        form.amount.data = money.plain(req.amount_needed_fen)
        form.deadline.data = req.deadline.date()
    if form.validate_on_submit():
        household = {} if req.need else {
            "purpose": form.purpose.data, "diagnosis": form.diagnosis.data or "",
            "show_diagnosis": form.show_diagnosis.data}
        try:
            begin_write()
            services.update_request(
                current_user, req, title=form.title.data, story=form.story.data,
                amount_needed_fen=form.amount.fen,
                deadline=datetime.combine(form.deadline.data, time(23, 59)), **household)
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("giving.manage_request", request_id=req.id))
    if req.need:
        return render_template("giving/project_form.html", form=form, need=req.need, req=req)
    return render_template("giving/request_form.html", form=form, h=req.household, req=req)


def _manage_page(req: HelpRequest, disb_form: DisbursementForm | None = None) -> str:
    evidence = db.session.scalars(select(GivingFile).where(GivingFile.request_id == req.id)
                                  .order_by(GivingFile.id)).all()
    disbursements = db.session.scalars(select(Disbursement).where(
        Disbursement.request_id == req.id).order_by(Disbursement.id)).all()
    return render_template("giving/request_manage.html", req=req, evidence=evidence,
                           disbursements=disbursements, file_form=FileForm(formdata=None),
                           disb_form=disb_form or DisbursementForm(formdata=None),
                           update_form=UpdateForm(formdata=None),
                           status=services.effective_status(req), told=disclosure.illness_told(req))


@bp.get("/giving/requests/<int:request_id>")
@role_required(Role.SECRETARY)
def manage_request(request_id: int):
    return _manage_page(_managed_request(request_id))


@bp.post("/giving/requests/<int:request_id>/<any(submit, close):action>")
@role_required(Role.SECRETARY)
def request_action(request_id: int, action: str):
    req = _managed_request(request_id)
    try:
        (services.submit_request if action == "submit" else services.close_request)(
            current_user, req)
        db.session.commit()
        flash(_("Submitted for verification.") if action == "submit" else _("Closed."),
              "success")
    except ValueError as exc:
        fail(exc)
    return redirect(url_for("giving.manage_request", request_id=request_id))


@bp.post("/giving/requests/<int:request_id>/evidence")
@role_required(Role.SECRETARY)
def evidence(request_id: int):
    req = _managed_request(request_id)
    form = FileForm()
    if form.validate_on_submit():
        try:
            services.add_evidence(current_user, req, form.file.data.read(),
                                  form.file.data.filename or "")
            db.session.commit()
            flash(_("File added."), "success")
        except ValueError as exc:
            fail(exc)
    else:
        flash(_("Choose a file."), "error")
    return redirect(url_for("giving.manage_request", request_id=request_id))


@bp.post("/giving/requests/<int:request_id>/update")
@role_required(Role.SECRETARY)
def add_update(request_id: int):
    req = _managed_request(request_id)
    form = UpdateForm()
    if form.validate_on_submit():
        services.add_update(current_user, req, form.body.data)
        db.session.commit()
        flash(_("Update published."), "success")
    return redirect(url_for("giving.manage_request", request_id=request_id))


@bp.get("/giving/requests/<int:request_id>/disburse")
@role_required(Role.SECRETARY)
def disburse_page(request_id: int):
    """Reloading the page a refused payout left in the address bar."""
    return redirect(url_for("giving.manage_request", request_id=request_id, _anchor="payout"))


@bp.post("/giving/requests/<int:request_id>/disburse")
@role_required(Role.SECRETARY)
@retry_conflicts
def disburse(request_id: int):
    """On a mistake the page comes back with the form as typed and the error next to its
    field (a browser never keeps a chosen file, so the invoice is chosen again)."""
    req = _managed_request(request_id)
    form = DisbursementForm()
    if not form.validate_on_submit():
        flash(_("The payout was not requested: correct the marked fields below."), "error")
        return _manage_page(req, form)
    try:
        begin_write()
        services.request_disbursement(current_user, request_id, form.amount.fen,
                                      form.note.data, form.file.data.read(),
                                      form.file.data.filename or "")
        db.session.commit()
    except ValueError as exc:
        fail(exc)
        return _manage_page(db.get_or_404(HelpRequest, request_id), form)
    flash(_("Payout requested; a verifier will check the invoice."), "success")
    return redirect(url_for("giving.manage_request", request_id=request_id))
