"""Settings from the environment.

Every variable is listed in README.md. `load_config` returns a plain mapping that
`create_app` hands to Flask; callers (tests) may override any key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-change-me"


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Area settings whose defaults live beside the code that reads them (README lists them);
# the environment overrides them only when set.
OPTIONAL_INT = ("GIVING_NOTICE_DAYS", "GIVING_MIN_GIFT_FEN", "GIVING_MAX_GIFT_FEN",
                "GIVING_MIN_GOAL_FEN", "GIVING_MAX_GOAL_FEN", "GIVING_MAX_FILE_BYTES",
                "TAOBAO_SALES_FEN", "TAOBAO_ACTIVE_PRODUCTS", "SHOP_UNPAID_HOURS",
                "SHOP_UNPAID_TRANSFER_HOURS", "SHOP_PHOTO_MAX_BYTES", "MATCHING_INLINE_MAX",
                "MATCHING_PROPOSAL_DAYS", "MATCHING_STALE_MINUTES", "MATCHING_TIME_LIMIT_S",
                "EVIDENCE_MAX_BYTES", "STATS_REFRESH_S")
OPTIONAL_STR = ("PAYMENT_BANK_NAME", "PAYMENT_BANK", "PAYMENT_BANK_ACCOUNT", "MATCHING_RQ_QUEUE")


def _optional(env: Mapping[str, str]) -> dict[str, object]:
    found: dict[str, object] = {k: int(env[k]) for k in OPTIONAL_INT if env.get(k)}
    found.update({k: env[k] for k in OPTIONAL_STR if env.get(k)})
    return found


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    env = os.environ if environ is None else environ
    instance = Path(env.get("PAIRING_INSTANCE_DIR", ROOT / "instance"))
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'pairing.db'}"
    if database_url.startswith("postgres://"):  # Heroku-style URLs
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    redis_url = env.get("REDIS_URL", "")
    return {
        "ENV_NAME": env.get("PAIRING_ENV", "development"),
        "DEBUG": _bool(env.get("FLASK_DEBUG")),
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "15000")),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "pairing"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(instance / "uploads")),
        "INSTANCE_DIR": str(instance),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        "PUBLIC_URL": env.get("PUBLIC_URL", "").rstrip("/"),
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), default=True),
        "MAIL_FROM": env.get("MAIL_FROM", "noreply@pairing.example"),
        "PASSWORD_HASH_METHOD": env.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_RESET_MAX_AGE_S": int(env.get("PASSWORD_RESET_MAX_AGE_S", "3600")),
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LOCALE", "zh"),
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"),
                                       default=env.get("PAIRING_ENV") == "production"),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": int(env.get("PAGE_SIZE", "20")),
        # Households' ID numbers are encrypted with this key (derived from SECRET_KEY when
        # empty, for development only; production must set its own and keep it safe).
        "HOUSEHOLD_DATA_KEY": env.get("HOUSEHOLD_DATA_KEY", ""),
        "PAYMENT_PROVIDERS": env.get("PAYMENT_PROVIDERS", "sandbox,manual"),
    } | _optional(env)


def check_production(config: Mapping[str, object]) -> None:
    """Refuse to start an insecure production site."""
    if config.get("ENV_NAME") != "production":
        return
    secret = config.get("SECRET_KEY")
    if not secret or secret == DEFAULT_SECRET or len(str(secret)) < 32:
        raise RuntimeError("production needs SECRET_KEY: a random value of at least 32 characters")
    if config.get("DEBUG"):
        raise RuntimeError("production must not run with FLASK_DEBUG on")
    if not config.get("HOUSEHOLD_DATA_KEY"):
        raise RuntimeError("production needs HOUSEHOLD_DATA_KEY to encrypt households' ID numbers")
