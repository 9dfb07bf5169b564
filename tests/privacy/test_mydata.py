"""A person's own data: the download holds everything about them; deleting the account
leaves nothing that names them anywhere in the database, keeps the money's trail, and
ends every way in."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

import support
from pairing.accounts.models import User
from pairing.api.models import ApiToken
from pairing.db import begin_write, utcnow
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.giving import services as giving
from pairing.giving.models import Donation
from pairing.ledger.models import LedgerEntry
from pairing.notices.models import NoticeSetting, Notification
from pairing.shop.models import Checkout, Order, OrderLine, Product

NAME, EMAIL, PHONE = "欧阳秀英", "ouyang.xiuying@example.org", "13911112222"


def _person(app, seeded, gifts, make_user, order_state: str = "delivered"):  # noqa: F811
    person = make_user("enterprise", email=EMAIL, name=NAME)
    with app.app_context():
        user = db.session.get(User, person.id)
        begin_write()
        user.work_phone = PHONE
        gift = giving.donate(user, gifts[0], 2_500, "mine-1")
        db.session.get(Donation, gift.id).message = f"{NAME} 祝福"
        enterprise = db.session.get(Enterprise, seeded["enterprises"][0])
        enterprise.officer_id, enterprise.contact_name = user.id, NAME
        enterprise.contact_phone = PHONE
        product = Product(village_id=seeded["villages"][0], name="茶", category="tea",
                          unit="kg", price_fen=500, stock=5)
        checkout = Checkout(buyer_id=user.id, idempotency_key="c1", total_fen=500)
        db.session.add_all([product, checkout])
        db.session.flush()
        order = Order(checkout_id=checkout.id, buyer_id=user.id, village_id=product.village_id,
                      total_fen=500, recipient=NAME, phone=PHONE, address="欧阳巷 88 号",
                      state=order_state)
        order.lines.append(OrderLine(product_id=product.id, name="茶", unit="kg",
                                     unit_price_fen=500, quantity=1))
        db.session.add_all([order, Notification(user_id=user.id, kind="proposal.new",
                                                params={"id": 1})])
        gift_id = gift.id
        db.session.commit()
    client = app.test_client()
    support.login(client, EMAIL)
    support.post(client, "/account/tokens", {"name": "erp", "scopes": ["shop:read"]})
    return person, client, gift_id


def _dump(app) -> str:
    """Every value of every row of every table, as text."""
    out = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                out.append(" ".join(json.dumps(v, default=str, ensure_ascii=False)
                                    if not isinstance(v, bytes) else v.hex() for v in row))
    return "\n".join(out)


def test_download_holds_everything_about_the_person(app, seeded, gifts, make_user):  # noqa: F811
    person, client, gift_id = _person(app, seeded, gifts, make_user)
    with app.app_context():  # a choice of theirs is data about them too
        db.session.add(NoticeSetting(user_id=person.id, kind="order.shipped", mail=False))
        db.session.commit()
    assert "/account/my-data" in client.get("/account").get_data(as_text=True)
    r = client.get("/account/my-data/export.json")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    assert data["account"][0]["email"] == EMAIL and "password_hash" not in data["account"][0]
    assert [d["id"] for d in data["donations"]] == [gift_id]
    assert data["orders"][0]["phone"] == PHONE
    assert data["enterprises"][0]["contact_phone"] == PHONE
    assert data["notifications"] and data["login_sessions"]
    assert [(n["kind"], n["mail"]) for n in data["notice_settings"]] == [("order.shipped", False)]
    assert data["appeals"] == []
    assert data["api_tokens"][0]["name"] == "erp" and "token_hash" not in data["api_tokens"][0]
    assert any(e["action"] == "api_token.create" for e in data["audit_events"])
    csv = client.get("/account/my-data/export.csv").get_data(as_text=True)
    assert PHONE in csv and "section,id,field,value" in csv
    assert support.make_user  # the stranger below
    stranger = app.test_client()
    assert stranger.get("/account/my-data/export.json").status_code == 302


def test_deletion_leaves_nothing_personal_and_keeps_the_money(app, seeded, gifts,  # noqa: F811
                                                              make_user):
    person, client, gift_id = _person(app, seeded, gifts, make_user)
    assert EMAIL in _dump(app) and PHONE in _dump(app)
    with app.app_context():
        ledger_before = db.session.scalar(select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.amount > 0))
    wrong = support.post(client, "/account/delete", {"password": "not-it", "confirm": "y"})
    assert wrong.status_code == 302
    unticked = support.post(client, "/account/delete", {"password": support.PASSWORD})
    assert unticked.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).email == EMAIL
    r = support.post(client, "/account/delete", {"password": support.PASSWORD, "confirm": "y"})
    assert r.status_code == 302
    dump = _dump(app)
    for personal in (EMAIL, NAME, PHONE, "欧阳巷"):
        assert personal not in dump, personal
    with app.app_context():
        user = db.session.get(User, person.id)
        assert not user.active and user.deleted_at is not None
        for table in db.metadata.sorted_tables:  # rows that were only the person's are gone
            for column in table.columns:
                for fk in column.foreign_keys:
                    if fk.column.table.name == "users" and fk.ondelete == "CASCADE":
                        left = db.session.execute(select(func.count()).select_from(table)
                                                  .where(column == person.id)).scalar()
                        assert left == 0, table.name
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
        gift = db.session.get(Donation, gift_id)
        assert gift.amount_fen == 2_500 and gift.anonymous and gift.message == ""
        assert db.session.scalar(select(Order.total_fen).where(Order.buyer_id == person.id)) == 500
        assert db.session.scalar(select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.amount > 0)) == ledger_before
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == person.id)) == 0
    # No way back in: not with the old password, not by the old session.
    assert client.get("/account").status_code == 302
    again = app.test_client()
    support.login(again, EMAIL)
    assert again.get("/account").status_code == 302


def test_deletion_is_refused_while_an_order_awaits_delivery(app, seeded, gifts,  # noqa: F811
                                                            make_user):
    person, client, _gift = _person(app, seeded, gifts, make_user, order_state="shipped")
    page = client.get("/account/my-data", headers={"Accept-Language": "en"})
    assert "not delivered" in page.get_data(as_text=True)
    r = support.post(client, "/account/delete", {"password": support.PASSWORD, "confirm": "y"},
                     headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "not delivered" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.id).email == EMAIL


def test_deleted_account_cannot_be_reactivated(app, seeded, gifts, make_user):  # noqa: F811
    person, client, _gift = _person(app, seeded, gifts, make_user)
    support.post(client, "/account/delete", {"password": support.PASSWORD, "confirm": "y"})
    admin = make_user("coordinator", jurisdiction="CN")
    with app.app_context():
        from pairing.accounts import services

        try:
            services.set_active(db.session.get(User, admin.id), db.session.get(User, person.id),
                                True)
        except services.AccountError:
            pass
        else:
            raise AssertionError("reactivated")
        assert not db.session.get(User, person.id).active
    assert utcnow() - timedelta(minutes=5) < utcnow()
