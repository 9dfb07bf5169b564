"""An account deleted while its owner places an order and makes a gift, through a
multi-worker gunicorn, the three requests of each person released together: deletion's
"nothing open" check holds. Each person ends either deleted with no open order, no gift
waiting for its payment and every gift anonymous, or not deleted because one of those was
there first; a request that arrives after the deletion is refused. No 500s."""

from __future__ import annotations

import re

import pytest
from giving_helpers import world as make_world
from shop.shop_helpers import make_product
from sqlalchemy import select

import support
from pairing.accounts.models import User
from pairing.extensions import db
from pairing.giving.models import Donation
from pairing.ledger import services as ledger
from pairing.privacy.services import OPEN_ORDER
from pairing.shop.models import Order
from servers import HttpClient, app_servers, release_together, running, server_errors

pytestmark = pytest.mark.slow
PEOPLE = 6


def test_deletion_racing_an_order_and_a_gift_of_the_same_person(app, database, tmp_path,
                                                                make_user):
    w = make_world(app, make_user, needed=1_000_000)
    honey = make_product(app, w.village_id, stock=50)
    people = [make_user("donor") for _ in range(PEOPLE)]
    with app_servers(database, tmp_path, workers=3, threads=4,
                     worker_class="gthread") as (site,):
        sessions, keys, tokens = [], [], []
        for person in people:
            tabs = [HttpClient(site.url) for _ in range(3)]  # three tabs, one log-in each
            for tab in tabs:
                tab.login(person.email)
            tabs[1].post_form("/shop/cart", {"product_id": honey, "quantity": 1,
                                             "add": "1"})
            page = tabs[1].get("/shop/checkout").text
            keys.append(re.search(r'name="key" type="hidden" value="([0-9a-f]+)"',
                                  page).group(1))
            tokens.append([tabs[0].csrf("/account/my-data"), tabs[1].csrf(),
                           tabs[2].csrf(f"/crowdfunding/{w.request_id}")])
            sessions.append(tabs)

        def act(i: int):  # noqa: ANN202
            n, what = divmod(i, 3)
            tab, token = sessions[n][what], tokens[n][what]
            if what == 0:
                return tab.post_form("/account/delete", {"password": support.PASSWORD,
                                                         "confirm": "y"}, token=token)
            if what == 1:
                return tab.post_form("/shop/checkout", {
                    "key": keys[n], "recipient": "刘女士", "phone": "13800138000",
                    "province": "33", "county": "330106", "address": "文三路 1 号",
                    "provider": "sandbox"}, token=token)
            return tab.post_form(f"/crowdfunding/{w.request_id}/donate", {
                "amount": "50", "provider": "manual", "fallback": "0", "key": f"gift-{n}",
                "message": "加油"}, token=token)

        answers = release_together(3 * PEOPLE, act)
        assert server_errors(answers) == []
        assert {a.status_code for a in answers} <= {200, 302, 303, 400}  # 200/400: the form again, refused
        running(site)
    deleted = 0
    with app.app_context():
        for person in people:
            user = db.session.get(User, person.id)
            orders = db.session.scalars(select(Order).where(Order.buyer_id == person.id)).all()
            gifts = db.session.scalars(select(Donation).where(
                Donation.donor_id == person.id)).all()
            if user.deleted_at is None:
                assert any(o.state in OPEN_ORDER for o in orders) or any(
                    g.status == "pending" for g in gifts), person.email
                continue
            deleted += 1
            assert not any(o.state in OPEN_ORDER for o in orders), person.email
            assert not any(g.status == "pending" for g in gifts), person.email
            assert all(g.anonymous and g.message == "" for g in gifts), person.email
        assert ledger.verify() == []
    assert deleted  # the race was run: some deletions went through
