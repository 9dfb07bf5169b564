"""Consented photos of help requests and village projects.

The village's secretary uploads them while the request is still being prepared (draft,
submitted, rejected), confirming that the people shown agreed; the verifier sees them
with the request, so a photo is public only once its request is verified (services.is_public)
and until a verifier hides it. Every upload is re-encoded by Pillow (shop.photos): the
file served has pixels only, no EXIF, no GPS position.
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import BooleanField
from wtforms.validators import DataRequired

from .. import uploads
from ..accounts.models import Role, User
from ..audit import services as audit
from ..auth import may_act_on, role_required
from ..db import begin_write, lock, utcnow
from ..extensions import db
from .blueprint import bp, fail
from .models import HelpRequest
from .photo_models import RequestPhoto
from .policy import Forbidden, GivingError, manages_request
from .reading import is_public

MAX_PHOTOS = 6
EDITABLE = ("draft", "submitted", "rejected")  # what the verifier will still look at


class PhotoForm(FlaskForm):
    # Its own element ids: the request's page also holds the evidence form's "file".
    file = FileField(_l("Photo (JPEG, PNG or WebP)"), validators=[FileRequired()],
                     id="photo-file")
    consent = BooleanField(_l("The people in this photo agreed to its publication on this "
                              "site"), validators=[DataRequired(
                                  message=_l("A photo is published only with the consent of "
                                             "the people in it."))], id="photo-consent")


def folder() -> Path:
    path = Path(str(current_app.config["UPLOAD_DIR"])) / "giving-photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def paths(name: str) -> tuple[Path, Path]:
    return folder() / f"{name}.jpg", folder() / f"{name}_t.jpg"


def _store(stream) -> tuple[str, int, int]:  # noqa: ANN001
    """The shop's checks and re-encoding, into this area's own folder (imported here:
    the shop is an area above giving, pairing/areas.py)."""
    import secrets

    from ..shop import photos as shop_photos

    image = shop_photos._open(shop_photos._read(stream))  # noqa: SLF001 - one re-encoder
    name = secrets.token_hex(12)
    web, thumb = paths(name)
    big = image.copy()
    big.thumbnail((shop_photos.WEB_SIZE, shop_photos.WEB_SIZE))
    big.save(web, "JPEG", quality=82, optimize=True, progressive=True)
    small = image.copy()
    small.thumbnail((shop_photos.THUMB_SIZE, shop_photos.THUMB_SIZE))
    small.save(thumb, "JPEG", quality=78, optimize=True)
    return name, big.width, big.height


def add(actor: User, req: HelpRequest, stream, session: Session | None = None  # noqa: ANN001
        ) -> RequestPhoto:
    session = session or db.session
    if not manages_request(actor, req):
        raise Forbidden(_l("You may not do this."))
    req = lock(session, HelpRequest, req.id)
    if req.status not in EDITABLE:
        raise GivingError(_l("Photos are added before the request is verified."))
    count = len(session.scalars(select(RequestPhoto.id).where(
        RequestPhoto.request_id == req.id)).all())
    if count >= MAX_PHOTOS:
        raise GivingError(_l("A request has at most %(n)d photos.", n=MAX_PHOTOS))
    from ..shop.photos import PhotoError

    try:
        name, width, height = _store(stream)
    except PhotoError as exc:
        raise GivingError(str(exc)) from None
    uploads.written(session, *paths(name))
    photo = RequestPhoto(request_id=req.id, name=name, width=width, height=height,
                         uploaded_by_id=actor.id)
    session.add(photo)
    session.flush()
    audit.record(actor, "giving.photo.add", photo, after={"request_id": req.id, "name": name},
                 session=session)
    return photo


def hide(actor: User, photo: RequestPhoto, session: Session | None = None) -> None:
    """A verifier of the request's county takes a photo off the public pages for good."""
    session = session or db.session
    if not may_act_on(actor, photo.request.village.county_code):
        raise Forbidden(_l("You may not do this."))
    # Read afresh under the row's lock: two verifiers hiding it at once write one audit row.
    photo = lock(session, RequestPhoto, photo.id) or photo
    if photo.hidden_at is None:
        photo.hidden_at, photo.hidden_by_id = utcnow(), actor.id
        audit.record(actor, "giving.photo.hide", photo, after={"request_id": photo.request_id},
                     session=session)


def public(req: HelpRequest) -> list[RequestPhoto]:
    if not is_public(req):
        return []
    return list(db.session.scalars(select(RequestPhoto).where(
        RequestPhoto.request_id == req.id, RequestPhoto.hidden_at.is_(None))
        .order_by(RequestPhoto.id)))


def of_request(req: HelpRequest) -> list[RequestPhoto]:
    """All of a request's photos, hidden ones too (the secretary's and verifier's pages)."""
    return list(db.session.scalars(select(RequestPhoto).where(
        RequestPhoto.request_id == req.id).order_by(RequestPhoto.id)))


def may_see(actor: User, photo: RequestPhoto) -> bool:
    req = photo.request
    if photo.hidden_at is None and is_public(req):
        return True
    return manages_request(actor, req) or may_act_on(actor, req.village.county_code)


@bp.get("/crowdfunding/photos/<int:photo_id>/<any(full, thumb):size>")
def photo(photo_id: int, size: str):
    record = db.get_or_404(RequestPhoto, photo_id)
    if not may_see(current_user, record):
        abort(404)
    web, thumb = paths(record.name)
    response = send_file(web if size == "full" else thumb, mimetype="image/jpeg")
    public_now = record.hidden_at is None and is_public(record.request)
    # A hidden photo must leave caches soon; an unpublished one never enters them.
    response.headers["Cache-Control"] = "public, max-age=300" if public_now else "private, no-store"
    return response


@bp.post("/giving/requests/<int:request_id>/photos")
@role_required(Role.SECRETARY)
def add_photo(request_id: int):
    req = db.get_or_404(HelpRequest, request_id)
    if not manages_request(current_user, req):
        abort(404)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            begin_write()
            add(current_user, req, form.file.data.stream)
            db.session.commit()
            flash(_("Photo added. It is public once the request is verified."), "success")
        except ValueError as exc:
            fail(exc)
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for("giving.manage_request", request_id=request_id) + "#photos")


@bp.post("/giving/photos/<int:photo_id>/hide")
@role_required(Role.VERIFIER)
def hide_photo(photo_id: int):
    record = db.get_or_404(RequestPhoto, photo_id)
    if not may_act_on(current_user, record.request.village.county_code):
        abort(404)
    begin_write()
    hide(current_user, record)
    db.session.commit()
    flash(_("The photo is hidden from the public pages."), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("giving.verify_request", request_id=record.request_id))


@bp.app_context_processor
def photo_helpers() -> dict[str, object]:
    """The secretary's and the verifier's pages list a request's photos (hidden ones too)."""
    return {"request_photos": of_request, "new_photo_form": lambda: PhotoForm(formdata=None)}
