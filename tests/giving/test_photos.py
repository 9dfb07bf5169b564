"""Consented photos of requests (issue 19.5): the village's secretary uploads them with the
consent box ticked before verification, they come out re-encoded without EXIF or GPS,
the public sees them only once the request is verified, and a verifier can hide one."""

from __future__ import annotations

import io
import re

from giving_helpers import make_household, make_request, make_village
from giving_helpers import world as make_world
from PIL import ExifTags, Image

import support

EN = {"Accept-Language": "en"}


def gps_jpeg() -> bytes:
    image = Image.new("RGB", (1600, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneCam"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (28.0, 30.0, 0.0), 3: "E", 4: (109.0, 30.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return out.getvalue()


def upload(client, request_id: int, consent: bool = True, data: bytes | None = None):  # noqa: ANN001, ANN201
    form = {"file": (io.BytesIO(data or gps_jpeg()), "IMG_0001.jpg")}
    if consent:
        form["consent"] = "y"
    return support.post(client, f"/giving/requests/{request_id}/photos", form,
                        content_type="multipart/form-data", headers=EN, follow_redirects=True)


def photo_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"/crowdfunding/photos/(\d+)/", page)]


def test_photo_is_stripped_and_public_only_after_verification(app, make_user):
    w = make_world(app, make_user, state="submitted")
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    refused = upload(sec, w.request_id, consent=False)
    assert "only with the consent" in refused.get_data(as_text=True)
    page = upload(sec, w.request_id).get_data(as_text=True)
    (pid,) = set(photo_ids(page))
    anon = app.test_client()
    assert anon.get(f"/crowdfunding/photos/{pid}/full").status_code == 404  # not verified
    donor = app.test_client()
    support.login(donor, make_user("donor").email)
    assert donor.get(f"/crowdfunding/photos/{pid}/thumb").status_code == 404
    own = sec.get(f"/crowdfunding/photos/{pid}/full")
    assert own.status_code == 200 and "no-store" in own.headers["Cache-Control"]
    image = Image.open(io.BytesIO(own.data))
    assert image.format == "JPEG" and max(image.size) <= 1024
    assert not image.getexif() and b"PhoneCam" not in own.data
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    verifier = app.test_client()
    support.login(verifier, w.verifier.email)
    assert pid in photo_ids(verifier.get(f"/giving/verify/requests/{w.request_id}").get_data(
        as_text=True))
    support.post(verifier, f"/giving/verify/requests/{w.request_id}", {"decision": "approve"})
    from giving_helpers import figures

    assert figures(app, w.request_id)["status"] == "notice"
    public = anon.get(f"/crowdfunding/{w.request_id}").get_data(as_text=True)
    assert pid in photo_ids(public) and 'property="og:image"' in public
    assert anon.get(f"/crowdfunding/photos/{pid}/full").status_code == 200
    # Verified: the secretary adds no more (the verifier did not see them).
    assert "before the request is verified" in upload(sec, w.request_id).get_data(as_text=True)

    support.post(verifier, f"/giving/photos/{pid}/hide")
    assert anon.get(f"/crowdfunding/photos/{pid}/full").status_code == 404
    assert pid not in photo_ids(anon.get(f"/crowdfunding/{w.request_id}").get_data(as_text=True))
    assert sec.get(f"/crowdfunding/photos/{pid}/full").status_code == 200  # still theirs


def test_roles_that_may_not_touch_photos(app, make_user):
    w = make_world(app, make_user, state="submitted")
    other_sec = make_user("secretary")
    other_village = make_village(app, other_sec.id, name="菖蒲塘村")
    other_req = make_request(app, other_sec.id, make_household(app, other_sec.id, other_village,
                                                               seq=2),
                             state="submitted")
    intruder = app.test_client()
    support.login(intruder, other_sec.email)
    assert upload(intruder, w.request_id).status_code == 404  # another village's request
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    (pid,) = set(photo_ids(upload(sec, w.request_id).get_data(as_text=True)))
    assert intruder.get(f"/crowdfunding/photos/{pid}/full").status_code == 404
    far = app.test_client()
    support.login(far, make_user("verifier", jurisdiction="33").email)  # Zhejiang, not Hunan
    assert far.get(f"/crowdfunding/photos/{pid}/full").status_code == 404
    assert support.post(far, f"/giving/photos/{pid}/hide").status_code == 404
    assert support.post(sec, f"/giving/photos/{pid}/hide").status_code in (302, 403)
    assert sec.get(f"/crowdfunding/photos/{pid}/full").status_code == 200  # not hidden
    assert other_req


def test_not_a_photo_is_refused(app, make_user):
    w = make_world(app, make_user, state="draft")
    sec = app.test_client()
    support.login(sec, w.secretary.email)
    page = upload(sec, w.request_id, data=b"%PDF-1.4 not a photo").get_data(as_text=True)
    assert "Upload a JPEG, PNG or WebP photo." in page or "not a photo" in page
    assert photo_ids(page) == []
