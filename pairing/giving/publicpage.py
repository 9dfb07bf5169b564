"""What a public crowdfunding page shows besides the request: its donors a page at a
time, how to share it (absolute links from PUBLIC_URL, `og:` tags for chat apps) and a
printable poster whose QR code leads to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import segno
from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..db import utcnow
from ..extensions import db
from ..inputs import int_arg
from . import matching, photos, services
from .blueprint import bp
from .forms import ComplaintForm
from .give_forms import GiftForm, GuestGiftForm, prepare
from .models import Disbursement, Donation, DonationStatus, HelpRequest, Match, RequestUpdate
from .receipts import counted, matched_shares

DONORS_PER_PAGE = 20
SHOWN = (DonationStatus.CONFIRMED, DonationStatus.REFUNDED, DonationStatus.MOVED)


@dataclass(frozen=True)
class DonorPage:
    items: list[Donation]
    page: int
    pages: int
    total: int


def donors(req: HelpRequest) -> DonorPage:
    """Newest first, DONORS_PER_PAGE at a time (?donors=N): a page of 100 gifts was
    4,000 px long on a phone."""
    where = (Donation.request_id == req.id, Donation.status.in_(SHOWN))
    total = db.session.scalar(select(func.count()).select_from(Donation).where(*where)) or 0
    pages = max(1, -(-total // DONORS_PER_PAGE))
    number = min(int_arg("donors", 1, hi=pages) or 1, pages)
    items = list(db.session.scalars(
        select(Donation).where(*where).order_by(Donation.id.desc())
        .options(selectinload(Donation.donor),
                 selectinload(Donation.match).selectinload(Match.enterprise))
        .offset((number - 1) * DONORS_PER_PAGE).limit(DONORS_PER_PAGE)))
    return DonorPage(items, number, pages, total)


def public_link(endpoint: str, **values: object) -> str:
    """An absolute address from PUBLIC_URL, never from the request's Host header (a
    poster printed from a page fetched as http://10.0.0.5/ must still lead to the site)."""
    return str(current_app.config["PUBLIC_URL"]) + url_for(endpoint, **values)


@dataclass(frozen=True)
class Share:
    url: str
    title: str
    description: str
    image: str  # absolute address of a consented photo, "" without one
    weibo: str
    mail: str


def _description(req: HelpRequest) -> str:
    story = " ".join(req.public_story.split())
    return story[:120] + ("…" if len(story) > 120 else "")


def share(req: HelpRequest) -> Share:
    url = public_link("giving.public_request", request_id=req.id)
    shown = photos.public(req)
    image = public_link("giving.photo", photo_id=shown[0].id, size="full") if shown else ""
    title, text = req.public_title, _description(req)
    return Share(url=url, title=title, description=text, image=image,
                 weibo=("https://service.weibo.com/share/share.php?url=" + quote(url, safe="")
                        + "&title=" + quote(title, safe="")),
                 mail="mailto:?subject=" + quote(title) + "&body=" + quote(f"{text}\n{url}"))


@bp.get("/crowdfunding/<int:request_id>/poster")
def poster(request_id: int):
    """A printable A4 poster: title, village, goal, photo and a QR code of the page."""
    req = db.get_or_404(HelpRequest, request_id)
    if not services.is_public(req):
        abort(404)
    info = share(req)
    qr = segno.make(info.url, error="m").svg_inline(scale=6, omitsize=False)
    return render_template("giving/poster.html", req=req, share=info, qr=Markup(qr),
                           photos=photos.public(req))


def matched_on(gifts: list[Donation]) -> dict[int, int]:
    """Fen matched on each gift (for the donors list and statements)."""
    return {gid: counted(m) for gid, m in matched_shares([g.id for g in gifts]).items()}


@bp.app_context_processor
def link_helpers() -> dict[str, object]:
    """`public_link` for og: tags of other areas' pages (shop products)."""
    return {"public_link": public_link}


def days_left(req: HelpRequest, now: datetime) -> int:
    return max(0, (req.deadline - now).days)


def card(req: HelpRequest, now: datetime) -> dict[str, object]:
    """What a card or the JSON shows: no personal data beyond the consent."""
    v = req.village
    return {"id": req.id, "title": req.public_title, "purpose": req.purpose,
            "household": req.household.public_name if req.household else _("Village project"),
            "village": v.name, "project": req.is_project,
            "county": v.county.name, "province": v.county.province.name,
            "province_en": v.county.province.name_en,
            "needed_fen": req.amount_needed_fen, "raised_fen": req.raised_fen,
            "donors": req.donors_count, "days_left": days_left(req, now),
            "status": services.effective_status(req, now)}


def public_page(req: HelpRequest, form: GiftForm | None = None,
                guest_form: GuestGiftForm | None = None) -> str:
    """The crowdfunding page; with a refused give form, that form as it was sent (amount,
    message, choices, the same idempotency key) and each error beside its field."""
    now = utcnow()
    updates = db.session.scalars(select(RequestUpdate).where(
        RequestUpdate.request_id == req.id).order_by(RequestUpdate.id.desc())).all()
    paid = db.session.scalars(select(Disbursement).where(
        Disbursement.request_id == req.id, Disbursement.status == "approved")
        .order_by(Disbursement.id)).all()
    form = form or GiftForm(formdata=None)
    guest_form = guest_form or GuestGiftForm(formdata=None)
    return render_template(
        "giving/request_public.html", req=req, card=card(req, now), updates=updates,
        paid=paid, donors=donors(req), form=form, presets=prepare(form, req),
        guest_form=guest_form, guest_presets=prepare(guest_form, req),
        photos=photos.public(req), share=share(req),
        matched_by=matching.badges([req.id]).get(req.id, []),
        complaint=ComplaintForm(), paused=services.paused_by_complaints(req),
        status=services.effective_status(req, now))
