"""What a receipt adds to a gift: the share an enterprise's match pool added to it, and
the unguessable link by which a guest (no account) reaches their receipt."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import mail
from ..enterprises.models import Enterprise
from ..extensions import db
from ..ledger import money
from .models import Donation, DonationStatus, Match

MATCH_KEY = "match-"  # matching.apply keys a matched gift "match-<id of the gift it doubles>"


@dataclass(frozen=True)
class Matched:
    fen: int
    by: str  # the enterprise's name
    status: str


def matched_shares(gift_ids: list[int], session: Session | None = None) -> dict[int, Matched]:
    """The matched gift that doubled each gift, by the gift's id (one query)."""
    session = session or db.session
    if not gift_ids:
        return {}
    rows = session.execute(
        select(Donation.idempotency_key, Donation.amount_fen, Donation.status, Enterprise.name)
        .join(Match, Match.id == Donation.match_id)
        .join(Enterprise, Enterprise.id == Match.enterprise_id)
        .where(Donation.match_id.is_not(None), Donation.donor_id.is_(None),
               Donation.idempotency_key.in_([f"{MATCH_KEY}{i}" for i in gift_ids])))
    return {int(key.removeprefix(MATCH_KEY)): Matched(fen, name, status)
            for key, fen, status, name in rows}


def matched_share(gift: Donation) -> Matched | None:
    return matched_shares([gift.id]).get(gift.id)


def counted(matched: Matched | None) -> int:
    """Fen of a match still on the request (a refunded match no longer counts)."""
    if matched is None or matched.status != DonationStatus.CONFIRMED:
        return 0
    return matched.fen


def guest_token(gift: Donation) -> str:
    """128 bits of an HMAC under SECRET_KEY: nothing stored, nothing to guess from the
    gift's number; rotating SECRET_KEY ends the old links (the mail says how to ask)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"guest-receipt:{gift.id}:{gift.guest_key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def guest_token_ok(gift: Donation, token: str) -> bool:
    return gift.guest_key is not None and hmac.compare_digest(guest_token(gift), token)


def guest_receipt_path(gift: Donation) -> str:
    return url_for("giving.guest_receipt", donation_id=gift.id, token=guest_token(gift))


def mail_guest_receipt(gift: Donation, language: str) -> None:
    """The link to the receipt, to the address the guest gave, in the page's language;
    absolute from PUBLIC_URL (mail.link), never from the request's Host."""
    if not gift.guest_email:
        return
    with force_locale(language):
        link = mail.link(guest_receipt_path(gift))
        mail.send(gift.guest_email, _("Your donation receipt"),
                  _("Thank you for your gift of %(amount)s to “%(title)s”.\n\n"
                    "Your receipt (keep this link; it is the only way to open it):\n"
                    "%(link)s\n", amount=money.yuan(gift.amount_fen),
                    title=gift.request.public_title, link=link))
