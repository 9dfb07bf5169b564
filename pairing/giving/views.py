"""Giving pages: the public crowdfunding pages, the donor's gifts and receipts, downloads
of evidence. The secretary's pages are in secretary.py, the verifier's and the enterprise's
matching form in review.py; all register on this blueprint."""

from __future__ import annotations

import io

from flask import (
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
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import nav, pages
from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write, retry_conflicts, utcnow
from ..extensions import db, limiter
from ..ledger import money
from ..places.models import County, Province, Village
from . import disclosure, files, matching, receipts, services
from . import verify as _verify  # noqa: F401 - registers the verifier queue's sections
from .blueprint import bp, fail, refused
from .forms import (
    CAUSE_LABELS,
    COMPLAINT_KIND_LABELS,
    DISBURSEMENT_STATUS_LABELS,
    DONATION_STATUS_LABELS,
    PURPOSE_LABELS,
    STATUS_LABELS,
    ComplaintForm,
)
from .give_forms import GiftForm, prepare
from .models import (
    Donation,
    GivingFile,
    HelpRequest,
    Household,
)
from .publicpage import card as _card
from .publicpage import public_page

nav.add("giving.crowdfunding", _l("Crowdfunding"), order=30)
nav.add("giving.households", _l("Poor households"), roles=(Role.SECRETARY,), order=31)
nav.add("giving.my_gifts", _l("My gifts"), roles=(Role.DONOR,), order=32)
nav.add("giving.new_match", _l("Match gifts"), roles=(Role.ENTERPRISE,), order=33)


@bp.app_context_processor
def giving_labels() -> dict[str, object]:
    return {"PURPOSE_LABELS": PURPOSE_LABELS, "STATUS_LABELS": STATUS_LABELS,
            "CAUSE_LABELS": CAUSE_LABELS, "COMPLAINT_KIND_LABELS": COMPLAINT_KIND_LABELS,
            "DONATION_STATUS_LABELS": DONATION_STATUS_LABELS,
            "DISBURSEMENT_STATUS_LABELS": DISBURSEMENT_STATUS_LABELS,
            "effective_status": services.effective_status,
            "gifts_matched": matching.matched_total, "illness_told": disclosure.illness_told,
            "identity_told": disclosure.identity_told,
            "illness_agreed": disclosure.agreed}


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


@bp.get("/crowdfunding")
def crowdfunding():
    now = utcnow()
    args = {k: request.args.get(k, "") for k in ("purpose", "province", "sort", "village")}
    page = pages.request_page(_with_card_rows(services.public_query(**args, now=now)),
                              scope=f"crowdfunding:{args['sort']}", per_page=24)
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


@bp.get("/crowdfunding/<int:request_id>")
def public_request(request_id: int):
    return public_page(_public_or_404(request_id))


@bp.get("/crowdfunding/<int:request_id>.json")
def public_request_json(request_id: int):
    req = _public_or_404(request_id)
    data = _card(req, utcnow())
    data["story"] = req.public_story
    data["donor_list"] = [{"name": d.public_name, "amount_fen": d.amount_fen,
                           "status": d.status} for d in services.public_donors(req)]
    return jsonify(data)


@bp.post("/crowdfunding/<int:request_id>/donate")
@role_required(Role.DONOR, Role.ENTERPRISE)
@retry_conflicts
def donate(request_id: int):
    req = _public_or_404(request_id)
    form = GiftForm()
    prepare(form, req)
    if not form.validate_on_submit():
        return public_page(req, form=form), 400
    try:
        begin_write()
        donation = services.donate(
            current_user, request_id, form.fen, form.key.data,
            message=form.message.data or "", anonymous=form.anonymous.data,
            provider=form.provider.data, fallback_request_id=form.fallback.data or None)
        db.session.commit()
    except ValueError as exc:
        refused(form, exc)
        return public_page(db.get_or_404(HelpRequest, request_id), form=form), 400
    if donation.status == "pending":
        return redirect(url_for("payments.show", payment_id=donation.payment_id))
    flash(_("Thank you! Your gift of %(amount)s was received.", amount=money.yuan(donation.amount_fen)),
          "success")
    return redirect(url_for("giving.receipt", donation_id=donation.id))


@bp.post("/crowdfunding/<int:request_id>/report")
@limiter.limit("5 per hour")
def report(request_id: int):
    req = _public_or_404(request_id)
    form = ComplaintForm()
    if form.validate_on_submit():
        try:
            services.file_complaint(req, form.body.data, form.contact.data or "",
                                    kind=form.kind.data, reporter=current_user)
            paused = services.paused_by_complaints(req)
            db.session.commit()
            flash(_("Thank you. A verifier will look at your report; until then this request "
                    "takes no gifts.") if paused
                  else _("Thank you. A verifier will look at your report."), "success")
        except ValueError as exc:
            fail(exc)
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
            fail(exc)
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

@bp.get("/giving/receipts/<int:donation_id>")
@login_required
def receipt(donation_id: int):
    donation = db.get_or_404(Donation, donation_id)
    if donation.donor_id != current_user.id:
        abort(404)
    from ..payments.models import Payment

    payment = db.session.get(Payment, donation.payment_id) if donation.payment_id else None
    return render_template("giving/receipt.html", d=donation, payment=payment,
                           matched=receipts.matched_share(donation),
                           demo_payment=payment is None or payment.is_demo)


@bp.get("/giving/files/<int:file_id>")
@login_required
def download(file_id: int):
    record = db.get_or_404(GivingFile, file_id)
    if not services.may_download(current_user, record):
        abort(404)
    return send_file(io.BytesIO(files.path_of(record.stored_name).read_bytes()),
                     mimetype=record.mime, as_attachment=True,
                     download_name=f"{record.kind}-{record.id}.{record.stored_name.rsplit('.')[-1]}")


# The secretaries' and reviewers' pages, guest giving, photos, posters and statements
# register on bp when imported.
from . import (  # noqa: E402, F401
    guest,
    photos,
    publicpage,
    review,
    secretary,
    secretary_requests,
    statements,
)
