"""Donations under load: the site under gunicorn on PostgreSQL, many concurrent donors.

    .venv/bin/python benchmarks/donations.py [--seconds 20] [--clients 32] [--workers 4]

Creates its own schema in the PostgreSQL database at PAIRING_BENCH_POSTGRES_URL (default:
the test database), migrates it, seeds one open request with a large goal and one donor
account per client, starts gunicorn on 127.0.0.1, and lets every client log in and give
(random 1–50 yuan, every tenth gift sent twice with the same idempotency key, as a
double click) for a fixed time. Then it reconciles: the gifts the clients saw accepted,
the request's raised amount, the donations table and the ledger must agree to the fen.
Prints donations per second, p50/p95 latency and the reconciliation. Drops the schema.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("PAIRING_BENCH_POSTGRES_URL",
                    os.environ.get("PAIRING_TEST_POSTGRES_URL",
                                   "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
PASSWORD = "bench-pass-2026"
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(schema: str, tmp: Path) -> dict[str, str]:
    url = PG.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in url else "?"
    return {**os.environ, "DATABASE_URL": f"{url}{sep}options=-csearch_path%3D{schema}",
            "SECRET_KEY": "bench-secret-key-0123456789-0123456789",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "LOGIN_RATE_LIMIT": "100000 per minute",
            "PAIRING_INSTANCE_DIR": str(tmp), "UPLOAD_DIR": str(tmp / "uploads"),
            "FLASK_DEBUG": "0", "PAIRING_ENV": "development"}


def seed(env: dict[str, str], clients: int) -> tuple[int, list[str]]:
    os.environ.update(env)
    from datetime import timedelta

    from pairing import create_app
    from pairing.accounts import services as accounts
    from pairing.db import utcnow
    from pairing.extensions import db
    from pairing.giving import idnumber
    from pairing.giving import services as giving
    from pairing.places.models import Village
    from pairing.places.services import load_reference_data

    app = create_app()
    with app.app_context():
        load_reference_data()
        sec = accounts.create_user(email="sec@bench.example", password=PASSWORD,
                                   display_name="书记", role="secretary", jurisdiction=None)
        ver = accounts.create_user(email="ver@bench.example", password=PASSWORD,
                                   display_name="核查", role="verifier", jurisdiction="43")
        emails = []
        for n in range(clients):
            emails.append(f"donor{n}@bench.example")
            accounts.create_user(email=emails[-1], password=PASSWORD, display_name=f"捐款人{n}",
                                 role="donor", jurisdiction=None)
        village = Village(name="压测村", county_code="433124", secretary_id=sec.id,
                          status="verified")
        db.session.add(village)
        db.session.flush()
        from datetime import date

        household = giving.register_household(sec, village, giving.HouseholdData(
            "B1", "测试户", idnumber.make("433124", date(1970, 1, 1), 1), members=3,
            consent_publish=True, consent_sensitive=True))
        req = giving.create_request(sec, household, purpose="other", title="压测求助",
                                    story="benchmark", amount_needed_fen=50_000_000,
                                    deadline=utcnow() + timedelta(days=30))
        giving.submit_request(sec, req)
        giving.verify_request(ver, req, True)
        req.notice_until = utcnow() - timedelta(seconds=1)
        giving.settle(req)
        db.session.commit()
        return req.id, emails


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers.get("Location", ""), text

    def token(self, path: str) -> str:
        _, _, text = self.request("GET", path)
        return TOKEN.search(text).group(1)  # type: ignore[union-attr]


def run_clients(port: int, request_id: int, emails: list[str], seconds: float):
    accepted: list[int] = []
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at: list[float] = []
    # The clock starts when every client has logged in, before any of them gives.
    start = threading.Barrier(len(emails) + 1,
                              action=lambda: stop_at.append(time.monotonic() + seconds))

    def donor(email: str, seed: int) -> None:
        import random

        rng = random.Random(seed)
        c = Client(port)
        c.request("POST", "/login", {"email": email, "password": PASSWORD,
                                     "csrf_token": c.token("/login")})
        token = c.token(f"/crowdfunding/{request_id}")
        start.wait()
        n = 0
        while time.monotonic() < stop_at[0]:
            n += 1
            amount = rng.randint(1, 50)
            form = {"amount": str(amount), "provider": "sandbox", "fallback": "0",
                    "key": uuid.uuid4().hex, "csrf_token": token}
            for _ in range(2 if n % 10 == 0 else 1):  # every tenth: a double click
                t0 = time.perf_counter()
                status, location, _ = c.request("POST", f"/crowdfunding/{request_id}/donate",
                                                 form)
                with lock:
                    latencies.append(time.perf_counter() - t0)
                if status != 302:
                    with lock:
                        errors.append(str(status))
            if "/giving/receipts/" in location:
                with lock:
                    accepted.append(amount * 100)
            else:
                with lock:
                    errors.append("refused: " + location)

    threads = [threading.Thread(target=donor, args=(e, i)) for i, e in enumerate(emails)]
    for t in threads:
        t.start()
    start.wait()
    began = stop_at[0] - seconds
    for t in threads:
        t.join()
    return accepted, latencies, errors, time.monotonic() - began


def reconcile(env: dict[str, str], request_id: int) -> dict[str, object]:
    from sqlalchemy import func, select

    from pairing import create_app
    from pairing.extensions import db
    from pairing.giving.models import Donation, HelpRequest
    from pairing.ledger import services as ledger

    app = create_app()
    with app.app_context():
        req = db.session.get(HelpRequest, request_id)
        rows = db.session.execute(select(func.count(), func.coalesce(func.sum(
            Donation.amount_fen), 0)).where(Donation.request_id == request_id,
                                            Donation.status == "confirmed")).one()
        return {"raised": req.raised_fen, "donors": req.donors_count, "rows": rows[0],
                "rows_sum": rows[1], "balance": ledger.balance(ledger.account(req.ledger_code)),
                "ledger_problems": ledger.verify()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="bench-donations-"))
    env = environment(schema, tmp)
    server = None
    try:
        subprocess.run([sys.executable, "-m", "flask", "--app", "pairing", "db", "upgrade",
                        "heads"], cwd=ROOT, env=env, check=True, capture_output=True)
        request_id, emails = seed(env, args.clients)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", "4",
             "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level",
             "warning", "pairing:create_app()"], cwd=ROOT, env=env)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        accepted, latencies, errors, elapsed = run_clients(port, request_id, emails,
                                                           args.seconds)
        result = reconcile(env, request_id)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    lat = sorted(latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else 0.0
    exact = (sum(accepted) == result["raised"] == result["balance"] == result["rows_sum"]
             and len(accepted) == result["rows"] == result["donors"]
             and not result["ledger_problems"])
    print(f"clients {args.clients}, gunicorn workers {args.workers}x4 threads, "
          f"{elapsed:.1f} s on PostgreSQL")
    print(f"donations accepted: {len(accepted)} ({len(accepted) / elapsed:.1f} per second); "
          f"requests sent: {len(latencies)} (double clicks included)")
    print(f"latency p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"errors/refusals: {len(errors)} {sorted(set(errors))[:5]}")
    print(f"reconciliation: clients saw {sum(accepted)} fen in {len(accepted)} gifts; "
          f"raised {result['raised']}, ledger balance {result['balance']}, donation rows "
          f"{result['rows']} summing {result['rows_sum']}; ledger problems "
          f"{len(result['ledger_problems'])}  ->  {'EXACT' if exact else 'MISMATCH'}")
    return 0 if exact else 1


if __name__ == "__main__":
    raise SystemExit(main())
