"""Account hardening (issue 18): API tokens end with the password, weak passwords are
refused, idle log-ins end, mail keeps no link in the log and nothing in production memory."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import support
from pairing.extensions import db


def _token(app, user) -> str:
    from pairing.accounts.models import User
    from pairing.api import services as api

    with app.app_context():
        _, plain = api.create_token(db.session.get(User, user.id), "script")
        db.session.commit()
    return plain


def _api_ok(app, plain: str) -> bool:
    r = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert r.status_code in (200, 401)
    return r.status_code == 200


def _reset_path(app) -> str:
    body = app.extensions["sent_mail"][-1].get_content()
    line = next(x for x in body.splitlines() if "/reset/" in x)
    return line[line.index("/reset/"):].strip()


def test_password_reset_ends_api_tokens(app, client, make_user):
    user = make_user("enterprise")
    plain = _token(app, user)
    assert _api_ok(app, plain)
    support.post(client, "/forgot", {"email": user.email})
    r = support.post(client, _reset_path(app), {"password": "brand new password",
                                               "confirm": "brand new password"})
    assert r.status_code == 302
    assert not _api_ok(app, plain)


@pytest.mark.parametrize("end", [True, False])
def test_password_change_offers_to_end_api_tokens(app, client, make_user, end):
    user = make_user("enterprise")
    plain = _token(app, user)
    support.login(client, user.email)
    form = {"current": support.PASSWORD, "password": "a new long password",
            "confirm": "a new long password"}
    if end:
        form["end_tokens"] = "y"
    assert support.post(client, "/account/password", form).status_code == 302
    assert _api_ok(app, plain) is not end


def test_logout_everywhere_ends_api_tokens(app, client, make_user):
    user = make_user("secretary")
    plain = _token(app, user)
    support.login(client, user.email)
    support.post(client, "/account/logout-everywhere")
    assert not _api_ok(app, plain)


@pytest.mark.parametrize("password", ["1234567890", "Password1234", "qwertyuiop",
                                      "iloveyou123", "aaaaaaaaaaaa", "liu.example-2026"])
def test_weak_passwords_are_refused(app, client, password):
    r = support.post(client, "/register", {
        "role": "donor", "display_name": "刘女士", "email": "liu.example@example.org",
        "password": password, "confirm": password}, headers={"Accept-Language": "en"})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "most common" in text or "e-mail address or name" in text
    assert not app.extensions.get("sent_mail")


def test_weak_password_refused_on_change_too(app, client, make_user):
    user = make_user("donor")
    support.login(client, user.email)
    r = support.post(client, "/account/password", {
        "current": support.PASSWORD, "password": "1234567890", "confirm": "1234567890"},
        headers={"Accept-Language": "zh"})
    assert r.status_code == 200 and "最常见的密码" in r.get_data(as_text=True)
    assert support.login(app.test_client(), user.email).status_code == 302


def test_idle_sessions_end(app, client, make_user, monkeypatch):
    import time

    app.config["SESSION_IDLE_MINUTES"] = 30
    support.login(client, make_user("donor").email)
    assert client.get("/account").status_code == 200
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start + 29 * 60)
    assert client.get("/account").status_code == 200  # active: the clock restarts
    monkeypatch.setattr(time, "time", lambda: start + 58 * 60)
    assert client.get("/account").status_code == 200
    monkeypatch.setattr(time, "time", lambda: start + 89 * 60)
    assert client.get("/account").status_code == 302


def test_suppressed_mail_is_logged_without_its_link(app, client, make_user, caplog):
    user = make_user("donor")
    with caplog.at_level(logging.WARNING):
        support.post(client, "/forgot", {"email": user.email})
    assert "suppressed" in caplog.text and user.email in caplog.text
    assert "/reset/" not in caplog.text


def test_development_leaves_suppressed_mail_in_the_instance_folder(app, make_user, tmp_path):
    from pairing import mail

    user = make_user("donor")
    app.testing = False
    app.config.update(ENV_NAME="development", INSTANCE_DIR=str(tmp_path))
    with app.app_context():
        mail.deliver(app, user.email, "reset", "http://127.0.0.1:5000/reset/abc")
    (found,) = (tmp_path / "mail").glob("*.eml")
    assert "/reset/abc" in found.read_text() and user.email in found.read_text()
    assert "sent_mail" not in app.extensions


def test_production_keeps_no_mail_in_memory(app, make_user):
    from pairing import mail

    user = make_user("donor")
    app.testing = False
    app.config["ENV_NAME"] = "production"
    with app.app_context():
        for _ in range(3):
            mail.deliver(app, user.email, "subject", "body")
    assert "sent_mail" not in app.extensions
    assert not (Path(str(app.config["INSTANCE_DIR"])) / "mail").exists()


def test_reset_mail_is_in_the_recipients_language(app, make_user):
    from pairing.accounts.models import User

    user = make_user("donor")
    with app.app_context():
        db.session.get(User, user.id).language = "en"
        db.session.commit()
    client = app.test_client()
    support.post(client, "/forgot", {"email": user.email}, headers={"Accept-Language": "zh"})
    (message,) = app.extensions["sent_mail"]
    assert message["Subject"] == "Reset your password"


def test_login_remembers_the_language(app, make_user):
    from pairing.accounts.models import User

    user = make_user("donor")
    support.login(app.test_client(), user.email, headers={"Accept-Language": "en"})
    with app.app_context():
        assert db.session.get(User, user.id).language == "en"


def test_a_signed_in_request_finds_its_session_and_user_in_one_query(app, make_user):
    """Every signed-in page first asks who is signed in: the login session and its user
    come in one statement, and an ended session still signs nobody in."""
    user = make_user("verifier")
    client = app.test_client()
    support.login(client, user.email)
    statements = [s for s, _ in support.statements_of(app, client, "/account")]
    assert any("FROM login_sessions" in s for s in statements)
    assert not [s for s in statements if s.lstrip().startswith("SELECT users.")], statements
    support.post(client, "/logout")
    assert client.get("/account").status_code == 302
