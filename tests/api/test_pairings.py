"""Pairings through the API: public reads with what was delivered, and an enterprise's
progress report with its token."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pairing.db import today
from pairing.enterprises.models import Enterprise
from pairing.extensions import db
from pairing.matching.models import ProgressReport


def _reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProgressReport))


def test_pairings_show_what_was_delivered(client, paired):
    r = client.get("/api/v1/pairings?kind=procurement")
    assert r.status_code == 200 and r.json["total"] == 1
    item = r.json["items"][0]
    assert item["quantity"] == 1_000_000 and item["delivered"] == 500_000
    detail = client.get(f"/api/v1/pairings/{paired['money']}").json
    assert sorted(x["status"] for x in detail["reports"] if x["counts_as_delivered"]) == [
        "confirmed", "upheld"]
    assert client.get("/api/v1/pairings?province=51").json["items"][0]["kind"] == "jobs"
    assert client.get("/api/v1/pairings/999999").status_code == 404


def test_enterprise_reports_progress_with_its_token(app, client, enterprise_client, paired,
                                                     seeded, token_for):
    with app.app_context():
        db.session.get(Enterprise, seeded["enterprises"][0]).officer_id = \
            enterprise_client.user.id
        db.session.commit()
    token = token_for(app, enterprise_client)
    auth = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/pairings/{paired['jobs']}/reports"
    body = {"quantity": 3, "delivered_on": today().isoformat(), "note": "3 hired"}
    r = client.post(url, json=body, headers=auth)
    assert r.status_code == 201, r.json
    assert r.json["status"] == "reported" and r.json["counts_as_delivered"] is False
    assert _reports(app) == 6
    # More than is left (10 - 4 delivered - 3 waiting) is refused and changes nothing.
    r = client.post(url, json=body | {"quantity": 4}, headers=auth)
    assert r.status_code == 422 and "quantity" in r.json["error"]["fields"]["json"]
    future = (today() + timedelta(days=2)).isoformat()
    r = client.post(url, json=body | {"delivered_on": future}, headers=auth)
    assert r.status_code == 422
    assert _reports(app) == 6


def test_only_the_pairings_enterprise_may_report(app, client, enterprise_client,
                                                 secretary_client, paired, token_for):
    url = f"/api/v1/pairings/{paired['jobs']}/reports"
    body = {"quantity": 1, "delivered_on": today().isoformat()}
    assert client.post(url, json=body).status_code == 401
    other = token_for(app, enterprise_client)  # an enterprise, but not this one
    assert client.post(url, json=body, headers={
        "Authorization": f"Bearer {other}"}).status_code == 403
    village = token_for(app, secretary_client)
    assert client.post(url, json=body, headers={
        "Authorization": f"Bearer {village}"}).status_code == 403
    assert _reports(app) == 5
