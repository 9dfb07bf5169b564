"""Log-in and account mail against real gunicorn servers (issue 17 item 2, issue 24 items 1
and 7): simultaneous log-ins, the failed-log-in limits behind a proxy across two servers
sharing Redis, and mail through RQ with a retry, in the recipient's language."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import requests
from smtp_sink import SmtpSink

import servers
import support
from servers import HttpClient, app_servers, release_together, rq_worker, running, server_errors

pytestmark = pytest.mark.slow


def _redis() -> str:
    import redis

    client = redis.Redis.from_url(servers.REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {servers.REDIS_URL}")
        pytest.skip(f"Redis does not answer at {servers.REDIS_URL}")
    finally:
        client.close()
    return servers.REDIS_URL


def test_fifty_simultaneous_logins_all_succeed(app, database, tmp_path, make_user):
    users = [make_user("donor") for _ in range(50)]
    with app_servers(database, tmp_path, count=1, workers=4, threads=4,
                     worker_class="gthread") as (server,):
        clients = [HttpClient(server.url) for _ in users]
        tokens = [c.csrf("/login") for c in clients]
        for c in clients:
            # gunicorn closes a kept-alive connection after 2 s idle: a POST sent on it
            # meanwhile would be dropped unanswered, so each log-in opens a fresh one.
            c.session.close()

        def log_in(i: int) -> requests.Response:
            return clients[i].post_form("/login", {"email": users[i].email,
                                                   "password": support.PASSWORD},
                                        token=tokens[i])

        answers = release_together(len(users), log_in)
        assert server_errors(answers) == []
        assert [a.status_code for a in answers] == [302] * len(users)
        assert all(c.get("/account").status_code == 200 for c in clients)
        # gunicorn names itself without a version (issue 18, item 11).
        assert clients[0].get("/healthz").headers["Server"] == "gunicorn"
        running(server)


def _attempt(base: str, email: str, password: str, client_ip: str) -> int:
    client = HttpClient(base)
    client.session.headers["X-Forwarded-For"] = client_ip
    return client.post_form("/login", {"email": email, "password": password},
                            token=client.csrf("/login")).status_code


def test_login_limits_behind_a_proxy_across_two_servers(app, database, tmp_path, make_user):
    redis_url = _redis()
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    coordinator = make_user("coordinator")
    known = [make_user("donor") for _ in range(10)]
    env = {"TRUSTED_PROXIES": "1", "RATELIMIT_KEY_PREFIX": prefix}
    try:
        with app_servers(database, tmp_path, count=2, workers=2, redis_url=redis_url,
                         env=env) as (one, two):
            bases = (one.url, two.url)
            # An attacker behind the office's proxy address tries ten unknown e-mails,
            # alternating between the two servers.
            for n in range(10):
                assert _attempt(bases[n % 2], f"guess{n}@example.org", "wrong password!",
                                "203.0.113.9") == 401
            # The coordinator behind the same address still logs in, on either server.
            assert _attempt(one.url, coordinator.email, support.PASSWORD, "203.0.113.9") == 302
            assert _attempt(two.url, coordinator.email, support.PASSWORD, "203.0.113.9") == 302
            # Ten failures against real accounts from one client stop that client, on both
            # servers (the counters live in Redis) ...
            for n, user in enumerate(known):
                assert _attempt(bases[n % 2], user.email, "wrong password!",
                                "198.51.100.7") == 401
            assert _attempt(two.url, coordinator.email, support.PASSWORD, "198.51.100.7") == 429
            # ... but not another client behind another address.
            assert _attempt(one.url, coordinator.email, support.PASSWORD, "192.0.2.44") == 302
            running(one, two)
    finally:
        servers.flush_redis_prefix(prefix, redis_url)


def test_mail_goes_through_rq_with_a_retry_in_the_recipients_language(app, database, tmp_path,
                                                                      make_user):
    from pairing.accounts.models import User
    from pairing.extensions import db

    redis_url = _redis()
    user = make_user("donor")
    with app.app_context():
        db.session.get(User, user.id).language = "en"
        db.session.commit()
    sink = SmtpSink(fail_first=1)  # the relay refuses the first try
    queue = f"mail-{uuid.uuid4().hex[:8]}"
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port), "SMTP_STARTTLS": "0",
           "MAIL_RQ_QUEUE": queue, "MAIL_RETRY_SECONDS": "0", "MAIL_RETRIES": "2",
           "PUBLIC_URL": "https://pairing.example.cn"}
    try:
        with app_servers(database, tmp_path, count=2, workers=2, redis_url=redis_url,
                         env=env) as (one, two), \
                rq_worker(database, tmp_path, queue=queue, redis_url=redis_url, env=env):
            visitor = HttpClient(two.url)
            answer = visitor.post_form("/forgot", {"email": user.email},
                                       headers={"Accept-Language": "zh"})
            assert answer.status_code == 302
            deadline = time.monotonic() + 60
            while not sink.messages and time.monotonic() < deadline:
                time.sleep(0.2)
            assert sink.attempts == 2 and len(sink.messages) == 1
            (message,) = sink.messages
            assert message["To"] == user.email
            assert message["Subject"] == "Reset your password"  # the recipient's language
            body = message.get_content()
            assert "https://pairing.example.cn/reset/" in body and two.url not in body
            running(one, two)
    finally:
        sink.close()
        servers.flush_redis_prefix(queue, redis_url)
