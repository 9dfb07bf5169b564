"""The secretary's shipping terms page (on the shop's blueprint): one per village of theirs."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import Role
from ..auth import role_required
from ..extensions import db
from . import services, shipping
from .blueprint import bp, fail
from .forms import ShippingForm


@bp.route("/manage/shipping", methods=["GET", "POST"])
@role_required(Role.SECRETARY)
def shipping_terms():
    villages = services.villages_of(current_user)
    form = ShippingForm()
    form.village_id.choices = [(v.id, v.name) for v in villages]
    terms = shipping.terms_of([v.id for v in villages])
    if request.method == "GET" and villages:
        chosen = request.args.get("village", type=int)
        village_id = chosen if chosen in terms else villages[0].id
        now = terms[village_id]
        form.village_id.data = village_id
        form.fee.data = f"{now.fee_fen / 100:.2f}"
        form.free_from.data = f"{now.free_from_fen / 100:.2f}"
        form.days_min.data, form.days_max.data = now.days_min, now.days_max
    if form.validate_on_submit():
        # The choices hold only the secretary's own villages: another's id fails above.
        try:
            shipping.set_terms(current_user.id, form.village_id.data, shipping.Terms(
                form.fee.fen or 0, form.free_from.fen or 0, form.days_min.data,
                form.days_max.data))
        except services.ShopError as exc:
            fail(exc)
        else:
            db.session.commit()
            flash(_("Shipping terms saved. Buyers see them in their cart before paying."),
                  "success")
            return redirect(url_for("shop.shipping_terms", village=form.village_id.data))
    return render_template("shop/shipping.html", form=form, villages=villages, terms=terms)
