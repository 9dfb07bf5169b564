"""The audit log and the national settings (east–west pairs, Taobao-village thresholds)
belong to national coordinators (jurisdiction CN) only (issue 18)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import support
from pairing.extensions import db
from pairing.places.models import EastWestPair
from pairing.shop.models import ShopSetting


def _coordinator(app, make_user, jurisdiction):
    client = app.test_client()
    support.login(client, make_user("coordinator", jurisdiction=jurisdiction).email)
    return client


def _pairs(app):
    with app.app_context():
        return db.session.execute(select(EastWestPair.east_code, EastWestPair.west_code)).all()


def _settings(app):
    with app.app_context():
        return db.session.scalars(select(ShopSetting.value)).all()


POSTS = {"/admin/east-west": {"pairs": "44-45"},
         "/shop/settings": {"taobao_sales": "5", "taobao_active_products": "3"}}


@pytest.mark.parametrize("jurisdiction", ["43", "433124"])
@pytest.mark.parametrize("path", ["/admin/audit", *POSTS])
def test_a_provincial_coordinator_is_refused(app, make_user, jurisdiction, path):
    client = _coordinator(app, make_user, jurisdiction)
    before = (_pairs(app), _settings(app))
    assert client.get(path).status_code == 403
    if path in POSTS:
        assert support.post(client, path, POSTS[path]).status_code == 403
        assert (_pairs(app), _settings(app)) == before


@pytest.mark.parametrize("path", ["/admin/audit", *POSTS])
def test_a_national_coordinator_works_there(app, make_user, path):
    client = _coordinator(app, make_user, "CN")
    assert client.get(path).status_code == 200
    if path in POSTS:
        before = (_pairs(app), _settings(app))
        assert support.post(client, path, POSTS[path]).status_code == 302
        assert (_pairs(app), _settings(app)) != before
