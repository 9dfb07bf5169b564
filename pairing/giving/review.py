"""The verifier's giving pages (the queue, decisions, refunds) and the enterprise's form
that turns a donation offer into a pool matching public gifts."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import pages
from ..accounts.models import Role
from ..audit.labels import field_label
from ..auth import may_act_on, role_required
from ..db import begin_write, retry_conflicts
from ..extensions import db
from ..ledger.money import yuan
from ..security import safe_next
from . import disclosure, matching, services
from .blueprint import bp, fail
from .forms import DecisionForm, MatchForm
from .models import Complaint, Disbursement, Donation, GivingFile, HelpRequest


@bp.get("/giving/verify")
@role_required(Role.VERIFIER)
def verify_queue():
    # The requests page by keyset (oldest first), however many a province's verifier has.
    page = pages.request_page(services.submitted_requests(current_user), scope="verify",
                              per_page=current_app.config["PAGE_SIZE"])
    return render_template("giving/verify_queue.html", page=page,
                           queue=services.verifier_queue(current_user), may=services.may_verify)


@bp.route("/giving/verify/requests/<int:request_id>", methods=["GET", "POST"])
@role_required(Role.VERIFIER)
def verify_request(request_id: int):
    req = db.get_or_404(HelpRequest, request_id)
    if not (services.may_see_personal(current_user, req.household) if req.household
            else may_act_on(current_user, req.village.county_code)):
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        # The same rules as the verifier's queue: warnings block approval without an
        # override reason (pairing/verification/decisions.py).
        from ..verification.registry import SECTIONS
        from ..verification.views import decide_and_tell

        errors = decide_and_tell(SECTIONS["help_requests"], req,
                                 form.decision.data == "approve",
                                 form.reason.data or "", request.form.get("override", ""))
        if not errors:
            return redirect(url_for("giving.verify_queue"))
        for message in errors.values():
            flash(str(message), "error")
        req = db.get_or_404(HelpRequest, request_id)
    for error in form.decision.errors:  # the buttons have no place to show it
        flash(error, "error")
    personal = services.view_personal(current_user, req.household) if req.household else None
    db.session.commit()
    evidence = db.session.scalars(select(GivingFile).where(GivingFile.request_id == req.id)).all()
    changes = services.record_changes([req.household])[req.household.id] if req.household else []
    # Back to the queue the verifier came from (the verifiers' queue or the giving one).
    back = safe_next(request.args.get("back"), url_for("giving.verify_queue"))
    return render_template("giving/verify_request.html", req=req, form=form, personal=personal,
                           back=back,
                           duplicates=services.duplicates(req.household) if req.household
                           else [], evidence=evidence,
                           may=services.may_verify(current_user, req),
                           told=disclosure.illness_told(req),
                           changes=[(at, [field_label(f, "households") for f in names])
                                    for at, names in changes])


@bp.post("/giving/verify/<any(complaints, disbursements):kind>/<int:item_id>")
@role_required(Role.VERIFIER)
@retry_conflicts
def decide(kind: str, item_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        for error in [*form.decision.errors, *form.reason.errors]:
            flash(error, "error")
        return redirect(url_for("giving.verify_queue"))
    approve = form.decision.data == "approve"
    try:
        begin_write()
        if kind == "complaints":
            complaint = db.get_or_404(Complaint, item_id)
            services.decide_complaint(current_user, complaint, approve, form.reason.data or "")
            what = _("the reported problem %(id)s", id=item_id)
            done = (_("Upheld: %(what)s.", what=what)
                    if approve else _("Dismissed: %(what)s.", what=what))
        else:
            disb = db.get_or_404(Disbursement, item_id)
            services.decide_disbursement(current_user, disb, approve, form.reason.data or "")
            what = _("the payout of %(amount)s from help request %(id)s",
                     amount=yuan(disb.amount_fen), id=disb.request_id)
            done = (_("Approved: %(what)s.", what=what) if approve else
                    _("Rejected: %(what)s. The owner sees your reason.", what=what))
        db.session.commit()
        flash(done, "success")  # what was decided, as the queue's confirmation flow says
    except ValueError as exc:
        fail(exc)
    return redirect(url_for("giving.verify_queue"))


@bp.post("/giving/donations/<int:donation_id>/refund")
@role_required(Role.VERIFIER, Role.COORDINATOR)
@retry_conflicts
def refund(donation_id: int):
    donation = db.get_or_404(Donation, donation_id)
    try:
        begin_write()
        services.refund_donation(current_user, donation)
        db.session.commit()
        flash(_("The gift was refunded."), "success")
    except ValueError as exc:
        fail(exc)
    return redirect(request.referrer or url_for("giving.verify_queue"))


@bp.route("/giving/matches/new", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
@retry_conflicts
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
    form.requests.choices = [(r.id, f"{r.public_title} · {r.village.name}")
                             for r in open_requests]
    if form.validate_on_submit():
        try:
            matching.create_match(current_user, db.session.get(Offer, form.offer.data),
                                  form.pool.fen, datetime.combine(form.ends_on.data, time(23, 59)),
                                  list(form.requests.data or []))
            db.session.commit()
        except ValueError as exc:
            fail(exc)
        else:
            flash(_("Your match is live: public gifts to these requests are doubled."),
                  "success")
            return redirect(url_for("giving.crowdfunding"))
    return render_template("giving/match_form.html", form=form, offers=offers)
