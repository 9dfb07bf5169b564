"""Writing through the API with a token: an enterprise's offers, a secretary's needs."""

from __future__ import annotations

from sqlalchemy import func, select

from pairing.audit.models import AuditEvent
from pairing.enterprises.models import Enterprise, Offer
from pairing.extensions import db
from pairing.needs.models import Need
from pairing.places.models import Village

OFFER = {"kind": "jobs", "quantity": 30, "max_villages": 2, "provinces": ["52", "43"],
         "description": "Assembly-line jobs with dormitory"}


def _own(app, seeded, user_id: int, model, row_id: int, field: str) -> None:
    with app.app_context():
        setattr(db.session.get(model, row_id), field, user_id)
        db.session.commit()


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_enterprise_posts_an_offer_with_its_token(app, client, enterprise_client, seeded,
                                                   token_for):
    enterprise_id = seeded["enterprises"][0]
    _own(app, seeded, enterprise_client.user.id, Enterprise, enterprise_id, "officer_id")
    token = token_for(app, enterprise_client)
    r = client.post(f"/api/v1/enterprises/{enterprise_id}/offers", json=OFFER,
                    headers=_auth(token))
    assert r.status_code == 201, r.json
    assert r.json["kind"] == "jobs" and r.json["provinces"] == ["43", "52"]
    listed = client.get(f"/api/v1/offers?enterprise_id={enterprise_id}").json
    assert [o["id"] for o in listed["items"]] == [r.json["id"]]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "offer.create")).all()
        assert [e.actor_id for e in events] == [enterprise_client.user.id]


def test_offer_for_someone_elses_enterprise_is_refused(app, client, enterprise_client,
                                                        seeded, token_for):
    token = token_for(app, enterprise_client)
    r = client.post(f"/api/v1/enterprises/{seeded['enterprises'][0]}/offers", json=OFFER,
                    headers=_auth(token))
    assert r.status_code == 403 and r.json["error"]["status"] == 403
    assert client.post("/api/v1/enterprises/999999/offers", json=OFFER,
                       headers=_auth(token)).status_code == 404
    assert _count(app, Offer) == 0


def test_writes_need_a_token_of_the_right_role(app, client, donor_client, seeded, token_for):
    url = f"/api/v1/enterprises/{seeded['enterprises'][0]}/offers"
    assert client.post(url, json=OFFER).status_code == 401
    # A logged-in browser is not enough: the API takes no cookies (and so needs no CSRF).
    assert donor_client.post(url, json=OFFER).status_code == 401
    token = token_for(app, donor_client)
    assert client.post(url, json=OFFER, headers=_auth(token)).status_code == 403
    assert _count(app, Offer) == 0


def test_bad_offer_gets_422_by_field_and_changes_nothing(app, client, enterprise_client,
                                                         seeded, token_for):
    enterprise_id = seeded["enterprises"][0]
    _own(app, seeded, enterprise_client.user.id, Enterprise, enterprise_id, "officer_id")
    token = token_for(app, enterprise_client)
    url = f"/api/v1/enterprises/{enterprise_id}/offers"
    r = client.post(url, json={**OFFER, "kind": "gold"}, headers=_auth(token))
    assert r.status_code == 422 and "kind" in r.json["error"]["fields"]["json"]
    r = client.post(url, json={**OFFER, "quantity": 10**9}, headers=_auth(token))
    assert r.status_code == 422 and "quantity" in r.json["error"]["fields"]["json"]
    r = client.post(url, data="not json", headers=_auth(token) | {
        "Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.json["error"]["status"] in (400, 422)
    assert _count(app, Offer) == 0


def test_secretary_posts_a_need_with_its_token(app, client, secretary_client,
                                               enterprise_client, seeded, token_for):
    village_id = seeded["villages"][0]
    _own(app, seeded, secretary_client.user.id, Village, village_id, "secretary_id")
    token = token_for(app, secretary_client)
    need = {"kind": "procurement", "quantity": 5_000_000, "priority": 3, "sector": "A",
            "description": "Buy our kiwi fruit"}
    r = client.post(f"/api/v1/villages/{village_id}/needs", json=need, headers=_auth(token))
    assert r.status_code == 201, r.json
    assert client.get(f"/api/v1/needs?village_id={village_id}").json["total"] == 1
    other = token_for(app, enterprise_client)
    r = client.post(f"/api/v1/villages/{village_id}/needs", json=need, headers=_auth(other))
    assert r.status_code == 403
    r = client.post(f"/api/v1/villages/{seeded['villages'][1]}/needs", json=need,
                    headers=_auth(token))
    assert r.status_code == 403
    assert _count(app, Need) == 1
