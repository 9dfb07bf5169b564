"""Payment pages: the payer's status page and the staff's queue of bank transfers."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import nav
from ..accounts.models import Role
from ..auth import role_required
from ..db import begin_write, retry_conflicts
from ..extensions import db
from . import policy, providers, services
from .models import Payment

bp = Blueprint("payments", __name__, url_prefix="/payments")
nav.add("payments.queue", _l("Bank transfers"), roles=(Role.COORDINATOR,), order=80)


@bp.get("/<int:payment_id>")
@login_required
def show(payment_id: int):
    payment = db.get_or_404(Payment, payment_id)
    if not policy.may_read(payment):
        abort(404)
    return render_template("payments/show.html", payment=payment, bank=providers.bank_account(),
                           purpose=services.describe(payment))


@bp.get("/pending")
@role_required(Role.COORDINATOR)
def queue():
    pending = policy.handled_by(current_user, services.pending())
    return render_template("payments/queue.html",
                           payments=list(zip(pending, services.describe_all(pending), strict=True)))


@bp.post("/<int:payment_id>/<any(confirm, cancel):action>")
@role_required(Role.COORDINATOR)
@retry_conflicts
def decide(payment_id: int, action: str):
    begin_write()
    payment = db.get_or_404(Payment, payment_id)
    if not policy.staff_may_handle(current_user, payment):
        abort(404)
    try:
        if action == "confirm":
            services.confirm(payment, current_user)
        else:
            services.cancel(payment, current_user)
    except ValueError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Payment %(code)s confirmed.", code=payment.transfer_code) if action == "confirm"
              else _("Payment %(code)s cancelled.", code=payment.transfer_code), "success")
    return redirect(url_for("payments.queue"))


@bp.app_context_processor
def sandbox_banner() -> dict[str, object]:
    """Every page says so while the sandbox provider (no real money) is offered."""
    return {"sandbox_payments": lambda: any(p.name == "sandbox" for p in providers.enabled()),
            "payment_statuses": providers.STATUS_LABELS}
