"""A provincial coordinator manages and lists only the accounts of their province (issue 18:
a Sichuan coordinator deactivated a Hunan secretary and a Zhejiang enterprise officer, and
read every user's e-mail)."""

from __future__ import annotations

import pytest

import support
from pairing.accounts.models import User
from pairing.enterprises import credit_code
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.places.models import Village


@pytest.fixture
def people(app, make_user):
    """A Hunan secretary (a village in 433124), a Zhejiang enterprise officer, a donor and a
    Hunan verifier."""
    secretary, officer = make_user("secretary"), make_user("enterprise")
    with app.app_context():
        db.session.add_all([
            Village(name="十八洞村", county_code="433124", secretary_id=secretary.id),
            Enterprise(name="杭州绿源茶业有限公司", county_code="330106", officer_id=officer.id, sector="C",
                       credit_code=credit_code.make("91", "330106", "12345678Y"))])
        db.session.commit()
    return {"secretary": secretary, "enterprise": officer, "donor": make_user("donor"),
            "verifier": make_user("verifier", jurisdiction="433124")}


def _coordinator(app, make_user, jurisdiction):
    client = app.test_client()
    support.login(client, make_user("coordinator", jurisdiction=jurisdiction).email)
    return client


def _active(app, ref) -> bool:
    with app.app_context():
        return db.session.get(User, ref.id).active


@pytest.mark.parametrize("who", ["secretary", "enterprise", "donor", "verifier"])
def test_a_sichuan_coordinator_cannot_deactivate_others(app, make_user, people, who):
    sichuan = _coordinator(app, make_user, "51")
    assert support.post(sichuan, f"/admin/users/{people[who].id}/active").status_code == 404
    assert _active(app, people[who])


@pytest.mark.parametrize(("jurisdiction", "who"), [("43", "secretary"), ("43", "verifier"),
                                                   ("33", "enterprise"), ("CN", "donor")])
def test_the_coordinator_of_the_place_deactivates(app, make_user, people, jurisdiction, who):
    staff = _coordinator(app, make_user, jurisdiction)
    assert support.post(staff, f"/admin/users/{people[who].id}/active").status_code == 302
    assert not _active(app, people[who])


def test_a_sichuan_coordinator_cannot_move_a_hunan_verifier(app, make_user, people):
    sichuan = _coordinator(app, make_user, "51")
    support.post(sichuan, f"/admin/users/{people['verifier'].id}/jurisdiction",
                 {"jurisdiction": "513431"})
    with app.app_context():
        assert db.session.get(User, people["verifier"].id).jurisdiction == "433124"


def test_the_users_list_shows_only_accounts_inside_the_jurisdiction(app, make_user, people):
    hunan = _coordinator(app, make_user, "43").get("/admin/users").get_data(as_text=True)
    assert people["secretary"].email in hunan and people["verifier"].email in hunan
    assert people["enterprise"].email not in hunan and people["donor"].email not in hunan
    national = _coordinator(app, make_user, "CN").get("/admin/users").get_data(as_text=True)
    assert all(p.email in national for p in people.values())
