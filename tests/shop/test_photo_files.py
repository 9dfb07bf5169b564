"""Photo files follow the product's transaction: a failed upload leaves no file, a removal
that rolls back keeps it, a committed removal deletes it."""

from __future__ import annotations

import io

from PIL import Image

from pairing.accounts.models import User
from pairing.extensions import db
from pairing.shop import photos
from pairing.shop import services as shop_services
from pairing.shop.models import Product


def _png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buf, "PNG")
    buf.seek(0)
    return buf


def test_photo_files_follow_the_transaction(app, shop):
    with app.app_context():
        folder = photos.folder()
        before = set(folder.iterdir())
        secretary = db.session.get(User, shop.secretary.id)
        shop_services.add_photo(secretary, db.session.get(Product, shop.honey), _png())
        assert set(folder.iterdir()) - before  # written before the commit...
        db.session.rollback()
        assert set(folder.iterdir()) == before  # ...and gone with the rollback

        photo = shop_services.add_photo(secretary, db.session.get(Product, shop.honey), _png())
        db.session.commit()
        files = photos.paths(photo.name)
        assert all(f.exists() for f in files)
        shop_services.remove_photo(secretary, photo)
        db.session.rollback()
        assert all(f.exists() for f in files)  # the row is back: so are its files
        shop_services.remove_photo(secretary, db.session.get(type(photo), photo.id))
        db.session.commit()
        assert not any(f.exists() for f in files)
