"""A donor's gifts, a page at a time, and the yearly statement of them (printable HTML,
ready to save as PDF, and CSV): per request, refunded and moved gifts shown, the amounts
enterprises matched. A donor only ever reads their own (every query is by current_user).

Years and dates are Beijing time (UTC+8, no daylight saving), as a Chinese donor's tax
year is; the database keeps UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import groupby

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import downloads, pages
from ..db import utcnow
from ..extensions import db
from ..places.models import County, Village
from .blueprint import bp
from .forms import DONATION_STATUS_LABELS
from .models import Donation, DonationStatus, HelpRequest
from .receipts import counted, matched_shares

BEIJING = timedelta(hours=8)
PER_PAGE = 20
LISTED = (DonationStatus.PENDING, DonationStatus.CONFIRMED, DonationStatus.REFUNDED,
          DonationStatus.MOVED)
FIRST_YEAR, LAST_YEAR = 2000, 2100


def beijing(moment: datetime) -> datetime:
    return moment + BEIJING


def _mine():  # noqa: ANN202
    return select(Donation).where(Donation.donor_id == current_user.id)


def years() -> list[int]:
    """Beijing years in which the donor gave, newest first."""
    rows = db.session.scalars(select(Donation.created_at).where(
        Donation.donor_id == current_user.id, Donation.status.in_(LISTED)))
    return sorted({beijing(at).year for at in rows}, reverse=True)


@bp.get("/giving/my-gifts")
@login_required
def my_gifts():
    # Keyset pages (pairing/pages.py): a donor of many years pages as fast as a new one.
    page = pages.request_page(_mine().where(Donation.status != DonationStatus.CANCELLED)
                              .options(selectinload(Donation.request))
                              .order_by(Donation.created_at.desc(), Donation.id.desc()),
                              scope="my-gifts", per_page=PER_PAGE)
    matched = {gid: counted(m) for gid, m in matched_shares([d.id for d in page.items]).items()}
    return render_template("giving/my_gifts.html", gifts=page.items, page=page,
                           matched=matched, years=years(), beijing=beijing)


@dataclass
class Line:
    gift: Donation
    matched_fen: int
    note: str


@dataclass
class Group:
    request: HelpRequest
    lines: list[Line] = field(default_factory=list)

    @property
    def given_fen(self) -> int:
        return sum(x.gift.amount_fen for x in self.lines
                   if x.gift.status == DonationStatus.CONFIRMED)


def _lines(year: int) -> list[Line]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    start = datetime(year, 1, 1) - BEIJING
    end = datetime(year + 1, 1, 1) - BEIJING
    gifts = list(db.session.scalars(
        _mine().where(Donation.status.in_(LISTED), Donation.created_at >= start,
                      Donation.created_at < end)
        .options(selectinload(Donation.request).selectinload(HelpRequest.village)
                 .selectinload(Village.county).selectinload(County.province))
        .order_by(Donation.request_id, Donation.created_at, Donation.id)))
    matched = matched_shares([g.id for g in gifts])
    ids = [g.id for g in gifts]
    moved_to = dict(db.session.execute(select(Donation.moved_from_id, Donation.request_id)
                                       .where(Donation.moved_from_id.in_(ids))).all()
                    ) if ids else {}
    out = []
    for g in gifts:
        if g.status == DonationStatus.MOVED and g.id in moved_to:
            note = _("moved to request #%(number)d", number=moved_to[g.id])
        elif g.moved_from_id is not None:
            note = _("moved here from your gift №%(number)08d", number=g.moved_from_id)
        else:
            note = ""
        out.append(Line(g, counted(matched.get(g.id)), note))
    return out


def _totals(lines: list[Line]) -> dict[str, int]:
    def total(status: str) -> int:
        return sum(x.gift.amount_fen for x in lines if x.gift.status == status)
    return {"given": total(DonationStatus.CONFIRMED), "refunded": total(DonationStatus.REFUNDED),
            "moved": total(DonationStatus.MOVED), "pending": total(DonationStatus.PENDING),
            "matched": sum(x.matched_fen for x in lines
                           if x.gift.status == DonationStatus.CONFIRMED)}


@bp.get("/giving/my-gifts/<int:year>")
@login_required
def statement(year: int):
    lines = _lines(year)
    groups = [Group(req, list(rows)) for req, rows in
              groupby(lines, key=lambda x: x.gift.request)]
    return render_template("giving/statement.html", year=year, groups=groups,
                           totals=_totals(lines), beijing=beijing,
                           made=beijing(utcnow()))


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


@bp.get("/giving/my-gifts/<int:year>.csv")
@login_required
def statement_csv(year: int):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)

    def rows() -> Iterator[list[object]]:
        for x in _lines(year):  # read while the response streams (downloads.response)
            g = x.gift
            yield [beijing(g.confirmed_at or g.created_at).strftime("%Y-%m-%d %H:%M"),
                   f"{g.id:08d}", g.request_id, g.request.public_title,
                   g.request.village.county.full_name + g.request.village.name,
                   _yuan(g.amount_fen), str(DONATION_STATUS_LABELS[g.status]),
                   _yuan(x.matched_fen), x.note]

    header = [_("Date (Beijing time)"), _("Receipt"), _("Request"), _("Title"), _("Village"),
              _("Amount (yuan)"), _("Status"), _("Matched (yuan)"), _("Note")]
    return downloads.response("csv", f"gifts-{year}.csv", str(year), header, rows(),
                              cache="private, no-store")

