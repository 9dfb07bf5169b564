"""The demo shop: products with photos, orders in every state, balanced books."""

from __future__ import annotations

from sqlalchemy import select

from pairing.extensions import db
from pairing.ledger import services as ledger
from pairing.matching.models import ProgressReport
from pairing.shop.models import Order, Product


def test_demo_has_a_believable_shop(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        states = set(db.session.scalars(select(Order.state)))
        assert {"placed", "paid", "shipped", "delivered", "refunded"} <= states
        products = db.session.scalars(select(Product)).all()
        assert len(products) >= 15 and all(p.photos for p in products)
        assert ledger.verify() == []
        # Procurement that counts: a delivered bulk order confirmed on its pairing.
        counted = db.session.scalars(select(ProgressReport).where(
            ProgressReport.order_id.is_not(None), ProgressReport.status == "confirmed")).all()
        assert counted and counted[0].pairing.delivered_quantity >= counted[0].quantity
        assert db.session.get(Order, counted[0].order_id).state == "delivered"
        thumb = products[0].photos[0].name + "_t.jpg"
    page = client.get("/shop", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "十八洞野生蜂蜜" in page and "淘宝村" in page
    assert client.get(f"/shop/photos/{thumb}").status_code == 200
