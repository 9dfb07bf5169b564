"""One offer or need, and its owner's changes through the API: the web's services and
rules (audit entries, paired quantities frozen); other users get 403 on what is public and
404 on what is hidden."""

from __future__ import annotations

from api_tokens import auth, make
from sqlalchemy import select

from pairing.audit.models import AuditEvent
from pairing.db import today
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import Village

WRITE = ["marketplace:write"]


def _offer(app, seeded, officer_id: int, paired: int = 0) -> int:
    with app.app_context():
        db.session.get(Enterprise, seeded["enterprises"][0]).officer_id = officer_id
        offer = Offer(enterprise_id=seeded["enterprises"][0], kind="jobs", quantity=50,
                      paired_quantity=paired, starts_on=today(), status="active",
                      public=True)
        db.session.add(offer)
        db.session.commit()
        return offer.id


def _need(app, seeded, secretary_id: int) -> int:
    with app.app_context():
        db.session.get(Village, seeded["villages"][0]).secretary_id = secretary_id
        need = Need(village_id=seeded["villages"][0], kind="jobs", quantity=20, status="open",
                    public=True)
        db.session.add(need)
        db.session.commit()
        return need.id


def test_offer_is_read_updated_and_withdrawn_by_its_owner(app, client, enterprise_client,
                                                          seeded):
    offer_id = _offer(app, seeded, enterprise_client.user.id)
    assert client.get(f"/api/v1/offers/{offer_id}").json["quantity"] == 50
    token = make(app, enterprise_client.user.id, WRITE)
    r = client.patch(f"/api/v1/offers/{offer_id}", json={"quantity": 80,
                     "description": "more jobs"}, headers=auth(token))
    assert r.status_code == 200, r.json
    assert r.json["quantity"] == 80 and r.json["kind"] == "jobs"
    r = client.post(f"/api/v1/offers/{offer_id}/withdraw", headers=auth(token))
    assert r.status_code == 200 and r.json["status"] == "withdrawn"
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.actor_id == enterprise_client.user.id))]
        assert "offer.update" in actions and "offer.withdraw" in actions
    # Withdrawn: hidden from everyone else, still readable with the owner's token.
    assert client.get(f"/api/v1/offers/{offer_id}").status_code == 404
    assert client.get(f"/api/v1/offers/{offer_id}", headers=auth(token)).status_code == 200


def test_paired_offer_keeps_the_web_forms_rule(app, client, enterprise_client, seeded):
    offer_id = _offer(app, seeded, enterprise_client.user.id, paired=40)
    token = make(app, enterprise_client.user.id, WRITE)
    r = client.patch(f"/api/v1/offers/{offer_id}", json={"quantity": 30},
                     headers={**auth(token), "Accept-Language": "en"})
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"
    assert "40" in str(r.json["error"]["fields"])
    r = client.patch(f"/api/v1/offers/{offer_id}", json={"kind": "training"},
                     headers=auth(token))
    assert r.status_code == 422
    with app.app_context():
        offer = db.session.get(Offer, offer_id)
        assert (offer.quantity, offer.kind) == (50, "jobs")


def test_another_enterprise_cannot_change_the_offer(app, client, enterprise_client, seeded,
                                                    make_user):
    offer_id = _offer(app, seeded, enterprise_client.user.id)
    other = make_user("enterprise")
    token = make(app, other.id, WRITE)
    r = client.patch(f"/api/v1/offers/{offer_id}", json={"quantity": 1}, headers=auth(token))
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"
    assert client.post(f"/api/v1/offers/{offer_id}/withdraw",
                       headers=auth(token)).status_code == 403
    owner = make(app, enterprise_client.user.id, WRITE)
    client.post(f"/api/v1/offers/{offer_id}/withdraw", headers=auth(owner))
    # Now hidden: the other enterprise is not told it exists.
    r = client.patch(f"/api/v1/offers/{offer_id}", json={"quantity": 1}, headers=auth(token))
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    with app.app_context():
        assert db.session.get(Offer, offer_id).quantity == 50


def test_need_is_read_updated_and_withdrawn_by_its_secretary(app, client, secretary_client,
                                                              seeded, make_user):
    need_id = _need(app, seeded, secretary_client.user.id)
    assert client.get(f"/api/v1/needs/{need_id}").json["quantity"] == 20
    other = make(app, make_user("secretary").id, WRITE)
    assert client.patch(f"/api/v1/needs/{need_id}", json={"quantity": 5},
                        headers=auth(other)).status_code == 403
    token = make(app, secretary_client.user.id, WRITE)
    r = client.patch(f"/api/v1/needs/{need_id}", json={"priority": 1}, headers=auth(token))
    assert r.status_code == 200 and r.json["priority"] == 1 and r.json["quantity"] == 20
    r = client.post(f"/api/v1/needs/{need_id}/withdraw", headers=auth(token))
    assert r.status_code == 200 and r.json["status"] == "withdrawn"
    assert client.get(f"/api/v1/needs/{need_id}").status_code == 404
    r = client.post(f"/api/v1/needs/{need_id}/withdraw", headers=auth(token))
    assert r.status_code == 422


def test_unknown_offer_and_need_are_404(client):
    assert client.get("/api/v1/offers/999999").json["error"]["code"] == "not_found"
    assert client.get("/api/v1/needs/999999").status_code == 404
