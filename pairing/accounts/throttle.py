"""Failed log-ins, counted per account and per client address (OWASP ASVS 5.0, 6.3.1).

Two counters, in the rate limiter's storage (Redis when REDIS_URL is set, so every worker on
every host shares them), each allowing LOGIN_RATE_LIMIT failures:

- per e-mail address tried: too many failures stop further attempts on that account;
- per client address, counting only failures against accounts that exist: too many stop that
  address. Failures against unknown addresses do not count here, so someone trying unknown
  e-mails behind the same proxy or NAT never locks a real user out (the client address is
  the proxy's unless TRUSTED_PROXIES says how many proxies to look through).
"""

from __future__ import annotations

from flask import current_app
from limits import RateLimitItem, parse

from ..extensions import client_address, limiter


def _item() -> RateLimitItem:
    return parse(str(current_app.config["LOGIN_RATE_LIMIT"]))


def _keys(email: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    prefix = str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "pairing")
    return (prefix, "login-account", email), (prefix, "login-address", client_address())


def blocked(email: str) -> bool:
    """Whether this attempt must be refused before the password is even checked."""
    account, address = _keys(email)
    item = _item()
    return not limiter.limiter.test(item, *account) or not limiter.limiter.test(item, *address)


def failed(email: str, *, known: bool) -> None:
    account, address = _keys(email)
    item = _item()
    limiter.limiter.hit(item, *account)
    if known:
        limiter.limiter.hit(item, *address)
