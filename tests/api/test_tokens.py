"""API tokens: made and revoked on the account page, stored hashed, shown once."""

from __future__ import annotations

from sqlalchemy import select

import support
from pairing.api.models import ApiToken
from pairing.audit.models import AuditEvent
from pairing.extensions import db


def test_token_is_shown_once_and_stored_hashed(app, enterprise_client, token_for):
    plain = token_for(app, enterprise_client)
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash != plain and plain not in token.token_hash
        assert token.prefix == plain[:10]
        audit = db.session.scalars(select(AuditEvent)).all()
        assert any(e.action == "api_token.create" for e in audit)
        assert all(plain not in str(e.after) and token.token_hash not in str(e.after)
                   for e in audit)
    page = enterprise_client.get("/account").get_data(as_text=True)
    assert "test program" in page and plain[:10] in page and plain not in page


def test_token_authenticates_and_revoke_stops_it(app, enterprise_client, client, token_for):
    plain = token_for(app, enterprise_client)
    auth = {"Authorization": f"Bearer {plain}"}
    r = client.get("/api/v1/me", headers=auth)
    assert r.status_code == 200
    assert r.json["role"] == "enterprise" and r.json["user_id"] == enterprise_client.user.id
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.last_used_at is not None
        token_id = token.id
    r = support.post(enterprise_client, f"/account/tokens/{token_id}/revoke")
    assert r.status_code == 302
    r = client.get("/api/v1/me", headers=auth)
    assert r.status_code == 401
    assert r.json == {"error": {"status": 401, "code": "invalid_token",
                                "message": r.json["error"]["message"]}}
    assert "revoked" in enterprise_client.get("/account", headers={
        "Accept-Language": "en"}).get_data(as_text=True)


def test_nobody_else_can_revoke_a_token(app, enterprise_client, donor_client, token_for):
    plain = token_for(app, enterprise_client)
    with app.app_context():
        token_id = db.session.scalar(select(ApiToken.id))
    r = support.post(donor_client, f"/account/tokens/{token_id}/revoke")
    assert r.status_code == 404
    assert enterprise_client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {plain}"}).status_code == 200


def test_anonymous_cannot_make_tokens(client):
    r = support.post(client, "/account/tokens", {"name": "x"})
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_token_needs_a_name_and_changes_nothing_without(app, enterprise_client):
    r = support.post(enterprise_client, "/account/tokens", {"name": ""},
                     headers={"Accept-Language": "en"})
    assert r.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_at_most_ten_active_tokens(app, enterprise_client, token_for):
    for _ in range(10):
        token_for(app, enterprise_client)
    r = support.post(enterprise_client, "/account/tokens",
                     {"name": "eleventh", "scopes": ["shop:read"]},
                     headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "Revoke one first" in r.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(ApiToken)).all()) == 10


def test_token_of_deactivated_user_is_refused(app, enterprise_client, client, token_for):
    plain = token_for(app, enterprise_client)
    with app.app_context():
        from pairing.accounts.models import User

        db.session.get(User, enterprise_client.user.id).active = False
        db.session.commit()
    assert client.get("/api/v1/me", headers={
        "Authorization": f"Bearer {plain}"}).status_code == 401


def test_token_form_needs_csrf(app, enterprise_client):
    r = enterprise_client.post("/account/tokens", data={"name": "x"})
    assert r.status_code in (302, 400)
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None
