"""What a token's owner reads of their own: gifts, orders, proposals (and answers them),
rounds for coordinators; and the public shop and ledger. Someone else's row is 404."""

from __future__ import annotations

from datetime import timedelta

from api_tokens import auth, make
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.db import today, utcnow
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.giving.models import Donation
from pairing.matching.models import Pairing, Proposal, Round
from pairing.needs.models import Need
from pairing.places.models import Village
from pairing.shop.models import Checkout, Order, OrderLine, Product


def _donor(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Donation.donor_id).where(Donation.donor_id.is_not(None)))


def test_donor_reads_own_gifts_only(app, client, gifts, make_user):
    donor_id = _donor(app)
    token = make(app, donor_id, ["giving:read"])
    r = client.get("/api/v1/donations", headers=auth(token))
    assert r.status_code == 200
    assert sorted(d["request_id"] for d in r.json["items"]) == sorted(gifts)
    assert {d["amount_fen"] for d in r.json["items"]} == {1_099}
    gift_id = r.json["items"][0]["id"]
    assert client.get(f"/api/v1/donations/{gift_id}", headers=auth(token)).json[
        "amount_fen"] == 1_099
    stranger = make(app, make_user("donor").id, ["giving:read"])
    assert client.get("/api/v1/donations", headers=auth(stranger)).json["items"] == []
    r = client.get(f"/api/v1/donations/{gift_id}", headers=auth(stranger))
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def _order(app, seeded, buyer_id: int) -> tuple[int, int]:
    with app.app_context():
        product = Product(village_id=seeded["villages"][0], name="黄金茶", category="tea",
                          unit="500g", price_fen=8_800, stock=10)
        checkout = Checkout(buyer_id=buyer_id, idempotency_key=f"k{buyer_id}", total_fen=17_600)
        db.session.add_all([product, checkout])
        db.session.flush()
        order = Order(checkout_id=checkout.id, buyer_id=buyer_id,
                      village_id=seeded["villages"][0], total_fen=17_600, recipient="张三",
                      phone="13800000000", address="长沙市")
        order.lines.append(OrderLine(product_id=product.id, name="黄金茶", unit="500g",
                                     unit_price_fen=8_800, quantity=2))
        db.session.add(order)
        db.session.commit()
        return product.id, order.id


def test_buyer_reads_own_orders_and_the_shop(app, client, donor_client, seeded, make_user):
    product_id, order_id = _order(app, seeded, donor_client.user.id)
    token = make(app, donor_client.user.id, ["shop:read"])
    r = client.get("/api/v1/orders", headers=auth(token))
    assert [o["id"] for o in r.json["items"]] == [order_id]
    order = client.get(f"/api/v1/orders/{order_id}", headers=auth(token)).json
    assert order["total_fen"] == 17_600 and order["lines"][0]["total_fen"] == 17_600
    assert "phone" not in order and "address" not in order
    stranger = make(app, make_user("donor").id, ["shop:read"])
    assert client.get(f"/api/v1/orders/{order_id}", headers=auth(stranger)).status_code == 404
    products = client.get("/api/v1/products").json["items"]
    assert [(p["id"], p["price_fen"]) for p in products] == [(product_id, 8_800)]
    assert client.get(f"/api/v1/products/{product_id}").json["name"] == "黄金茶"
    with app.app_context():
        db.session.get(Product, product_id).status = "paused"
        db.session.commit()
    assert client.get(f"/api/v1/products/{product_id}").status_code == 404


def _proposal(app, seeded, officer_id: int, secretary_id: int) -> int:
    with app.app_context():
        db.session.get(Enterprise, seeded["enterprises"][0]).officer_id = officer_id
        db.session.get(Village, seeded["villages"][0]).secretary_id = secretary_id
        rnd = Round(status="done", province_code="43")
        offer = Offer(enterprise_id=seeded["enterprises"][0], kind="jobs", quantity=10,
                      starts_on=today(), public=True)
        need = Need(village_id=seeded["villages"][0], kind="jobs", quantity=10, public=True)
        db.session.add_all([rnd, offer, need])
        db.session.flush()
        proposal = Proposal(round_id=rnd.id, offer_id=offer.id, need_id=need.id, quantity=6,
                            expires_at=utcnow() + timedelta(days=3))
        db.session.add(proposal)
        db.session.commit()
        return proposal.id


def test_both_sides_accept_through_the_api(app, client, enterprise_client, secretary_client,
                                           seeded, make_user):
    proposal_id = _proposal(app, seeded, enterprise_client.user.id, secretary_client.user.id)
    firm = make(app, enterprise_client.user.id, ["matching:write"])
    village = make(app, secretary_client.user.id, ["matching:read"])
    listed = client.get("/api/v1/proposals?status=pending", headers=auth(firm)).json["items"]
    assert [p["id"] for p in listed] == [proposal_id]
    r = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"accept": True},
                    headers=auth(village))
    assert r.status_code == 403 and r.json["error"]["code"] == "insufficient_scope"
    r = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"accept": True},
                    headers=auth(firm))
    assert r.status_code == 200 and r.json["pairing_id"] is None
    assert r.json["proposal"]["enterprise_answer"] == "accept"
    village = make(app, secretary_client.user.id, ["matching:write"])
    r = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"accept": True},
                    headers=auth(village))
    assert r.status_code == 200 and r.json["proposal"]["status"] == "accepted"
    with app.app_context():
        pairing = db.session.get(Pairing, r.json["pairing_id"])
        assert pairing.quantity == 6
    again = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"accept": True},
                        headers=auth(village))
    assert again.status_code == 422


def test_declining_needs_a_reason_and_strangers_see_nothing(app, client, enterprise_client,
                                                           secretary_client, seeded,
                                                           make_user):
    proposal_id = _proposal(app, seeded, enterprise_client.user.id, secretary_client.user.id)
    firm = make(app, enterprise_client.user.id, ["matching:write"])
    r = client.post(f"/api/v1/proposals/{proposal_id}/answer", json={"accept": False},
                    headers=auth(firm))
    assert r.status_code == 422 and "reason" in r.json["error"]["fields"]["json"]
    stranger = make(app, make_user("enterprise").id, ["matching:write"])
    for method, url in (("get", f"/api/v1/proposals/{proposal_id}"),
                        ("post", f"/api/v1/proposals/{proposal_id}/answer")):
        r = client.open(url, method=method, json={"accept": True}, headers=auth(stranger))
        assert r.status_code == 404, url
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).enterprise_answer is None


def test_rounds_for_coordinators_of_their_jurisdiction(app, client, enterprise_client,
                                                      secretary_client, seeded, make_user):
    _proposal(app, seeded, enterprise_client.user.id, secretary_client.user.id)
    with app.app_context():
        other = Round(status="draft", province_code="51")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    national = make(app, make_user("coordinator", jurisdiction="CN").id, ["matching:read"])
    hunan = make(app, make_user("coordinator", jurisdiction="43").id, ["matching:read"])
    assert len(client.get("/api/v1/rounds", headers=auth(national)).json["items"]) == 2
    items = client.get("/api/v1/rounds", headers=auth(hunan)).json["items"]
    assert [r["province_code"] for r in items] == ["43"]
    assert client.get(f"/api/v1/rounds/{other_id}", headers=auth(hunan)).status_code == 404
    assert client.get(f"/api/v1/rounds/{other_id}", headers=auth(national)).json[
        "status"] == "draft"
    firm = make(app, enterprise_client.user.id, ["matching:read"])
    assert client.get("/api/v1/rounds", headers=auth(firm)).status_code == 403


def test_ledger_entries_filtered(app, client, gifts):
    r = client.get("/api/v1/ledger/entries")
    assert r.status_code == 200
    entries = r.json["items"]
    assert {(e["request_id"], e["kind"], e["amount_fen"]) for e in entries} >= {
        (gifts[0], "donation", 1_099), (gifts[1], "donation", 1_099)}
    one = client.get(f"/api/v1/ledger/entries?account=request:{gifts[0]}").json["items"]
    assert {e["request_id"] for e in one} == {gifts[0]}
    assert client.get("/api/v1/ledger/entries?kind=refund").json["items"] == []
    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert client.get(f"/api/v1/ledger/entries?since={tomorrow}").json["items"] == []
    assert len(client.get(f"/api/v1/ledger/entries?until={tomorrow}").json["items"]) == len(
        entries)
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.role == "donor"))
