"""Enterprises and offers: registration, the officer's pages, the public lists and pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..extensions import db
from ..i18n import current_language
from ..places import services as places
from . import browse, importing, services
from .forms import (
    RECORD_STATUS_LABELS,
    SECTOR_LABELS,
    EnterpriseForm,
    OfferForm,
    sector_choices,
    show_errors,
)
from .kinds import KIND_LABELS, MECHANISM_LABELS, format_amount, format_quantity, mechanism
from .models import SECTORS, Enterprise, Offer
from .rules import Invalid, NotAllowed

bp = Blueprint("enterprises", __name__)

nav.add("enterprises.offers", _l("Offers"), order=20)
nav.add("enterprises.index", _l("Enterprises"), order=22)
nav.add("enterprises.mine", _l("My enterprises"), roles=("enterprise",), order=30)


def sector_name(code: str | None) -> object:
    """A sector's name in the user's language, for list columns ("" for none)."""
    return SECTOR_LABELS.get(code or "", code or "")


@bp.app_context_processor
def marketplace_helpers() -> dict[str, object]:
    return {"KIND_LABELS": KIND_LABELS, "MECHANISM_LABELS": MECHANISM_LABELS,
            "SECTORS": SECTORS, "SECTOR_LABELS": SECTOR_LABELS, "sector_name": sector_name,
            "format_quantity": format_quantity, "format_amount": format_amount,
            "mechanism_of": mechanism, "RECORD_STATUS_LABELS": RECORD_STATUS_LABELS}


def list_context(f: browse.Filters) -> dict[str, object]:
    """What every public list's filter bar needs."""
    prov = f.province or f.county[:2]
    provinces = places.provinces()
    return {"filters": f, "provinces": provinces,
            "province_names": {p.code: p.display_name(current_language()) for p in provinces},
            "counties": places.counties_of(prov) if prov else [],
            "sectors": sector_choices(True)}


def _own_enterprise(ident: int) -> Enterprise:
    enterprise = db.get_or_404(Enterprise, ident)
    if not services.may_edit_enterprise(current_user, enterprise):
        abort(403)
    return enterprise


def _own_offer(ident: int) -> Offer:
    offer = db.get_or_404(Offer, ident)
    if not services.may_edit_enterprise(current_user, offer.enterprise):
        abort(403)
    return offer


def _may_see(enterprise: Enterprise) -> bool:
    if enterprise.status == "verified":
        return True
    user = current_user
    if not user.is_authenticated:
        return False
    if enterprise.officer_id == user.id:
        return True
    return user.role in (Role.VERIFIER, Role.COORDINATOR) and user.covers(enterprise.county_code)


@bp.get("/offers")
def offers():
    f = browse.Filters.from_args(request.args)
    page = browse.offers(f, per_page=20)
    return render_template("enterprises/offers.html", page=page, **list_context(f))


@bp.get("/enterprises")
def index():
    f = browse.Filters.from_args(request.args)
    page = browse.enterprises(f, per_page=20)
    return render_template("enterprises/index.html", page=page, **list_context(f))


@bp.get("/enterprises/<int:ident>")
def show(ident: int):
    enterprise = db.get_or_404(Enterprise, ident)
    if not _may_see(enterprise):
        abort(404)
    shown = [o for o in enterprise.offers if o.status == "active"] \
        if enterprise.status == "verified" and enterprise.officer_id != getattr(
            current_user, "id", None) else list(enterprise.offers)
    from ..matching.delivery import pairings_of_enterprise

    return render_template("enterprises/show.html", enterprise=enterprise, offers=shown,
                           owner=services.may_edit_enterprise(current_user, enterprise),
                           enterprise_pairings=pairings_of_enterprise(enterprise.id))


@bp.get("/my/enterprises")
@role_required(Role.ENTERPRISE)
def mine():
    return render_template("enterprises/mine.html",
                           enterprises=services.enterprises_of(current_user))


def _enterprise_form(form: EnterpriseForm, enterprise: Enterprise | None):
    form.fill_places(current_language())
    if form.validate_on_submit():
        try:
            if enterprise is None:
                enterprise = services.register_enterprise(current_user, form.data_for_service())
                message = _("The enterprise was registered and waits for a verifier.")
            else:
                services.update_enterprise(current_user, enterprise, form.data_for_service())
                message = _("Saved. The enterprise waits for a verifier again.")
        except Invalid as exc:
            db.session.rollback()
            show_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("enterprises.mine"))
    return render_template("enterprises/form.html", form=form, enterprise=enterprise)


@bp.route("/enterprises/new", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def new():
    return _enterprise_form(EnterpriseForm(), None)


@bp.route("/enterprises/<int:ident>/edit", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def edit(ident: int):
    enterprise = _own_enterprise(ident)
    form = EnterpriseForm(obj=enterprise if request.method == "GET" else None)
    return _enterprise_form(form, enterprise)


def _offer_form(form: OfferForm, enterprise: Enterprise, offer: Offer | None):
    form.fill(current_language())
    if form.validate_on_submit() and (data := form.data_for_service()) is not None:
        try:
            if offer is None:
                services.create_offer(current_user, enterprise, data)
            else:
                services.update_offer(current_user, offer, data)
        except Invalid as exc:
            db.session.rollback()
            show_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(_("The offer was saved."), "success")
            return redirect(url_for("enterprises.show", ident=enterprise.id))
    return render_template("enterprises/offer_form.html", form=form, enterprise=enterprise,
                           offer=offer)


@bp.route("/enterprises/<int:ident>/offers/new", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def new_offer(ident: int):
    enterprise = _own_enterprise(ident)
    form = OfferForm()
    if request.method == "GET":
        from ..db import today

        form.starts_on.data = today()
    return _offer_form(form, enterprise, None)


@bp.route("/offers/<int:ident>/edit", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def edit_offer(ident: int):
    offer = _own_offer(ident)
    form = OfferForm()
    if request.method == "GET":
        form.load(offer)
    return _offer_form(form, offer.enterprise, offer)


@bp.post("/offers/<int:ident>/withdraw")
@role_required(Role.ENTERPRISE)
def withdraw_offer(ident: int):
    offer = _own_offer(ident)
    try:
        services.withdraw_offer(current_user, offer)
    except (Invalid, NotAllowed):
        db.session.rollback()
        flash(_("Nothing of this offer is left to withdraw."), "error")
    else:
        db.session.commit()
        flash(_("The offer was withdrawn."), "success")
    return redirect(url_for("enterprises.show", ident=offer.enterprise_id))


@bp.route("/offers/import", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def import_offers():
    from ..needs import import_views

    return import_views.handle(
        columns=importing.COLUMNS, preview=importing.preview, write=importing.write,
        title=_l("Import offers"), template_endpoint="enterprises.offers_template",
        done=import_views.done_offers, back=url_for("enterprises.mine"))


@bp.get("/offers/import/template.<ext>")
@role_required(Role.ENTERPRISE)
def offers_template(ext: str):
    from ..needs import import_views

    example = [list(row) for row in importing.EXAMPLE]
    mine = services.enterprises_of(current_user)
    for row in example:
        row[0] = mine[0].credit_code if mine else row[0]
    return import_views.template_response(ext, importing.COLUMNS, example, "offers")
