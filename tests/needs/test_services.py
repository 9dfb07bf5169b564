"""Needs at the service layer: who may post, the unmet remainder, the public query."""

from __future__ import annotations

import pytest
from enterprises import factories as f
from sqlalchemy import select

from pairing.accounts.models import User
from pairing.enterprises.rules import Invalid, NotAllowed
from pairing.extensions import db
from pairing.needs import services
from pairing.needs.models import Need
from pairing.places.models import Village


def _need(**kw) -> dict:
    data = {"kind": "procurement", "quantity": 2_000_000, "priority": 3, "sector": "C",
            "description": "想找一家茶叶加工企业"}
    data.update(kw)
    return data


def test_secretary_posts_edits_and_withdraws(app, make_user):
    sec = make_user("secretary")
    v = f.village(app, sec.id)
    with app.app_context():
        user, village = db.session.get(User, sec.id), db.session.get(Village, v)
        need = services.create_need(user, village, _need())
        assert need.status == "open"
        need.met_quantity = 500_000  # as the pairing area will do
        services.update_need(user, need, _need(quantity=3_000_000))
        assert need.status == "partly_met"
        with pytest.raises(Invalid):
            services.update_need(user, need, _need(kind="jobs", quantity=3))
        with pytest.raises(Invalid):
            services.update_need(user, need, _need(quantity=100_000))
        services.withdraw_need(user, need)
        assert need.quantity == 500_000 and need.status == "met"


@pytest.mark.parametrize("kw", [{"kind": "x"}, {"quantity": 0}, {"priority": 7},
                                {"sector": "Z"}, {"kind": "jobs", "quantity": 5, "sector": "C"},
                                {"kind": "training", "quantity": 10**6}])
def test_bad_need_refused(app, make_user, kw):
    sec = make_user("secretary")
    v = f.village(app, sec.id)
    with app.app_context():
        with pytest.raises(Invalid):
            services.create_need(db.session.get(User, sec.id), db.session.get(Village, v),
                                 _need(**kw))
        db.session.rollback()
        assert db.session.scalar(select(Need.id)) is None


@pytest.mark.parametrize("role", ["secretary", "enterprise", "donor", "verifier", "coordinator"])
def test_only_the_villages_secretary(app, make_user, role):
    owner, other = make_user("secretary"), make_user(role)
    n = f.need(app, f.village(app, owner.id))
    with app.app_context():
        need = db.session.get(Need, n)
        with pytest.raises(NotAllowed):
            services.withdraw_need(db.session.get(User, other.id), need)
        assert need.status == "open"


def test_public_needs_only_of_verified_villages(app):
    shown = f.need(app, f.village(app, None, name="甲村"))
    f.need(app, f.village(app, None, name="乙村", status="pending"))
    f.need(app, f.village(app, None, name="丙村", status="rejected"))
    f.need(app, f.village(app, None, name="丁村"), status="withdrawn")
    with app.app_context():
        assert db.session.scalars(services.public_needs().with_only_columns(Need.id)).all() \
            == [shown]
