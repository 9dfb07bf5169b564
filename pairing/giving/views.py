"""Giving pages: the public crowdfunding pages, the donor's gifts and receipts, the
secretary's households and requests, the verifier's queue, downloads of evidence."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, time

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write, utcnow
from ..extensions import db, limiter
from ..payments import providers
from ..places.models import County, Province, Village
from . import files, matching, services
from . import verify as _verify  # noqa: F401 - registers the verifier queue's sections
from .forms import (
    PURPOSE_LABELS,
    STATUS_LABELS,
    ComplaintForm,
    ConsentForm,
    DecisionForm,
    DisbursementForm,
    DonateForm,
    FileForm,
    HouseholdForm,
    MatchForm,
    ProjectForm,
    RequestForm,
    UpdateForm,
)
from .models import (
    Complaint,
    Disbursement,
    Donation,
    GivingFile,
    HelpRequest,
    Household,
    RequestStatus,
    RequestUpdate,
)

bp = Blueprint("giving", __name__)
nav.add("giving.crowdfunding", _l("Crowdfunding"), order=30)
nav.add("giving.households", _l("Poor households"), roles=(Role.SECRETARY,), order=31)
nav.add("giving.my_gifts", _l("My gifts"), roles=(Role.DONOR,), order=32)
nav.add("giving.new_match", _l("Match gifts"), roles=(Role.ENTERPRISE,), order=33)


@bp.app_template_filter("yuan")
def yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


@bp.app_context_processor
def giving_labels() -> dict[str, object]:
    return {"PURPOSE_LABELS": PURPOSE_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "effective_status": services.effective_status,
            "gifts_matched": matching.matched_total}


def _fail(exc: Exception) -> None:
    db.session.rollback()
    if isinstance(exc, services.Forbidden):
        abort(403)
    flash(str(exc), "error")


def _days_left(req: HelpRequest, now: datetime) -> int:
    return max(0, (req.deadline - now).days)


# --- public ---------------------------------------------------------------------------

def _public_or_404(request_id: int) -> HelpRequest:
    req = db.get_or_404(HelpRequest, request_id)
    if not services.is_public(req):
        abort(404)
    return req


def _with_card_rows(query):  # noqa: ANN001, ANN202
    """Load what a card shows with the requests, not one query per card."""
    return query.options(
        selectinload(HelpRequest.village).joinedload(Village.county).joinedload(County.province),
        selectinload(HelpRequest.household))


def _card(req: HelpRequest, now: datetime) -> dict[str, object]:
    """What a card or the JSON shows: no personal data beyond the consent."""
    v = req.village
    return {"id": req.id, "title": req.title, "purpose": req.purpose,
            "household": req.household.public_name if req.household else _("Village project"),
            "village": v.name, "project": req.is_project,
            "county": v.county.name, "province": v.county.province.name,
            "needed_fen": req.amount_needed_fen, "raised_fen": req.raised_fen,
            "donors": req.donors_count, "days_left": _days_left(req, now),
            "status": services.effective_status(req, now)}


@bp.get("/crowdfunding")
def crowdfunding():
    now = utcnow()
    args = {k: request.args.get(k, "") for k in ("purpose", "province", "sort", "village")}
    page = db.paginate(_with_card_rows(services.public_query(**args, now=now)), per_page=24,
                       error_out=False)
    provinces = db.session.scalars(select(Province).order_by(Province.code)).all()
    cards = [_card(r, now) for r in page.items]
    doubled = matching.badges([c["id"] for c in cards])
    for c in cards:
        c["matched_by"] = doubled.get(c["id"], [])
    return render_template("giving/crowdfunding.html", page=page, args=args, now=now,
                           cards=cards, provinces=provinces)


@bp.get("/crowdfunding.json")
def crowdfunding_json():
    now = utcnow()
    rows = db.session.scalars(_with_card_rows(services.public_query(now=now)).limit(200)).all()
    return jsonify([_card(r, now) for r in rows])


def _donate_form(req: HelpRequest) -> DonateForm:
    form = DonateForm()
    form.provider.choices = [(p.name, str(p.label)) for p in providers.enabled()]
    others = [r for r in db.session.scalars(services.public_query(sort="urgent").limit(30))
              if r.id != req.id and services.effective_status(r) == "open"]
    form.fallback.choices = [(0, _("Refund me"))] + [
        (r.id, _("Move my gift to: %(title)s", title=r.title)) for r in others]
    if not form.key.data:
        form.key.data = uuid.uuid4().hex
    return form


@bp.get("/crowdfunding/<int:request_id>")
def public_request(request_id: int):
    req = _public_or_404(request_id)
    now = utcnow()
    updates = db.session.scalars(select(RequestUpdate).where(
        RequestUpdate.request_id == req.id).order_by(RequestUpdate.id.desc())).all()
    paid = db.session.scalars(select(Disbursement).where(
        Disbursement.request_id == req.id, Disbursement.status == "approved")
        .order_by(Disbursement.id)).all()
    return render_template(
        "giving/request_public.html", req=req, card=_card(req, now), updates=updates,
        paid=paid, donors=services.public_donors(req), form=_donate_form(req),
        matched_by=matching.badges([req.id]).get(req.id, []),
        complaint=ComplaintForm(), open_complaint=services.has_open_complaint(req),
        status=services.effective_status(req, now))


@bp.get("/crowdfunding/<int:request_id>.json")
def public_request_json(request_id: int):
    req = _public_or_404(request_id)
    data = _card(req, utcnow())
    data["story"] = req.story
    data["donor_list"] = [{"name": None if d.anonymous or d.donor is None
                           else d.donor.display_name, "amount_fen": d.amount_fen,
                           "status": d.status} for d in services.public_donors(req)]
    return jsonify(data)


@bp.post("/crowdfunding/<int:request_id>/donate")
@role_required(Role.DONOR, Role.ENTERPRISE)
def donate(request_id: int):
    req = _public_or_404(request_id)
    form = _donate_form(req)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("giving.public_request", request_id=request_id))
    try:
        begin_write()
        donation = services.donate(
            current_user, request_id, form.amount.fen, form.key.data,
            message=form.message.data or "", anonymous=form.anonymous.data,
            provider=form.provider.data, fallback_request_id=form.fallback.data or None)
        db.session.commit()
    except ValueError as exc:
        _fail(exc)
        return redirect(url_for("giving.public_request", request_id=request_id))
    if donation.status == "pending":
        return redirect(url_for("payments.show", payment_id=donation.payment_id))
    flash(_("Thank you! Your gift of %(amount)s was received.", amount=yuan(donation.amount_fen)),
          "success")
    return redirect(url_for("giving.receipt", donation_id=donation.id))


@bp.post("/crowdfunding/<int:request_id>/report")
@limiter.limit("5 per hour")
def report(request_id: int):
    req = _public_or_404(request_id)
    form = ComplaintForm()
    if form.validate_on_submit():
        try:
            services.file_complaint(req, form.body.data, form.contact.data or "")
            db.session.commit()
            flash(_("Thank you. A verifier will look at your report; until then this request "
                    "takes no gifts."), "success")
        except ValueError as exc:
            _fail(exc)
    else:
        flash(_("Please describe the problem."), "error")
    return redirect(url_for("giving.public_request", request_id=request_id))


def _report_subject(subject, back: str):  # noqa: ANN001
    form = ComplaintForm()
    if form.validate_on_submit():
        try:
            services.file_subject_complaint(subject, form.body.data, form.contact.data or "")
            db.session.commit()
            flash(_("Thank you. A verifier will look at your report."), "success")
        except ValueError as exc:
            _fail(exc)
    else:
        flash(_("Please describe the problem."), "error")
    return redirect(back)


@bp.post("/villages/<int:village_id>/report")
@limiter.limit("5 per hour")
def report_village(village_id: int):
    village = db.get_or_404(Village, village_id)
    if village.status != "verified":
        abort(404)
    return _report_subject(village, url_for("places.village", ident=village_id))


@bp.post("/enterprises/<int:enterprise_id>/report")
@limiter.limit("5 per hour")
def report_enterprise(enterprise_id: int):
    from ..enterprises.models import Enterprise

    enterprise = db.get_or_404(Enterprise, enterprise_id)
    if enterprise.status != "verified":
        abort(404)
    return _report_subject(enterprise, url_for("enterprises.show", ident=enterprise_id))


@bp.get("/crowdfunding/household/<int:household_id>")
def trail(household_id: int):
    """The household's public trail (the QR code of its contact card points here)."""
    household = db.get_or_404(Household, household_id)
    if not household.consent_publish:
        abort(404)
    reqs = [r for r in household.requests if services.is_public(r)]
    return render_template("giving/trail.html", household=household, reqs=reqs)


# --- donors -----------------------------------------------------------------------------

@bp.get("/giving/my-gifts")
@login_required
def my_gifts():
    gifts = db.session.scalars(select(Donation).where(Donation.donor_id == current_user.id)
                               .order_by(Donation.id.desc())).all()
    return render_template("giving/my_gifts.html", gifts=gifts)


@bp.get("/giving/receipts/<int:donation_id>")
@login_required
def receipt(donation_id: int):
    donation = db.get_or_404(Donation, donation_id)
    if donation.donor_id != current_user.id:
        abort(404)
    from ..payments.models import Payment

    payment = db.session.get(Payment, donation.payment_id) if donation.payment_id else None
    return render_template("giving/receipt.html", d=donation, payment=payment,
                           demo_payment=payment is None or payment.is_demo)


# --- secretaries ----------------------------------------------------------------------

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
            _fail(exc)
        else:
            return redirect(url_for("giving.manage_request", request_id=req.id))
    elif request.method == "GET":
        form.story.data = need.description
    return render_template("giving/project_form.html", form=form, need=need)


@bp.route("/giving/households/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def new_household():
    villages = db.session.scalars(select(Village).where(
        Village.secretary_id == current_user.id)).all()
    if not villages:
        flash(_("Register your village first."), "error")
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
            _fail(exc)
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
    return render_template("giving/household.html", h=household, personal=personal,
                           consent=consent, duplicates=services.duplicates(household),
                           manages=services.manages(current_user, household))


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
            _fail(exc)
        else:
            return redirect(url_for("giving.manage_request", request_id=req.id))
    return render_template("giving/request_form.html", form=form, h=household)


@bp.get("/giving/requests/<int:request_id>")
@role_required(Role.SECRETARY)
def manage_request(request_id: int):
    req = _managed_request(request_id)
    evidence = db.session.scalars(select(GivingFile).where(GivingFile.request_id == req.id)
                                  .order_by(GivingFile.id)).all()
    disbursements = db.session.scalars(select(Disbursement).where(
        Disbursement.request_id == req.id).order_by(Disbursement.id)).all()
    return render_template("giving/request_manage.html", req=req, evidence=evidence,
                           disbursements=disbursements, file_form=FileForm(),
                           disb_form=DisbursementForm(), update_form=UpdateForm(),
                           status=services.effective_status(req))


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
        _fail(exc)
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
            _fail(exc)
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


@bp.post("/giving/requests/<int:request_id>/disburse")
@role_required(Role.SECRETARY)
def disburse(request_id: int):
    _managed_request(request_id)
    form = DisbursementForm()
    if form.validate_on_submit():
        try:
            begin_write()
            services.request_disbursement(current_user, request_id, form.amount.fen,
                                          form.note.data, form.file.data.read(),
                                          form.file.data.filename or "")
            db.session.commit()
            flash(_("Payout requested; a verifier will check the invoice."), "success")
        except ValueError as exc:
            _fail(exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("giving.manage_request", request_id=request_id))


@bp.get("/giving/files/<int:file_id>")
@login_required
def download(file_id: int):
    record = db.get_or_404(GivingFile, file_id)
    if not services.may_download(current_user, record):
        abort(404)
    return send_file(io.BytesIO(files.path_of(record.stored_name).read_bytes()),
                     mimetype=record.mime, as_attachment=True,
                     download_name=f"{record.kind}-{record.id}.{record.stored_name.rsplit('.')[-1]}")


# --- verifiers --------------------------------------------------------------------------

@bp.get("/giving/verify")
@role_required(Role.VERIFIER)
def verify_queue():
    return render_template("giving/verify_queue.html",
                           queue=services.verifier_queue(current_user), may=services.may_verify)


@bp.route("/giving/verify/requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.VERIFIER)
def verify_request(request_id: int):
    req = db.get_or_404(HelpRequest, request_id)
    if not (services.may_see_personal(current_user, req.household) if req.household
            else current_user.covers(req.village.county_code)):
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.verify_request(current_user, req, request.form.get("decision") == "approve",
                                    form.reason.data or "")
            db.session.commit()
        except ValueError as exc:
            _fail(exc)
        else:
            flash(_("Decision saved."), "success")
            return redirect(url_for("giving.verify_queue"))
    personal = services.view_personal(current_user, req.household) if req.household else None
    db.session.commit()
    evidence = db.session.scalars(select(GivingFile).where(GivingFile.request_id == req.id)).all()
    return render_template("giving/verify_request.html", req=req, form=form, personal=personal,
                           duplicates=services.duplicates(req.household) if req.household
                           else [], evidence=evidence,
                           may=services.may_verify(current_user, req))


@bp.post("/giving/verify/<any(complaints, disbursements):kind>/<int:item_id>")
@role_required(Role.VERIFIER)
def decide(kind: str, item_id: int):
    form = DecisionForm()
    approve = request.form.get("decision") == "approve"
    try:
        begin_write()
        if kind == "complaints":
            complaint = db.get_or_404(Complaint, item_id)
            services.decide_complaint(current_user, complaint, approve, form.reason.data or "")
        else:
            disb = db.get_or_404(Disbursement, item_id)
            services.decide_disbursement(current_user, disb, approve, form.reason.data or "")
        db.session.commit()
        flash(_("Decision saved."), "success")
    except ValueError as exc:
        _fail(exc)
    return redirect(url_for("giving.verify_queue"))


@bp.post("/giving/donations/<int:donation_id>/refund")
@role_required(Role.VERIFIER, Role.COORDINATOR)
def refund(donation_id: int):
    donation = db.get_or_404(Donation, donation_id)
    try:
        begin_write()
        services.refund_donation(current_user, donation)
        db.session.commit()
        flash(_("The gift was refunded."), "success")
    except ValueError as exc:
        _fail(exc)
    return redirect(request.referrer or url_for("giving.verify_queue"))


@bp.route("/giving/matches/new", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def new_match():
    """An enterprise turns one of its donation offers into a pool doubling public gifts."""
    from ..enterprises.models import Enterprise, Offer

    offers = db.session.scalars(select(Offer).join(Enterprise).where(
        Enterprise.officer_id == current_user.id, Offer.kind == "donation",
        Offer.status == "active")).all()
    form = MatchForm()
    form.offer.choices = [(o.id, f"{o.enterprise.name} · {yuan(o.quantity - o.paired_quantity)}")
                          for o in offers]
    open_requests = [r for r in db.session.scalars(services.public_query().limit(60))
                     if services.effective_status(r) == "open"]
    form.requests.choices = [(r.id, f"{r.title} · {r.village.name}")
                             for r in open_requests]
    if form.validate_on_submit():
        try:
            matching.create_match(current_user, db.session.get(Offer, form.offer.data),
                                  form.pool.fen, datetime.combine(form.ends_on.data, time(23, 59)),
                                  list(form.requests.data or []))
            db.session.commit()
        except ValueError as exc:
            _fail(exc)
        else:
            flash(_("Your match is live: public gifts to these requests are doubled."),
                  "success")
            return redirect(url_for("giving.crowdfunding"))
    return render_template("giving/match_form.html", form=form, offers=offers)


STATUS = RequestStatus  # re-exported for templates that compare states
