"""A product photo uploaded by the village loses what the camera wrote beside the pixels
(GPS position, camera, time): the site re-encodes it."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.shop.models import ProductPhoto

GPS_IFD = 0x8825


def _jpeg_with_gps() -> io.BytesIO:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (28.0, 34.0, 20.0), 3: "E", 4: (109.0, 28.0, 55.0)}
    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 40)).save(buf, "JPEG", exif=exif.tobytes())
    buf.seek(0)
    assert Image.open(io.BytesIO(buf.getvalue())).getexif().get_ifd(GPS_IFD)  # it is there
    return buf


def test_uploaded_photo_is_served_without_its_exif(app, shop):
    sec = app.test_client()
    support.login(sec, shop.secretary.email)
    r = support.post(sec, f"/shop/manage/{shop.honey}/photos",
                     {"photo": (_jpeg_with_gps(), "honey.jpg")},
                     content_type="multipart/form-data")
    assert r.status_code == 302
    with app.app_context():
        name = db.session.scalar(select(ProductPhoto.name).where(
            ProductPhoto.product_id == shop.honey))
    for suffix in (".jpg", "_t.jpg"):
        served = app.test_client().get(f"/shop/photos/{name}{suffix}")
        assert served.status_code == 200
        image = Image.open(io.BytesIO(served.get_data()))
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD) and 0x010F not in exif, suffix
        assert b"PhoneMaker" not in served.get_data()
