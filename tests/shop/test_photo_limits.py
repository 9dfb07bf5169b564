"""A product photo larger than the limit is refused with the photo's own message, and
nothing is stored (the upload read through pairing.uploads)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

import support
from pairing.extensions import db
from pairing.shop.models import ProductPhoto

MB = 1024 * 1024


def test_a_photo_over_the_limit_is_refused(app, shop):
    app.config["SHOP_PHOTO_MAX_BYTES"] = MB
    sec = app.test_client()
    support.login(sec, shop.secretary.email)
    for language, said in (("en", "The photo is larger than 1 MB."), ("zh", "照片超过 1 MB")):
        page = support.post(sec, f"/shop/manage/{shop.honey}/photos",
                            {"photo": (io.BytesIO(b"\x89PNG" + b"0" * MB), "big.png")},
                            content_type="multipart/form-data", follow_redirects=True,
                            headers={"Accept-Language": language})
        assert said in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProductPhoto)) == 0
