"""What the printed 精准帮扶联系卡 says: every kind of help the household has received, and
QR codes that point at the site's public address (PUBLIC_URL), never at whatever host
name the page happened to be requested on (a proxy's, a test's, an attacker's Host header).
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask import url_for
from markupsafe import Markup
from sqlalchemy import func, select

from .. import mail
from ..extensions import db
from .models import Household

COUNTED_PAIRINGS = ("active", "fulfilled")


@dataclass(frozen=True)
class HelpReceived:
    raised_fen: int  # given by donors to the household's requests (confirmed gifts)
    disbursed_fen: int  # of that, already paid out to the household
    requests: int  # requests that received anything
    pairings: int  # enterprise pairings of the household's village (industry, jobs...)


def help_received(household: Household) -> HelpReceived:
    # raised_fen is kept beside the ledger in the same transaction as each gift (matched
    # gifts included); the card once counted only what was paid out, so a household with
    # ¥37,200 raised and nothing disbursed yet read "¥0.00".
    requests = [r for r in household.requests if r.raised_fen or r.disbursed_fen]
    raised = sum(r.raised_fen for r in household.requests)
    disbursed = sum(r.disbursed_fen for r in household.requests)
    # matching is an area after giving (pairing/areas.py): imported when asked.
    from ..matching.models import Need, Pairing

    pairings = db.session.scalar(
        select(func.count(Pairing.id)).join(Need, Need.id == Pairing.need_id)
        .where(Need.village_id == household.village_id,
               Pairing.status.in_(COUNTED_PAIRINGS))) or 0
    return HelpReceived(raised, disbursed, len(requests), int(pairings))


def public_link(endpoint: str, **values: object) -> str:
    """The absolute link printed on paper: PUBLIC_URL + the path."""
    return mail.link(url_for(endpoint, **values))


def qr_svg(url: str, scale: int = 4) -> Markup:
    return Markup(segno.make(url, error="m").svg_inline(scale=scale, omitsize=False))
