"""The demo gives enterprises offers and villages needs, in Chinese, on the public pages."""

from __future__ import annotations

from sqlalchemy import func, select

from pairing import demo
from pairing.enterprises.models import Offer
from pairing.extensions import db
from pairing.needs.models import Need


def test_demo_offers_and_needs(app, client):
    with app.app_context():
        demo.load(echo=lambda _m: None)
        assert db.session.scalar(select(func.count()).select_from(Offer)) >= 50
        assert db.session.scalar(select(func.count()).select_from(Need)) >= 100
        assert db.session.scalar(select(func.count(func.distinct(Offer.kind)))) >= 6
    page = client.get("/needs?q=茶叶加工", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "乌东村" in page and "引进一家茶叶加工企业" in page
    assert "订单收购" in client.get("/offers?kind=procurement").get_data(as_text=True)
