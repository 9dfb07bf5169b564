"""A production configuration: what it refuses to start with, and what its answers carry."""

from __future__ import annotations

import secrets
import threading
import urllib.request

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from werkzeug.serving import make_server

import support
from pairing import create_app
from pairing.config import check_production, load_config

GOOD = {"ENV_NAME": "production", "SECRET_KEY": secrets.token_urlsafe(32), "DEBUG": False,
        "HOUSEHOLD_DATA_KEY": Fernet.generate_key().decode(),
        "PUBLIC_URL": "https://pairing.example.cn", "TRUSTED_HOSTS": ["pairing.example.cn"]}
HOST = {"base_url": "https://pairing.example.cn"}


@pytest.fixture
def prod_app(app: Flask, database, tmp_path) -> Flask:
    """A production app on the test database (the `app` fixture empties it afterwards)."""
    return create_app(support.test_config(database, tmp_path) | GOOD)


@pytest.mark.parametrize("name", ["Production", "prod", "staging", ""])
def test_unknown_environment_names_refuse_to_start(name, tmp_path):
    with pytest.raises(RuntimeError, match="PAIRING_ENV='.*' is not one of"):
        check_production(GOOD | {"ENV_NAME": name})
    with pytest.raises(RuntimeError, match="PAIRING_ENV"):
        create_app(load_config({"PAIRING_ENV": name, "PAIRING_INSTANCE_DIR": str(tmp_path)}))


@pytest.mark.parametrize("secret", ["a" * 32, "ab" * 20, "password" * 5, "0123456789" * 4])
def test_production_refuses_low_entropy_secret_keys(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production(GOOD | {"SECRET_KEY": secret})


def test_production_accepts_generated_keys():
    for _ in range(50):
        check_production(GOOD | {"SECRET_KEY": secrets.token_urlsafe(32)})
        check_production(GOOD | {"SECRET_KEY": secrets.token_hex(32)})


@pytest.mark.parametrize("key", ["k" * 44, "not a key", "Vq3-pZ8_kLw2Rt9xYb4NcM7sJh1Fd6Ga0eUoTiWy0123!"])
def test_production_refuses_a_household_data_key_that_is_no_fernet_key(key):
    with pytest.raises(RuntimeError, match="HOUSEHOLD_DATA_KEY"):
        check_production(GOOD | {"HOUSEHOLD_DATA_KEY": key})


@pytest.mark.parametrize("url", ["", "http://pairing.example.cn", "https://"])
def test_production_needs_an_https_public_url(url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        check_production(GOOD | {"PUBLIC_URL": url})


def test_trusted_hosts_default_to_the_public_url_host(tmp_path):
    app = create_app(GOOD | {"TRUSTED_HOSTS": None, "INSTANCE_DIR": str(tmp_path),
                             "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["TRUSTED_HOSTS"] == ["pairing.example.cn"]


def test_forged_host_gets_400_and_no_mail(prod_app, make_user):
    user = make_user("donor")
    client = prod_app.test_client()
    r = client.post("/forgot", data={"email": user.email}, base_url="http://evil.example")
    assert r.status_code == 400
    assert not prod_app.extensions.get("sent_mail")


def test_reset_link_comes_from_public_url_whatever_the_host(app, make_user):
    # Development has no host check, so the link must not follow the Host header either.
    app.config.update(PUBLIC_URL="https://pairing.example.cn", WTF_CSRF_ENABLED=False)
    user = make_user("donor")
    app.test_client().post("/forgot", data={"email": user.email},
                           base_url="http://evil.example")
    (message,) = app.extensions["sent_mail"]
    body = message.get_content()
    assert "https://pairing.example.cn/reset/" in body and "evil.example" not in body


def test_production_headers(prod_app, make_user):
    client = prod_app.test_client()
    r = client.get("/", **HOST)
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    r = client.get("/lang/en", **HOST)
    assert "Secure" in r.headers["Set-Cookie"] and "lang=en" in r.headers["Set-Cookie"]


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_logged_in_pages_are_not_stored(client, make_user):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    support.login(client, make_user("donor").email)
    for path in ("/", "/account", "/account/password"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_dev_server_names_no_version(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/healthz") as r:
            assert r.headers["Server"] == "pairing"
    finally:
        server.shutdown()


def test_demo_refuses_to_load_in_production(prod_app):
    from pairing.accounts.models import User
    from pairing.extensions import db

    runner = prod_app.test_cli_runner()
    for args in (["demo", "load"], ["demo", "load-if-empty"], ["demo", "load", "--scale",
                                                                "national"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "PAIRING_ENV=production" in result.output, args
    with prod_app.app_context():
        assert db.session.query(User).count() == 0
