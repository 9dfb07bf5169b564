"""A buyer's orders and their steps (pay, cancel, confirm delivery) and the secretary's
shipping, on the shop blueprint (views.py imports this module)."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import pages
from ..accounts.models import Role
from ..auth import role_required
from ..db import retry_conflicts
from ..extensions import db
from . import services
from .blueprint import bp, fail
from .forms import (
    ShipForm,
)
from .models import Order


@bp.get("/orders")
@login_required
def my_orders():
    page = pages.request_page(services.orders_of_buyer(current_user), scope="mine", per_page=20)
    return render_template("shop/orders.html", page=page, selling=False)


@bp.get("/orders/<int:order_id>")
@login_required
def order(order_id: int):
    item = db.session.get(Order, order_id)
    if item is None or not services.can_view_order(current_user, item):
        abort(404)
    return render_template("shop/order.html", order=item, ship_form=ShipForm(),
                           payment=services.payment_of(item),
                           seller=services.is_secretary_of(current_user, item.village))


def _order_step(order_id: int, step, done: str):  # noqa: ANN001
    item = db.session.get(Order, order_id)
    if item is None or not services.can_view_order(current_user, item):
        abort(404)
    try:
        step()
    except services.ShopError as exc:
        fail(exc)
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("shop.order", order_id=order_id))


@bp.post("/orders/<int:order_id>/pay")
@login_required
@retry_conflicts
def pay(order_id: int):
    item = db.session.get(Order, order_id)
    if item is None or item.buyer_id != current_user.id:
        abort(404)
    try:
        started = services.pay(current_user, order_id)
    except services.ShopError as exc:
        fail(exc)
        return redirect(url_for("shop.order", order_id=order_id))
    db.session.commit()
    if not started.confirmed:  # bank transfer: the payment page shows account and code
        return redirect(url_for("payments.show", payment_id=started.id))
    flash(_("Payment received."), "success")
    return redirect(url_for("shop.order", order_id=order_id))


@bp.post("/orders/<int:order_id>/cancel")
@login_required
@retry_conflicts
def cancel(order_id: int):
    return _order_step(order_id, lambda: services.cancel(current_user, order_id),
                       _("The order was cancelled."))


@bp.post("/orders/<int:order_id>/ship")
@role_required(Role.SECRETARY)
@retry_conflicts
def ship(order_id: int):
    form = ShipForm()
    if not form.validate_on_submit():
        flash(_("Give the carrier and the tracking number."), "error")
        return redirect(url_for("shop.order", order_id=order_id))
    return _order_step(order_id, lambda: services.ship(current_user, order_id, form.carrier.data,
                                                       form.tracking.data),
                       _("Marked as shipped."))


@bp.post("/orders/<int:order_id>/delivered")
@login_required
@retry_conflicts
def confirm_delivery(order_id: int):
    return _order_step(order_id, lambda: services.confirm_delivery(current_user, order_id),
                       _("Thank you for confirming the delivery."))
