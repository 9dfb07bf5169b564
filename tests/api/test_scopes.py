"""Tokens' scopes and expiry, and the one shape of every error (with its `code`)."""

from __future__ import annotations

from api_tokens import auth, make
from sqlalchemy import select

import support
from pairing.api.models import SCOPES, ApiToken
from pairing.enterprises.models import Enterprise
from pairing.extensions import db

OFFER = {"kind": "jobs", "quantity": 30}


def _officer(app, seeded, user_id: int) -> int:
    enterprise_id = seeded["enterprises"][0]
    with app.app_context():
        db.session.get(Enterprise, enterprise_id).officer_id = user_id
        db.session.commit()
    return enterprise_id


def test_read_only_token_cannot_write(app, client, enterprise_client, seeded):
    enterprise_id = _officer(app, seeded, enterprise_client.user.id)
    token = make(app, enterprise_client.user.id, ["marketplace:read"])
    r = client.post(f"/api/v1/enterprises/{enterprise_id}/offers", json=OFFER,
                    headers=auth(token))
    assert r.status_code == 403
    assert r.json["error"]["code"] == "insufficient_scope"
    writer = make(app, enterprise_client.user.id, ["marketplace:write"])
    r = client.post(f"/api/v1/enterprises/{enterprise_id}/offers", json=OFFER,
                    headers=auth(writer))
    assert r.status_code == 201, r.json


def test_token_without_the_area_gets_403_with_code(app, client, donor_client, gifts):
    token = make(app, donor_client.user.id, ["shop:read"])
    r = client.get("/api/v1/donations", headers=auth(token))
    assert r.status_code == 403 and r.json["error"]["code"] == "insufficient_scope"
    assert r.json["error"]["message"]
    assert client.get("/api/v1/orders", headers=auth(token)).status_code == 200


def test_expired_token_is_401_token_expired(app, client, donor_client):
    token = make(app, donor_client.user.id, ["giving:read"], expired=True)
    r = client.get("/api/v1/me", headers=auth(token))
    assert r.status_code == 401
    assert r.json["error"]["code"] == "token_expired"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    fresh = make(app, donor_client.user.id, ["giving:read"], days=30)
    assert client.get("/api/v1/me", headers=auth(fresh)).status_code == 200


def test_unknown_token_is_401_invalid_token(client):
    r = client.get("/api/v1/me", headers=auth("pt_nothing"))
    assert r.status_code == 401 and r.json["error"]["code"] == "invalid_token"


def test_token_form_sets_scopes_and_expiry(app, enterprise_client):
    r = support.post(enterprise_client, "/account/tokens",
                     {"name": "sync", "scopes": ["shop:read", "giving:read"], "days": "30"})
    assert r.status_code == 201
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.scope_list == ["giving:read", "shop:read"]
        assert token.expires_at is not None
        assert 29 <= (token.expires_at - token.created_at).days <= 30
    page = enterprise_client.get("/account", headers={"Accept-Language": "en"})
    assert "Gifts: read" in page.get_data(as_text=True)


def test_token_form_refuses_no_scope_and_unknown_scope(app, enterprise_client):
    for scopes in ([], ["root:write"]):
        support.post(enterprise_client, "/account/tokens", {"name": "x", "scopes": scopes})
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_old_tokens_keep_every_scope_and_never_expire(app, enterprise_client):
    """What the migration gives tokens made before scopes: the column's default."""
    with app.app_context():
        db.session.add(ApiToken(user_id=enterprise_client.user.id, name="old", prefix="pt_x",
                                token_hash="0" * 64))
        db.session.commit()
        token = db.session.scalar(select(ApiToken))
        assert token.scope_list == list(SCOPES) and token.expires_at is None


def test_routing_errors_under_api_have_codes_and_allow(client):
    r = client.delete("/api/v1/offers")
    assert r.status_code == 405 and r.json["error"]["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].split(", ")) >= {"GET"}
    r = client.get("/api/v1/nothing/here")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    r = client.get("/api/v1/offers?per_page=0")
    assert r.status_code == 422 and r.json["error"]["code"] == "validation_failed"
    assert "per_page" in str(r.json["error"]["fields"])
    assert client.get("/api/v1/me").json["error"]["code"] == "unauthorized"


def test_rate_limit_answers_429_with_code(app, client):
    app.config["API_RATE_LIMIT"] = "2 per day"  # a minute's window could end between them
    codes = [client.get("/api/v1/figures").status_code for _ in range(3)]
    assert codes[-1] == 429
    assert client.get("/api/v1/figures").json["error"]["code"] == "rate_limited"


def test_every_operation_has_a_tag_and_an_operation_id(client):
    doc = client.get("/api/v1/openapi.json").json
    tags = {t["name"] for t in doc["tags"]}
    ids = []
    for ops in doc["paths"].values():
        for method, op in ops.items():
            if method in ("get", "post", "patch", "put", "delete"):
                assert op["tags"][0] in tags and op["operationId"]
                ids.append(op["operationId"])
    assert len(ids) == len(set(ids)) >= 30
    error = doc["components"]["schemas"]["Error"]["properties"]["error"]
    assert error


def test_money_fields_say_fen(client):
    doc = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for schema, field in (("Donation", "amount_fen"), ("Product", "price_fen"),
                          ("Order", "total_fen"), ("Request", "needed_fen"), ("Entry", "amount_fen")):
        prop = doc[schema]["properties"][field]
        assert prop["type"] == "integer" and "fen" in prop["description"], (schema, field)
