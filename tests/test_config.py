"""Configuration from the environment; production refuses insecure settings."""

from __future__ import annotations

import pytest

from pairing import create_app
from pairing.config import DEFAULT_SECRET, check_production, load_config


def test_defaults_are_sqlite_under_instance():
    config = load_config({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/pairing.db")
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["PASSWORD_HASH_METHOD"] == "scrypt"


def test_environment_overrides():
    config = load_config({"DATABASE_URL": "postgresql://u@db/pairing",
                          "REDIS_URL": "redis://127.0.0.1:6379/0", "UPLOAD_DIR": "/srv/up"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/pairing"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert config["UPLOAD_DIR"] == "/srv/up"


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET, "short"])
def test_production_refuses_weak_secret(secret):
    config = {"ENV_NAME": "production", "SECRET_KEY": secret, "DEBUG": False}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production(config)


GOOD_SECRET = "Vq3-pZ8_kLw2Rt9xYb4NcM7sJh1Fd6Ga0eUoTiWy"


def test_production_refuses_debug():
    with pytest.raises(RuntimeError, match="DEBUG"):
        check_production({"ENV_NAME": "production", "SECRET_KEY": GOOD_SECRET, "DEBUG": True})


def test_create_app_refuses_insecure_production(tmp_path):
    with pytest.raises(RuntimeError):
        create_app({"ENV_NAME": "production", "SECRET_KEY": DEFAULT_SECRET,
                    "INSTANCE_DIR": str(tmp_path)})


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app):
    from sqlalchemy import text

    from pairing.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_production_needs_a_household_data_key():
    from cryptography.fernet import Fernet

    with pytest.raises(RuntimeError, match="HOUSEHOLD_DATA_KEY"):
        check_production({"ENV_NAME": "production", "SECRET_KEY": GOOD_SECRET, "DEBUG": False})
    check_production({"ENV_NAME": "production", "SECRET_KEY": GOOD_SECRET, "DEBUG": False,
                      "HOUSEHOLD_DATA_KEY": Fernet.generate_key().decode(),
                      "PUBLIC_URL": "https://pairing.example.cn",
                      "TRUSTED_HOSTS": ["pairing.example.cn"]})


def test_area_settings_come_from_the_environment_only_when_set():
    assert "GIVING_MAX_GIFT_FEN" not in load_config({})
    assert load_config({"GIVING_MAX_GIFT_FEN": "900000"})["GIVING_MAX_GIFT_FEN"] == 900000


def test_every_page_says_payments_are_simulated_with_the_sandbox(client, app):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "payments here are simulated" in page
    app.config["PAYMENT_PROVIDERS"] = "manual"
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "payments here are simulated" not in page
