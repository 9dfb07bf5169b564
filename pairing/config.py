"""Settings from the environment.

Every variable is listed in README.md. `load_config` returns a plain mapping that
`create_app` hands to Flask; callers (tests) may override any key.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-insecure-change-me"
ENV_NAMES = ("development", "production", "testing")
# Links in development mails point here when PUBLIC_URL is not set (`make run`'s address).
DEV_PUBLIC_URL = "http://127.0.0.1:5000"
# A production SECRET_KEY must carry at least this much estimated entropy (bits); the
# estimate is low for short random keys (32 hex digits score about 110).
MIN_SECRET_BITS = 96


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
                "EVIDENCE_MAX_BYTES", "STATS_REFRESH_S", "PAIRING_REPORT_DAYS")
OPTIONAL_STR = ("PAYMENT_BANK_NAME", "PAYMENT_BANK", "PAYMENT_BANK_ACCOUNT", "MATCHING_RQ_QUEUE")


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


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
    env_name = env.get("PAIRING_ENV", "development")
    public_url = env.get("PUBLIC_URL", "").rstrip("/")
    if not public_url and env_name != "production":
        public_url = DEV_PUBLIC_URL
    return {
        "ENV_NAME": env_name,
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
        "PUBLIC_URL": public_url,
        # Production answers only to these host names (PUBLIC_URL's by default, see
        # `complete`): a forged Host header gets 400, never a page or a link.
        "TRUSTED_HOSTS": _list(env.get("TRUSTED_HOSTS")) or None,
        # How many reverse proxies stand in front of the app (X-Forwarded-For/-Proto hops
        # to believe); 0 = none, the socket's address is the client's.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        "MAIL_RETRIES": int(env.get("MAIL_RETRIES", "3")),
        "MAIL_RQ_QUEUE": env.get("MAIL_RQ_QUEUE", "pairing"),
        "MAIL_RETRY_SECONDS": env.get("MAIL_RETRY_SECONDS", ""),
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
                                       default=env_name == "production"),
        # A log-in ends after this long without a request (the cookie carries the time).
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "60")),
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", "31536000")),
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": int(env.get("PAGE_SIZE", "20")),
        # Households' ID numbers are encrypted with this key (derived from SECRET_KEY when
        # empty, for development only; production must set its own and keep it safe).
        "HOUSEHOLD_DATA_KEY": env.get("HOUSEHOLD_DATA_KEY", ""),
        "PAYMENT_PROVIDERS": env.get("PAYMENT_PROVIDERS", "sandbox,manual"),
    } | _optional(env)


def complete(config: MutableMapping[str, object]) -> None:
    """Settings derived from others, once the caller's overrides are in."""
    if config.get("ENV_NAME") == "production":
        # PUBLIC_URL is https in production (check_production), so cookies are too.
        config["SESSION_COOKIE_SECURE"] = True
    if config.get("ENV_NAME") == "production" and not config.get("TRUSTED_HOSTS"):
        host = urlsplit(str(config.get("PUBLIC_URL") or "")).hostname
        config["TRUSTED_HOSTS"] = [host] if host else None


def secret_bits(secret: str) -> float:
    """Estimated entropy of a key: its length times the Shannon entropy of its characters
    (32 × "a" scores 0, `secrets.token_hex(16)` about 120, `token_urlsafe(32)` about 210)."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_char = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_char * len(secret)


def weak_secret(secret: str) -> bool:
    """Too short, too few distinct characters, a repeated word or a run of the keyboard."""
    if len(secret) < 32 or secret == DEFAULT_SECRET or secret_bits(secret) < MIN_SECRET_BITS:
        return True
    if secret in (secret + secret)[1:-1]:  # periodic: "ab" * 20, "password" * 5
        return True
    steps = sum(abs(ord(a) - ord(b)) <= 1 for a, b in zip(secret, secret[1:], strict=False))
    return steps > len(secret) // 2  # "abcdef…", "0123456789…", "aaaa…b"


def _check_fernet(key: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True


def check_production(config: Mapping[str, object]) -> None:
    """Refuse to start with an unknown environment name or an insecure production site."""
    env_name = config.get("ENV_NAME")
    if env_name not in ENV_NAMES:
        raise RuntimeError(f"PAIRING_ENV={env_name!r} is not one of {', '.join(ENV_NAMES)}: "
                           "refusing to start")
    if env_name != "production":
        return
    secret = str(config.get("SECRET_KEY") or "")
    if weak_secret(secret):
        raise RuntimeError("production needs SECRET_KEY: a random value of at least 32 "
                           "characters, e.g. python -c 'import secrets; "
                           "print(secrets.token_urlsafe(32))'")
    if config.get("DEBUG"):
        raise RuntimeError("production must not run with FLASK_DEBUG on")
    key = str(config.get("HOUSEHOLD_DATA_KEY") or "")
    if not key or not _check_fernet(key):
        raise RuntimeError("production needs HOUSEHOLD_DATA_KEY, a Fernet key (python -c 'from "
                           "cryptography.fernet import Fernet; print(Fernet.generate_key()"
                           ".decode())'), to encrypt households' ID numbers")
    public = urlsplit(str(config.get("PUBLIC_URL") or ""))
    if public.scheme != "https" or not public.hostname:
        raise RuntimeError("production needs PUBLIC_URL, the site's https:// address: every "
                           "e-mailed link is built from it")
    if not config.get("TRUSTED_HOSTS"):
        raise RuntimeError("production needs TRUSTED_HOSTS (PUBLIC_URL's host by default)")
