"""HTTP of the secretary's shop (products, stock, photos, the village's orders), payouts
(asked by secretaries, decided by verifiers) and the coordinator's shop settings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import pages
from ..accounts.models import Role
from ..auth import national_required, role_required
from ..db import retry_conflicts
from ..extensions import db
from ..ledger import money
from ..places.models import Village
from . import badge, payouts, services
from .blueprint import bp, fail
from .forms import (
    DecideForm,
    PayoutForm,
    PhotoForm,
    ProductForm,
    RestockForm,
    SettingsForm,
)
from .models import Product, ProductPhoto


@bp.get("/manage")
@role_required(Role.SECRETARY)
def manage():
    villages = services.villages_of(current_user)
    return render_template("shop/manage.html", villages=villages,
                           products=services.products_of_secretary(current_user))


@bp.get("/manage/orders")
@role_required(Role.SECRETARY)
def village_orders():
    state = request.args.get("state", "")
    page = pages.request_page(services.orders_of_villages(current_user, state),
                              scope="village-orders", per_page=20)
    return render_template("shop/orders.html", page=page, selling=True, state=state)


def _product_form(form: ProductForm) -> None:
    form.village_id.choices = [(v.id, v.name) for v in services.villages_of(current_user)]


def _data(form: ProductForm) -> services.ProductData:
    return services.ProductData(name=form.name.data, category=form.category.data,
                                unit=form.unit.data, price_fen=form.price.fen or 0,
                                description=form.description.data or "",
                                origin=form.origin.data or "")


@bp.route("/manage/new", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def new_product():
    form = ProductForm()
    _product_form(form)
    if not form.village_id.choices:
        flash(_("Products can be listed once the village is verified."), "info")
        return redirect(url_for("shop.manage"))
    if form.validate_on_submit():
        village = db.session.get(Village, form.village_id.data)
        try:
            item = services.create_product(current_user, village, _data(form), form.stock.data)
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("The product is listed. Add photos below."), "success")
            return redirect(url_for("shop.edit_product", product_id=item.id))
    return render_template("shop/product_form.html", form=form, product=None)


def _mine(product_id: int) -> Product:
    item = db.session.get(Product, product_id)
    if item is None or not services.is_secretary_of(current_user, item.village):
        abort(404)
    return item


@bp.route("/manage/<int:product_id>", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def edit_product(product_id: int):
    item = _mine(product_id)
    form = ProductForm(obj=item)
    del form.stock  # stock changes only by restocking (audited, atomic)
    form.village_id.choices = [(item.village_id, item.village.name)]
    if request.method == "GET":
        form.price.data = money.plain(item.price_fen)
    if form.validate_on_submit():
        try:
            services.update_product(current_user, item, _data(form))
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("shop.edit_product", product_id=item.id))
    return render_template("shop/product_form.html", form=form, product=item,
                           restock_form=RestockForm(), photo_form=PhotoForm())


@bp.post("/manage/<int:product_id>/<any(pause, resume):what>")
@role_required(Role.SECRETARY)
def pause(product_id: int, what: str):
    item = _mine(product_id)
    services.set_paused(current_user, item, what == "pause")
    db.session.commit()
    flash(_("The product is paused.") if what == "pause" else _("The product is for sale again."),
          "success")
    return redirect(url_for("shop.edit_product", product_id=product_id))


@bp.post("/manage/<int:product_id>/restock")
@role_required(Role.SECRETARY)
def restock(product_id: int):
    item = _mine(product_id)
    form = RestockForm()
    if not form.validate_on_submit():
        flash(_("Add between 1 and 1,000,000 units."), "error")
    else:
        services.restock(current_user, item, form.added.data)
        db.session.commit()
        flash(_("Stock added."), "success")
    return redirect(url_for("shop.edit_product", product_id=product_id))


@bp.post("/manage/<int:product_id>/photos")
@role_required(Role.SECRETARY)
def add_photo(product_id: int):
    item = _mine(product_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        flash(_("Choose a photo to upload."), "error")
    else:
        try:
            services.add_photo(current_user, item, form.photo.data)
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("Photo added."), "success")
    return redirect(url_for("shop.edit_product", product_id=product_id))


@bp.post("/manage/photos/<int:photo_id>/delete")
@role_required(Role.SECRETARY)
def remove_photo(photo_id: int):
    item = db.session.get(ProductPhoto, photo_id)
    if item is None:
        abort(404)
    product_id = _mine(item.product_id).id
    services.remove_photo(current_user, item)
    db.session.commit()
    flash(_("Photo removed."), "success")
    return redirect(url_for("shop.edit_product", product_id=product_id))


# --- payouts and settings --------------------------------------------------------------

@bp.route("/payouts", methods=["GET", "POST"])
@role_required(Role.SECRETARY, Role.VERIFIER)
@retry_conflicts
def payouts_page():
    form = PayoutForm()
    villages = services.villages_of(current_user) if current_user.role == Role.SECRETARY else []
    form.village_id.choices = [(v.id, v.name) for v in villages]
    if current_user.role == Role.SECRETARY and form.validate_on_submit():
        try:
            payouts.request(current_user, form.village_id.data, form.amount.fen or 0,
                            form.cooperative.data)
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("Payout requested. A verifier of your county will decide."), "success")
            return redirect(url_for("shop.payouts_page"))
    figures = [(v, payouts.available(v)) for v in villages]
    waiting = payouts.waiting_for(current_user) if current_user.role == Role.VERIFIER else []
    return render_template("shop/payouts.html", form=form, figures=figures, waiting=waiting,
                           mine=payouts.of_villages([v.id for v in villages]),
                           decide_form=DecideForm())


@bp.post("/payouts/<int:payout_id>/<any(approve, reject):what>")
@role_required(Role.VERIFIER)
@retry_conflicts
def decide_payout(payout_id: int, what: str):
    form = DecideForm()
    form.validate_on_submit()
    try:
        payouts.decide(current_user, payout_id, what == "approve", form.reason.data or "")
    except services.ShopError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(_("Payout approved.") if what == "approve" else _("Payout rejected."), "success")
    return redirect(url_for("shop.payouts_page"))


@bp.route("/settings", methods=["GET", "POST"])
@national_required
def settings():
    form = SettingsForm()
    current = badge.settings()
    if request.method == "GET":
        form.taobao_sales.data = str(current["taobao_sales_fen"] // 100)
        form.taobao_active_products.data = current["taobao_active_products"]
    if form.validate_on_submit():
        badge.change(current_user, {"taobao_sales_fen": form.taobao_sales.fen or 0,
                                    "taobao_active_products": form.taobao_active_products.data})
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("shop.settings"))
    return render_template("shop/settings.html", form=form, current=current)
