"""Pages of pairings and their delivery: progress reports, their confirmation, disputes
and the verifier's decision, evidence files (on the matching blueprint)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import pages
from ..accounts.models import Role
from ..auth import role_required
from ..enterprises.kinds import is_money
from ..enterprises.rules import Invalid, NotAllowed
from ..extensions import db
from . import delivery, evidence, procurement, report_form, thread_views
from .blueprint import _errors, _get, beside, bp
from .forms import DecisionForm, DisputeForm, EmptyForm, ReportForm
from .models import EvidenceFile, Pairing, ProgressReport


@bp.get("/pairings")
@role_required(Role.ENTERPRISE, Role.SECRETARY, Role.VERIFIER, Role.COORDINATOR)
def pairings():
    page = pages.request_page(delivery.pairings_of(current_user), scope="pairings", per_page=50)
    return render_template("matching/pairings.html", items=page.items, page=page)


def _pairing_for_view(pairing_id: int) -> Pairing:
    pairing = _get(Pairing, pairing_id)
    if not delivery.may_see(current_user, pairing):
        abort(404)
    return pairing


@bp.get("/pairings/<int:pairing_id>")
@login_required
def pairing(pairing_id: int):
    return _pairing_page(_pairing_for_view(pairing_id), ReportForm())


def _pairing_page(p: Pairing, report_form: ReportForm,  # noqa: ANN202
                  refused: dict[tuple[str, int], object] | None = None):
    """The pairing's page; after a failed report, with the report form as it was sent
    (values kept, each error beside its field, files kept: report_form.py); after a
    refused dispute or decision, that form in its report's card the same way (`refused`:
    ("dispute" or "decide", report id) -> the form as sent)."""
    return render_template("matching/pairing.html", p=p, report_form=report_form,
                           dispute_form=DisputeForm(formdata=None),
                           decision_form=DecisionForm(formdata=None), refused=refused or {},
                           form=EmptyForm(), outstanding=delivery.outstanding(p, db.session),
                           is_enterprise=delivery.is_enterprise_of(current_user, p),
                           is_village=delivery.is_village_of(current_user, p),
                           is_verifier=delivery.is_verifier_of(current_user, p),
                           may_download=delivery.may_download(current_user, p),
                           money=is_money(p.offer.kind),
                           shop_orders=procurement.orders_of_pairing(p, db.session),
                           report_of={r.order_id: r for r in p.reports if r.order_id},
                           **thread_views.page_context(p))


@bp.post("/pairings/<int:pairing_id>/reports")
@role_required(Role.ENTERPRISE)
def report(pairing_id: int):
    p = _pairing_for_view(pairing_id)
    if not delivery.is_enterprise_of(current_user, p):
        abort(403)
    form = ReportForm()
    if not report_form.submit(p, form):
        return _pairing_page(p, form)
    db.session.commit()
    flash(_("Your report was sent to the village for confirmation."), "success")
    return redirect(url_for("matching.pairing", pairing_id=pairing_id))


def _report_action(report_id: int, action, done, form=None,  # noqa: ANN001
                   kind: str = "") -> object:
    """Run a report's answer and say what it did (`done(report)`); refused, the page again
    with `form` as it was sent (what was typed and chosen kept, each error beside its
    field) or, without one, a message."""
    report = _get(ProgressReport, report_id)
    if not delivery.may_see(current_user, report.pairing):
        abort(404)
    try:
        action(report)
    except NotAllowed:
        abort(403)
    except Invalid as exc:
        db.session.rollback()
        if form is None:
            _errors(exc)
        else:
            beside(form, exc)
            pairing = _get(Pairing, report.pairing_id)
            return _pairing_page(pairing, ReportForm(formdata=None),
                                 {(kind, report_id): form}), 400
    else:
        db.session.commit()
        flash(done(report), "success")
    return redirect(url_for("matching.pairing", pairing_id=report.pairing_id))


@bp.post("/reports/<int:report_id>/confirm")
@role_required(Role.SECRETARY)
def confirm(report_id: int):
    return _report_action(report_id, lambda r: delivery.confirm_report(current_user, r),
                          lambda r: _("Delivery confirmed: it counts toward the pairing, and "
                                      "the enterprise is told."))


@bp.post("/reports/<int:report_id>/dispute")
@role_required(Role.SECRETARY)
def dispute(report_id: int):
    # CSRFProtect has checked the token; the service checks the reason.
    form = DisputeForm()
    return _report_action(report_id, lambda r: delivery.dispute_report(
        current_user, r, form.reason.data or ""),
        lambda r: _("Your dispute was sent to the enterprise and your county's verifiers; "
                    "the report does not count unless a verifier upholds it."), form, "dispute")


@bp.post("/reports/<int:report_id>/decide")
@role_required(Role.VERIFIER)
def decide(report_id: int):
    form = DecisionForm()
    decision = request.form.get("decision")

    def decide_it(report: ProgressReport) -> None:
        if decision not in ("uphold", "reject"):
            raise Invalid({"decision": _l("Choose a decision.")})
        delivery.decide_dispute(current_user, report, decision == "uphold", form.note.data or "")
    def told(_report: ProgressReport) -> str:
        return _("The report stands and counts; both sides are told.") \
            if decision == "uphold" else \
            _("The report was rejected and does not count; both sides are told.")
    return _report_action(report_id, decide_it, told, form, "decide")


@bp.get("/disputes")
@role_required(Role.VERIFIER)
def disputes():
    items = db.session.scalars(delivery.disputes_for(current_user)).all()
    return render_template("matching/disputes.html", items=items)


@bp.get("/evidence/<int:file_id>")
@login_required
def evidence_file(file_id: int):
    f = _get(EvidenceFile, file_id)
    if not delivery.may_download(current_user, f.report.pairing):
        abort(404)
    path = evidence.path_of(f.stored_name)
    if not path.is_file():
        abort(404)
    kind = evidence.served_type(f.content_type, path)
    response = send_file(path, mimetype=kind, as_attachment=True,
                         download_name=evidence.download_name(f.id, kind), max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
