"""The log-in rate limit with its counters in Redis, as with several workers."""

from __future__ import annotations

import os
import uuid

import pytest

import support
from pairing import create_app
from pairing.extensions import db, limiter

REDIS = os.environ.get("PAIRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_app(database, tmp_path):
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS}")
        pytest.skip(f"Redis does not answer at {REDIS}")
    prefix = f"test-{uuid.uuid4().hex}"
    app = create_app(support.test_config({**database, "RATELIMIT_STORAGE_URI": REDIS,
                                          "RATELIMIT_KEY_PREFIX": prefix}, tmp_path))
    # Flask-Limiter keeps the key prefix of the first app it served in this process.
    old_prefix, limiter._key_prefix = limiter._key_prefix, prefix
    app.redis_client = client  # type: ignore[attr-defined]
    app.redis_prefix = prefix  # type: ignore[attr-defined]
    yield app
    limiter._key_prefix = old_prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    assert not list(client.scan_iter(f"*{prefix}*"))
    client.close()
    with app.app_context():
        support.empty_tables()
        db.engine.dispose()


def test_eleventh_bad_attempt_is_refused_across_workers(redis_app):
    user = support.make_user(redis_app, "donor")
    for n in range(10):
        client = redis_app.test_client()
        assert support.login(client, user.email, "wrong password!").status_code == 401, n
    assert support.login(redis_app.test_client(), user.email, "x" * 12).status_code == 429
    # The counters live in Redis, where every gunicorn worker reads them.
    assert list(redis_app.redis_client.scan_iter(f"*{redis_app.redis_prefix}*"))
