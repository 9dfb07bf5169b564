"""Giving without an account: a name (or anonymous) and an e-mail address for the receipt.

The gift goes through services.donate like a logged-in donor's (the same limits, the same
lock of the request, the same ledger transaction and matching); its idempotency key is
unique among guests' gifts (Donation.guest_key), so a double press books once. The receipt
is reached by an unguessable link (receipts.guest_token), shown once and mailed.

From that link the guest may have their e-mail address forgotten (PIPL art. 47): it is
erased from every gift given with it, amounts and the ledger untouched, and the audit row
says how many gifts without naming the address. Anyone holding a receipt link may do it
(the link is shown to whoever gave, with whatever address): erasing an address only
removes data, it reveals nothing, so that is safe; a guest's gifts are read by address
only by an account holding that address (pairing/privacy).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..audit import services as audit
from ..db import begin_write, retry_conflicts
from ..extensions import db, limiter
from ..i18n import current_language
from ..ledger import money
from . import services
from .blueprint import bp, refused
from .donations import Guest, created_now
from .give_forms import GuestGiftForm, prepare
from .models import Donation, HelpRequest
from .publicpage import public_page
from .receipts import guest_receipt_path, guest_token_ok, mail_guest_receipt, matched_share


@bp.post("/crowdfunding/<int:request_id>/give-as-guest")
@limiter.limit("30 per hour")  # per address: no account to throttle, and each mails
@retry_conflicts
def give_as_guest(request_id: int):
    back = url_for("giving.public_request", request_id=request_id) + "#give"
    if current_user.is_authenticated:
        flash(_("You are logged in: give with the form of your account."), "info")
        return redirect(back)
    req = db.get_or_404(HelpRequest, request_id)
    if not services.is_public(req):
        abort(404)
    form = GuestGiftForm()
    prepare(form, req)
    if not form.validate_on_submit():
        return public_page(req, guest_form=form), 400
    try:
        begin_write()
        donation = services.donate(
            None, request_id, form.fen, form.key.data, message=form.message.data or "",
            anonymous=form.anonymous.data, provider=form.provider.data,
            fallback_request_id=form.fallback.data or None,
            guest=Guest(name=form.name.data or "", email=form.email.data.strip()))
        fresh = created_now(donation)
        db.session.commit()
    except ValueError as exc:
        refused(form, exc)
        return public_page(db.get_or_404(HelpRequest, request_id), guest_form=form), 400
    if fresh:  # after the commit: a retried transaction must not mail twice
        mail_guest_receipt(donation, current_language())
    if donation.status != "pending":
        flash(_("Thank you! Your gift of %(amount)s was received.",
                amount=money.yuan(donation.amount_fen)), "success")
    return redirect(guest_receipt_path(donation))


def _guest_gift_or_404(donation_id: int, token: str) -> Donation:
    donation = db.get_or_404(Donation, donation_id)
    if len(token) != 32 or not guest_token_ok(donation, token):
        abort(404)
    return donation


def forget_email(gift: Donation, session: Session | None = None) -> int:
    """Erase the guest's e-mail address from every gift given with it; returns how many
    (0: already forgotten). The gifts are locked in id order, so two forgets sent at once
    erase once and write one audit row."""
    session = session or db.session
    begin_write(session)
    email = session.scalar(select(Donation.guest_email).where(Donation.id == gift.id))
    if not email:
        return 0
    same = func.lower(Donation.guest_email) == email.strip().lower()
    # One lock order (ascending id) for every forget, whichever receipt it comes from.
    ids = list(session.scalars(select(Donation.id).where(same).order_by(Donation.id)
                               .with_for_update()))
    if gift.id not in ids:  # a forget sent at once erased it while this one waited
        return 0
    session.execute(update(Donation).where(Donation.id.in_(ids)).values(guest_email=None)
                    .execution_options(synchronize_session=False))
    session.expire_all()
    audit.record(None, "donation.guest_email.forget", gift, after={"gifts": len(ids), "donation_ids": ids},
                 session=session)
    return len(ids)


@bp.post("/giving/receipts/<int:donation_id>/<token>/forget-email")
@retry_conflicts
def forget_guest_email(donation_id: int, token: str):
    gift = _guest_gift_or_404(donation_id, token)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired or was sent from elsewhere. Reload the page and try "
                "again."), "error")
    elif forget_email(gift):
        db.session.commit()
        flash(_("Your e-mail address was erased from your gifts. The gifts and the ledger "
                "stay; no receipt will be mailed to you any more."), "success")
    else:
        db.session.rollback()
        flash(_("Your e-mail address was already erased."), "info")
    return redirect(url_for("giving.guest_receipt", donation_id=donation_id, token=token))


@bp.get("/giving/receipts/<int:donation_id>/<token>")
def guest_receipt(donation_id: int, token: str):
    donation = _guest_gift_or_404(donation_id, token)
    from ..payments import providers
    from ..payments.models import Payment

    payment = db.session.get(Payment, donation.payment_id) if donation.payment_id else None
    response = render_template(
        "giving/receipt.html", d=donation, payment=payment, guest=True,
        bank=providers.bank_account() if payment and payment.status == "pending" else None,
        matched=matched_share(donation), demo_payment=payment is None or payment.is_demo,
        forget_form=FlaskForm(), token=token)
    # A capability link: keep it out of shared caches and other sites' Referer headers.
    return response, 200, {"Cache-Control": "private, no-store",
                           "Referrer-Policy": "no-referrer"}
