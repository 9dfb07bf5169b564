"""Real servers for tests that must fail the way production fails: gunicorn app servers
(several workers, optionally threaded) and RQ workers, as subprocesses on the test's own
database (the `database` fixture's SQLite file or PostgreSQL schema), plus HTTP clients
that log in and post forms with CSRF tokens, and a barrier to release requests together.

    def test_x(app, database, tmp_path):
        with app_servers(database, tmp_path, count=2, workers=2) as (one, two):
            staff = HttpClient(one.url)
            staff.login(user.email)
            results = release_together(20, lambda i: staff.post_form(path, {...}))

Data made with the `app` fixture is visible to the servers once committed; the `app`
fixture empties the tables after the test as usual.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

import support

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("PAIRING_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def database_url(settings: Mapping[str, object]) -> str:
    """The DATABASE_URL a subprocess needs to reach the `database` fixture's database."""
    url = str(settings["SQLALCHEMY_DATABASE_URI"])
    options = settings.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    connect = options.get("connect_args", {}) if isinstance(options, Mapping) else {}
    if "options" in connect:
        url += ("&" if "?" in url else "?") + "options=" + quote(str(connect["options"]))
    return url


def server_env(settings: Mapping[str, object], instance: Path, *, redis_url: str = "",
               extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of an app process: the test's database, its own instance folder, the
    test secret, fast password hashing; Redis only when asked for."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "FLASK_"))}
    env.update({
        "PAIRING_ENV": "development",
        "DATABASE_URL": database_url(settings),
        "PAIRING_INSTANCE_DIR": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
        "SECRET_KEY": support.test_config({}, instance)["SECRET_KEY"],
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "REDIS_URL": redis_url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        "SMTP_HOST": "",
        "FLASK_APP": "pairing",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


@dataclass
class AppServer:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _start_gunicorn(env: dict[str, str], log: Path, *, workers: int, threads: int,
                    worker_class: str, timeout_s: float) -> AppServer:
    args = [str(BIN / "gunicorn"), "-b", "127.0.0.1:0", "-w", str(workers),
            "-k", worker_class, "--timeout", "60", "--graceful-timeout", "5",
            # Clients reuse connections across a slow set-up: gunicorn's 2 s default
            # would drop one just as a test posts on it (RemoteDisconnected).
            "--keep-alive", "120",
            "--no-control-socket", "pairing:create_app()"]
    if worker_class == "gthread":
        args[args.index("-k"):args.index("-k")] = ["--threads", str(threads)]
    handle = log.open("wb")
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle,
                               stderr=subprocess.STDOUT, start_new_session=True)
    handle.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = _LISTENING.search(log.read_text(errors="replace"))
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        if found:
            server = AppServer(f"http://127.0.0.1:{found.group(1)}", process, log)
            if _healthy(server.url):
                return server
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"gunicorn did not answer in {timeout_s} s:\n{log.read_text()}")


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def app_servers(settings: Mapping[str, object], tmp_path: Path, *, count: int = 1,
                workers: int = 2, threads: int = 1, worker_class: str = "sync",
                redis_url: str = "", env: Mapping[str, str] | None = None,
                timeout_s: float = 60) -> Iterator[list[AppServer]]:
    """`count` gunicorn instances on free ports sharing the test's database (and Redis
    and the upload folder, as several hosts would). Raises if a server dies; prints each
    server's log on failure of the body."""
    instance = tmp_path / "servers"
    instance.mkdir(exist_ok=True)
    # Tests multiply concurrency with threads on small data; gunicorn.conf.py refuses them
    # on CPython 3.11 for production, where they crash under minutes of national-size load.
    # A test of that refusal passes PAIRING_ALLOW_THREADS=0.
    base = server_env(settings, instance, redis_url=redis_url,
                      extra={"PAIRING_ALLOW_THREADS": "1", **(env or {})})
    started: list[AppServer] = []
    try:
        for i in range(count):
            log = instance / f"gunicorn-{i}-{uuid.uuid4().hex[:6]}.log"
            started.append(_start_gunicorn(dict(base), log, workers=workers, threads=threads,
                                           worker_class=worker_class, timeout_s=timeout_s))
        yield started
    except BaseException:
        for server in started:
            sys.stderr.write(f"--- {server.url} log ---\n{server.output()[-5000:]}\n")
        raise
    finally:
        for server in started:
            _stop(server.process)


@contextmanager
def rq_worker(settings: Mapping[str, object], tmp_path: Path, *, queue: str,
              redis_url: str = REDIS_URL, env: Mapping[str, str] | None = None,
              burst: bool = False) -> Iterator[subprocess.Popen]:
    """An RQ worker process on `queue` with the app's environment (pass the same `env`
    as the servers so that both use the same queue name and Redis)."""
    instance = tmp_path / "servers"
    instance.mkdir(exist_ok=True)
    worker_env = server_env(settings, instance, redis_url=redis_url, extra=env)
    log = instance / f"rq-{uuid.uuid4().hex[:6]}.log"
    with log.open("wb") as handle:
        args = [str(BIN / "rq"), "worker", "--url", redis_url, *(["--burst"] if burst else []),
                queue]
        process = subprocess.Popen(args, cwd=ROOT, env=worker_env, stdout=handle,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        _stop(process)


def flush_redis_prefix(prefix: str, redis_url: str = REDIS_URL) -> None:
    """Delete the keys a test wrote under its prefix (Redis keeps state between runs)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class HttpClient:
    """A browser-like session against a real server: cookies, CSRF tokens from pages."""

    base: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout_s: float = 60

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.base + path, timeout=self.timeout_s, **kwargs)

    def csrf(self, path: str = "/") -> str:
        page = self.get(path)
        found = _TOKEN.search(page.text)
        assert found, f"no CSRF token on {path} ({page.status_code})"
        return found.group(1)

    def post_form(self, path: str, data: Mapping[str, Any] | None = None, *,
                  token: str | None = None, **kwargs: Any) -> requests.Response:
        payload = dict(data or {})
        payload.setdefault("csrf_token", token or self.csrf())
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.base + path, data=payload, timeout=self.timeout_s,
                                 **kwargs)

    def login(self, email: str, password: str = support.PASSWORD) -> requests.Response:
        answer = self.post_form("/login", {"email": email, "password": password})
        assert answer.status_code == 302, (answer.status_code, answer.text[:500])
        return answer

    def at(self, base: str) -> HttpClient:
        """The same session (cookies) against another server."""
        return HttpClient(base, self.session, self.timeout_s)


def release_together(count: int, call: Callable[[int], Any], *,
                     timeout_s: float = 120) -> list[Any]:
    """Run call(0..count-1) on `count` threads released at once by a barrier; returns the
    results (or the exception each call raised) in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = call(i)
        except Exception as exc:  # noqa: BLE001 - the caller inspects it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
    assert not any(t.is_alive() for t in threads), "requests still running after timeout"
    return results


def server_errors(results: list[Any]) -> list[Any]:
    """The answers that are neither a success nor a clear refusal: 5xx or exceptions."""
    return [r for r in results
            if isinstance(r, Exception) or getattr(r, "status_code", 0) >= 500]


_CRASH = re.compile(r"SIGSEGV|Worker \(pid:\d+\) was sent|Worker \(pid:\d+\) exited|Traceback")


def running(*servers: AppServer) -> None:
    """Assert every server is still up and no worker crashed or logged a traceback."""
    for server in servers:
        log = server.output()
        assert server.process.poll() is None, log[-5000:]
        assert not _CRASH.search(log), log[-5000:]
