"""Rating pages: the two sides of a pairing rate each other; a household rates its cadre
(through its secretary, or with its contact card's code and no account) and may complain
about the cadre to the county's verifiers."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Role
from ..auth import role_required
from ..enterprises.models import Enterprise
from ..extensions import db, limiter
from ..giving import contact_card
from ..giving.models import Household
from ..matching.models import Pairing
from . import evaluation, services
from .blueprint import _fail, bp
from .forms import (
    STAGE_LABELS,
    CadreRatingForm,
    CardComplaintForm,
    CardRatingForm,
    EnterpriseRatingForm,
    VillageRatingForm,
)
from .policy import MonitoringError, is_secretary, may_see


def _score(form, name: str) -> int | None:  # noqa: ANN001
    field = getattr(form, name, None)
    return int(field.data) if field is not None and field.data else None


@bp.route("/monitoring/pairings/<int:pairing_id>/ratings", methods=["GET", "POST"])
@login_required
def pairing_ratings(pairing_id: int):
    pairing = db.get_or_404(Pairing, pairing_id)
    if not evaluation.may_see_ratings(current_user, pairing):
        abort(404)
    side = evaluation.side_of(current_user, pairing)
    form = (VillageRatingForm() if side == "village" else EnterpriseRatingForm()
            if side == "enterprise" else None)
    stage = request.form.get("stage", "")
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate_on_submit():
            try:
                evaluation.rate_pairing(current_user, pairing, stage, evaluation.Scores(
                    on_time=_score(form, "on_time"), as_promised=_score(form, "as_promised"),
                    useful=_score(form, "useful"), cooperation=_score(form, "cooperation"),
                    comment=form.comment.data or ""))
                db.session.commit()
                flash(_("Rating saved."), "success")
                return redirect(url_for("monitoring.pairing_ratings", pairing_id=pairing.id))
            except MonitoringError as exc:
                _fail(exc)
    ratings = evaluation.ratings_of(pairing)
    done = {r.stage for r in ratings if r.side == side}
    return render_template("monitoring/pairing_ratings.html", pairing=pairing, side=side,
                           STAGE_LABELS=STAGE_LABELS,
                           ratings=ratings, form=form,
                           stages=[s for s in evaluation.open_stages(pairing) if s not in done]
                           ), (400 if request.method == "POST" else 200)


@bp.get("/monitoring/enterprises/<int:enterprise_id>/ratings")
def enterprise_ratings(enterprise_id: int):
    enterprise = db.get_or_404(Enterprise, enterprise_id)
    if enterprise.status != "verified":
        abort(404)
    return render_template("monitoring/enterprise_ratings.html", enterprise=enterprise,
                           summary=evaluation.enterprise_summary(enterprise),
                           needed=evaluation.PUBLIC_AFTER)


@bp.route("/monitoring/households/<int:household_id>/cadre-rating", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def cadre_rating(household_id: int):
    household = db.get_or_404(Household, household_id)
    state = services.state_of(household)
    if not is_secretary(current_user, household) or state is None:
        abort(404)
    form = CadreRatingForm()
    if form.validate_on_submit():
        try:
            evaluation.rate_cadre(current_user, state, int(form.visits.data),
                                  int(form.help.data), form.comment.data or "")
            db.session.commit()
            flash(_("The household's rating of its cadre is saved."), "success")
            return redirect(url_for("monitoring.household", household_id=household.id))
        except MonitoringError as exc:
            _fail(exc)
    return render_template("monitoring/cadre_rating.html", form=form, h=household), (
        400 if request.method == "POST" else 200)


@bp.route("/monitoring/card/<int:household_id>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def card(household_id: int):
    """The page the contact card's QR code opens: the household rates its cadre or
    complains about the cadre, with the code printed on its card and no account."""
    rate, complain = CardRatingForm(prefix="rate"), CardComplaintForm(prefix="complain")
    form = rate if request.form.get("what") == "rate" else complain
    if request.method == "POST" and form.validate_on_submit():
        state = evaluation.by_card(household_id, form.code.data)
        if state is None:
            form.code.errors = [_("This code does not match the contact card.")]
        else:
            try:
                if form is rate:
                    evaluation.rate_cadre(None, state, int(rate.visits.data),
                                          int(rate.help.data), rate.comment.data or "")
                    message = _("Thank you: your rating is saved.")
                else:
                    evaluation.complain(state, complain.body.data)
                    message = _("Your complaint went to the county's poverty-alleviation "
                                "office.")
                db.session.commit()
                return render_template("monitoring/card_done.html", message=message)
            except MonitoringError as exc:
                _fail(exc)
    failed = request.method == "POST"
    return render_template("monitoring/card.html", rate=rate, complain=complain,
                           household_id=household_id), (400 if failed else 200)


@bp.app_template_global()
def monitoring_card(household: Household) -> dict[str, object] | None:
    """The card code and a QR code to the rating page, for the printed contact card (only
    for those who see the household's personal data)."""
    state = services.state_of(household)
    if state is None or not may_see(current_user, household, state):
        return None
    # Printed on paper: the site's public address, never the request's Host header.
    url = contact_card.public_link("monitoring.card", household_id=household.id)
    return {"code": state.card_code, "url": url, "qr": contact_card.qr_svg(url, scale=3)}


@bp.app_template_global()
def monitoring_may_see_ratings(pairing: Pairing) -> bool:
    return evaluation.may_see_ratings(current_user, pairing)


@bp.app_template_global()
def monitoring_enterprise_summary(enterprise: Enterprise) -> evaluation.Summary | None:
    return evaluation.enterprise_summary(enterprise)
