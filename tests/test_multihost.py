"""Production on several hosts, without containers (issue 20): two gunicorn servers on two
ports, one RQ worker and the housekeeping command share one database (the test's SQLite
file or PostgreSQL schema), one Redis and one upload folder, and act as one site:

- a session logged in on A is valid on B, and logging out on B ends it on A as well
  (a copy of the old cookie is refused: the session is closed in the database);
- an evidence photo uploaded through A downloads, byte for byte, through B;
- a pairing round started on A runs in the RQ worker, and B shows its stages and results;
- housekeeping's stored figures are what both servers' dashboards show;
- failed log-ins are counted across both servers (the counters live in Redis).
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import pytest
from enterprises import factories as f
from matching import mhelp as h
from sqlalchemy import select

import support
from pairing.db import today
from pairing.extensions import db
from pairing.matching import services
from pairing.matching.models import EvidenceFile
from servers import (
    BIN,
    REDIS_URL,
    ROOT,
    HttpClient,
    app_servers,
    flush_redis_prefix,
    rq_worker,
    running,
    server_env,
)

pytestmark = pytest.mark.slow
EN = {"Accept-Language": "en"}


def _redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    finally:
        client.close()


def _housekeeping(database, tmp_path, env) -> subprocess.CompletedProcess:  # noqa: ANN001
    """`flask housekeeping` as the scheduler runs it: its own process, the servers' env."""
    run_env = server_env(database, tmp_path / "servers", redis_url=REDIS_URL, extra=env)
    return subprocess.run([str(BIN / "flask"), "housekeeping"], cwd=ROOT, env=run_env,
                          capture_output=True, text=True, timeout=120, check=False)


def _wait_for_round(client: HttpClient, round_id: int, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get(f"/rounds/{round_id}/status").json()
        if status["status"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"round {round_id} still {status} after {timeout_s} s")


def _attempt(base: str, email: str, password: str) -> int:
    client = HttpClient(base)
    client.session.headers["X-Forwarded-For"] = "198.51.100.23"
    return client.post_form("/login", {"email": email, "password": password},
                            token=client.csrf("/login")).status_code


def test_two_servers_a_worker_and_housekeeping_are_one_site(app, database, tmp_path,
                                                            make_user):
    _redis()
    m, pairing_id = h.paired(app, make_user)
    # A second need, which the round started through the servers pairs.
    f.need(app, m.village_id, kind="procurement", quantity=5_000_000)
    with app.app_context():
        round_id = services.create_round(h.user(m.coordinator), None, {}).id
        db.session.commit()
    strangers = [make_user("donor") for _ in range(10)]
    prefix, queue = f"test-{uuid.uuid4().hex[:8]}", f"pairing-test-{uuid.uuid4().hex[:8]}"
    env = {"RATELIMIT_KEY_PREFIX": prefix, "MATCHING_INLINE_MAX": "0",
           "MATCHING_RQ_QUEUE": queue, "TRUSTED_PROXIES": "1"}
    try:
        with app_servers(database, tmp_path, count=2, workers=1, redis_url=REDIS_URL,
                         env=env) as (one, two), \
                rq_worker(database, tmp_path, queue=queue, env=env):
            # A session made on A holds on B; a log-out on B ends it on A too.
            officer = HttpClient(one.url)
            officer.login(m.officer.email)
            assert officer.at(two.url).get("/account").status_code == 200
            copied = officer.session.cookies.copy()
            on_two = officer.at(two.url)
            assert on_two.post_form("/logout", token=on_two.csrf("/account")).status_code == 302
            replayed = HttpClient(one.url)
            replayed.session.cookies.update(copied)
            assert replayed.get("/account").status_code == 302  # to the log-in page

            # A photo uploaded through A is downloaded through B (one upload folder).
            officer = HttpClient(one.url)
            officer.login(m.officer.email)
            sent = officer.session.post(
                f"{one.url}/pairings/{pairing_id}/reports", allow_redirects=False,
                data={"csrf_token": officer.csrf(f"/pairings/{pairing_id}"),
                      "quantity": "1000", "delivered_on": today().isoformat(),
                      "note": "第一批茶叶已收购"},
                files={"files": ("茶园.png", h.PNG, "image/png")}, timeout=60)
            assert sent.status_code == 302, sent.text[:500]
            with app.app_context():
                file_id = db.session.scalars(select(EvidenceFile.id)).one()
            village = HttpClient(two.url)
            village.login(m.secretary.email)
            got = village.get(f"/evidence/{file_id}")
            assert got.status_code == 200 and got.content == h.PNG

            # A round started on A runs in the worker; B shows its stages and results.
            coordinator = HttpClient(one.url)
            coordinator.login(m.coordinator.email)
            started = coordinator.post_form(f"/rounds/{round_id}/start",
                                            token=coordinator.csrf(f"/rounds/{round_id}"))
            assert started.status_code == 302
            watcher = coordinator.at(two.url)
            status = _wait_for_round(watcher, round_id)
            assert status["status"] == "done" and status["proposed"] == 1, status
            assert len(status["stages"]) >= 2  # each stage's time, as the page shows it
            page = watcher.get(f"/rounds/{round_id}", headers=EN).text
            assert "pairs proposed" in page and "Optimiser and greedy baseline" in page

            # Housekeeping stores the figures; both dashboards serve the stored ones.
            fresh = "Figures computed from their rows just now."
            assert fresh in HttpClient(two.url).get("/dashboard", headers=EN).text
            done = _housekeeping(database, tmp_path, env)
            assert done.returncode == 0, done.stdout + done.stderr
            for server in (one, two):
                text = HttpClient(server.url).get("/dashboard", headers=EN).text
                assert "Figures as computed from their rows at" in text, server.url

            # Ten failed log-ins from one client, alternating servers, stop that client on
            # both: the limiter's counters are shared in Redis, not kept per server.
            for n, user in enumerate(strangers):
                assert _attempt((one.url, two.url)[n % 2], user.email, "wrong password!") == 401
            assert _attempt(one.url, m.officer.email, support.PASSWORD) == 429
            assert _attempt(two.url, m.officer.email, support.PASSWORD) == 429
            running(one, two)
    finally:
        flush_redis_prefix(prefix)
        flush_redis_prefix(queue)
