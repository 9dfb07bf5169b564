"""A request's photos added and hidden at once through a multi-worker gunicorn: the limit of
photos per request holds when more uploads than it allows arrive together, and a photo
hidden by several clicks at once is hidden once, with one audit row. No 500s."""

from __future__ import annotations

import io

import pytest
from giving_helpers import world as make_world
from PIL import Image
from sqlalchemy import func, select

from pairing.audit.models import AuditEvent
from pairing.extensions import db
from pairing.giving import photos
from pairing.giving.photo_models import RequestPhoto
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _count(app, model, *where) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_uploads_beyond_the_limit_and_hides_at_once(app, database, tmp_path, make_user):
    w = make_world(app, make_user, state="submitted")
    image = _jpeg()
    tries = photos.MAX_PHOTOS + 3
    with app_servers(database, tmp_path, workers=3, threads=3,
                     worker_class="gthread") as (site,):
        secretaries = [HttpClient(site.url) for _ in range(tries)]
        for c in secretaries:
            c.login(w.secretary.email)
        page = f"/giving/requests/{w.request_id}"
        tokens = [c.csrf(page) for c in secretaries]
        added = release_together(tries, lambda i: secretaries[i].post_form(
            f"/giving/requests/{w.request_id}/photos", {"consent": "y"}, token=tokens[i],
            files={"file": ("IMG.jpg", image, "image/jpeg")}))
        assert server_errors(added) == []
        assert {a.status_code for a in added} == {302}
        assert _count(app, RequestPhoto) == photos.MAX_PHOTOS

        with app.app_context():
            first = db.session.scalar(select(RequestPhoto.id).order_by(RequestPhoto.id))
        verifiers = [HttpClient(site.url) for _ in range(6)]
        for c in verifiers:
            c.login(w.verifier.email)
        tokens = [c.csrf() for c in verifiers]
        hidden = release_together(6, lambda i: verifiers[i].post_form(
            f"/giving/photos/{first}/hide", token=tokens[i]))
        assert server_errors(hidden) == []
        assert {a.status_code for a in hidden} == {302}
        running(site)
    assert _count(app, AuditEvent, AuditEvent.action == "giving.photo.hide") == 1
    assert _count(app, AuditEvent, AuditEvent.action == "giving.photo.add") == photos.MAX_PHOTOS
