"""The secretary's help-request pages: a household's new request, editing, the request's
management page, submit and close, evidence, updates and disbursements (registered on
the giving blueprint; views.py imports this module)."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import uploads
from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write, retry_conflicts
from ..extensions import db
from ..ledger import money
from . import disclosure, files, services
from .blueprint import bp, fail
from .forms import (
    DisbursementForm,
    FileForm,
    ProjectForm,
    RequestForm,
    UpdateForm,
)
from .models import Disbursement, GivingFile, HelpRequest
from .secretary import _managed, _managed_request


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
            services.add_evidence(current_user, req, uploads.read(form.file.data,
                                                                  files.max_bytes()),
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
                                      form.note.data,
                                      uploads.read(form.file.data, files.max_bytes()),
                                      form.file.data.filename or "")
        db.session.commit()
    except ValueError as exc:
        fail(exc)
        return _manage_page(db.get_or_404(HelpRequest, request_id), form)
    flash(_("Payout requested; a verifier will check the invoice."), "success")
    return redirect(url_for("giving.manage_request", request_id=request_id))
