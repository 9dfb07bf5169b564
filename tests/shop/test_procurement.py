"""Procurement that counts: an enterprise's bulk order from the village it is paired with
for procurement becomes delivery on that pairing once received and confirmed."""

from __future__ import annotations

import pytest
from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.matching import delivery
from pairing.matching.models import Notification, Pairing, ProgressReport
from pairing.needs.models import Need
from pairing.shop import services
from pairing.shop.models import Order

from .shop_helpers import ZHAOJUE, make_product, make_village
from .shop_helpers import delivery as address


def _u(ref) -> User:  # noqa: ANN001
    return db.session.get(User, ref.id)


def _buy(app, buyer, cart: dict[int, int], key: str, receive: bool = False) -> list[int]:  # noqa: ANN001
    """Checkout, pay and ship (and with `receive`, confirm receipt): the order ids."""
    with app.app_context():
        ids = [o.id for o in services.checkout(_u(buyer), cart, address(), key).orders]
        db.session.commit()
        for oid in ids:
            services.pay(_u(buyer), oid)
            order = db.session.get(Order, oid)
            services.ship(order.village.secretary, oid, "顺丰速运", f"SF{oid}")
            db.session.commit()
    if receive:
        for oid in ids:
            _receive(app, buyer, oid)
    return ids


def _receive(app, buyer, order_id: int) -> None:  # noqa: ANN001
    with app.app_context():
        services.confirm_delivery(_u(buyer), order_id)
        db.session.commit()


def _links(app) -> dict[int, int | None]:  # noqa: ANN001
    with app.app_context():
        return dict(db.session.execute(select(Order.id, Order.pairing_id)).all())


def _reports(app) -> list[tuple[int | None, int, str, str]]:  # noqa: ANN001
    with app.app_context():
        return [(r.order_id, r.quantity, r.status, r.note) for r in db.session.scalars(
            select(ProgressReport).order_by(ProgressReport.id))]


@pytest.fixture
def paired(app, make_user):  # noqa: ANN001, ANN201
    """A procurement pairing of ¥200,000 and a product of its village (¥10,000 a unit)."""
    m, pairing_id = h.paired(app, make_user, need_qty=20_000_000)
    bulk = make_product(app, m.village_id, name="保靖黄金茶", price=1_000_000, stock=100,
                        category="tea")
    return m, pairing_id, bulk


def test_linked_at_checkout_only_for_the_paired_enterprise_and_village(app, make_user, paired):
    m, pairing_id, bulk = paired
    other = make_village(app, make_user("secretary").id, "三河村", county=ZHAOJUE)
    tea = make_product(app, other, name="高山苦荞茶", price=3900, category="tea")
    [own, other_village] = _buy(app, m.officer, {bulk: 1, tea: 1}, "k1")
    [donors] = _buy(app, make_user("donor"), {bulk: 1}, "k2")
    stranger = make_user("enterprise")
    h.f.enterprise(app, stranger.id, name="另一家企业")
    [strangers] = _buy(app, stranger, {bulk: 1}, "k3")
    assert _links(app) == {own: pairing_id, other_village: None, donors: None, strangers: None}
    for oid in (other_village, donors, strangers):
        _receive(app, _buyer_of(app, oid), oid)
    assert _reports(app) == []  # an ordinary order creates nothing


def _buyer_of(app, order_id: int):  # noqa: ANN001, ANN202
    with app.app_context():
        uid = db.session.get(Order, order_id).buyer_id
    return type("Ref", (), {"id": uid})()


def test_receipt_reports_once_and_the_village_confirms(app, paired):
    m, pairing_id, bulk = paired
    [oid] = _buy(app, m.officer, {bulk: 3}, "k1", receive=True)
    with app.app_context(), pytest.raises(services.ShopError):
        services.confirm_delivery(_u(m.officer), oid)  # a second press changes nothing
    assert _reports(app) == [(oid, 3_000_000, "reported", f"Village shop order #{oid}")]
    with app.app_context():
        report = db.session.scalars(select(ProgressReport)).one()
        assert report.pairing_id == pairing_id
        delivery.confirm_report(_u(m.secretary), report)
        db.session.commit()
        pairing = db.session.get(Pairing, pairing_id)
        assert pairing.delivered_quantity == 3_000_000
        assert db.session.get(Need, m.need_id).met_quantity == 3_000_000


def test_capped_at_outstanding_and_nothing_when_nothing_is_left(app, paired):
    m, pairing_id, bulk = paired
    [first, second] = [_buy(app, m.officer, {bulk: 25}, f"k{i}")[0] for i in (1, 2)]
    assert _links(app) == {first: pairing_id, second: pairing_id}  # both while work was left
    _receive(app, m.officer, first)
    _receive(app, m.officer, second)
    assert [r[:3] for r in _reports(app)] == [(first, 20_000_000, "reported")]


def test_the_secretary_gets_the_usual_notice(app, paired):
    m, pairing_id, bulk = paired
    _buy(app, m.officer, {bulk: 1}, "k1", receive=True)
    with app.app_context():
        kinds = list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == m.secretary.id)))
    assert "report.new" in kinds


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pairing_page_shows_the_orders_without_personal_data(app, make_user, paired, lang):
    m, pairing_id, bulk = paired
    [oid] = _buy(app, m.officer, {bulk: 2}, "k1", receive=True)
    expect = {"en": ("Village shop orders", f"Village shop order #{oid}", "¥20,000.00"),
              "zh": ("消费扶贫馆订单", f"消费扶贫馆订单 #{oid}", "¥20,000.00")}[lang]
    for who in (m.officer, m.secretary):
        page = h.client_for(app, who, lang).get(f"/pairings/{pairing_id}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert f'id="shop-order-{oid}"' in text and all(e in text for e in expect)
        assert "13800138000" not in text and "文三路" not in text and "刘女士" not in text
    outsider = h.client_for(app, make_user("enterprise"), lang)
    assert outsider.get(f"/pairings/{pairing_id}").status_code in (403, 404)
    order_page = h.client_for(app, m.officer, lang).get(f"/shop/orders/{oid}")
    assert f"/pairings/{pairing_id}" in order_page.get_data(as_text=True)


def test_checkout_page_says_the_order_counts(app, paired):
    m, pairing_id, bulk = paired
    client = h.client_for(app, m.officer, "en")
    support.post(client, "/shop/cart", {"product_id": bulk, "quantity": 5, "add": "1"})
    text = client.get("/shop/checkout").get_data(as_text=True)
    assert f"counts toward pairing #{pairing_id}" in text
