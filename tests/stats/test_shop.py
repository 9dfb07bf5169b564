"""Village shop sales: paid orders only, in yuan, with no buyer data in the download."""

from __future__ import annotations

import csv
import io

from pairing.db import utcnow
from pairing.extensions import db
from pairing.shop.models import Checkout, Order
from pairing.stats.privacy import personal_data_in


def _orders(app, seeded, buyer_id: int) -> None:
    with app.app_context():
        checkout = Checkout(buyer_id=buyer_id, idempotency_key="k1", total_fen=0)
        db.session.add(checkout)
        db.session.flush()
        for state, fen in (("paid", 12_000), ("delivered", 30_050), ("placed", 9_900),
                           ("refunded", 5_000), ("cancelled", 7_000)):
            db.session.add(Order(checkout_id=checkout.id, buyer_id=buyer_id,
                                 village_id=seeded["villages"][0], state=state, total_fen=fen,
                                 recipient="李买家", phone="13812345678",
                                 address="北京市海淀区某路1号",
                                 paid_at=utcnow() if state != "placed" else None))
        db.session.commit()


def test_shop_sales_count_paid_orders_only(app, client, seeded, make_user):
    buyer = make_user("donor", name="李买家")
    _orders(app, seeded, buyer.id)
    national = client.get("/api/v1/figures").json["national"]
    assert national["shop_sales"] == 421  # 420.50 yuan, rounded half up
    body = client.get("/open-data/sales.csv?province=43").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["state"] for r in rows) == ["delivered", "paid"]
    assert personal_data_in(body, ["李买家", "北京市海淀区某路1号", buyer.email]) == []
    assert client.get("/open-data/sales.xlsx").status_code == 200
