"""Donations under load: the site under gunicorn on PostgreSQL, many concurrent donors.

    .venv/bin/python benchmarks/donations.py [--seconds 20] [--clients 32] [--workers 4]
                                             [--database-url postgresql://…/bench]

Never touches the public schema of the test database: by default it creates its own
schema (bench_<random>) in the database at PAIRING_BENCH_POSTGRES_URL (default: the test
database) and drops it at the end; --database-url names a database of its own instead
(migrated, seeded and left as it is). It seeds two open requests, a large one and a small
one whose goal is below what its donors offer, one donor account per client and two
staff accounts, starts gunicorn on 127.0.0.1 and, for a fixed time, lets every client
give (random 1–50 yuan): every tenth gift is a double click (the same form posted twice
at once), every seventh goes to the small request (refused once it is full: a clear
refusal, not a failure), every fifth is a bank transfer. Then two staff confirm every
transfer at once, both clicking each. Any 5xx fails the run. Finally it reconciles: the
gifts the clients saw accepted, each request's raised amount, the donations table and
the ledger must agree to the fen, and ledger.verify (the books and every invariant) must
find nothing. Prints gifts per second, p50/p95 latency and the verdicts.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("PAIRING_BENCH_POSTGRES_URL",
                    os.environ.get("PAIRING_TEST_POSTGRES_URL",
                                   "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
PASSWORD = "bench-pass-2026"
TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
BIG, SMALL = 50_000_000, 10_000  # goals in fen: ¥500,000 and ¥100


def psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def environment(url: str, tmp: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url,
            "SECRET_KEY": "bench-secret-key-0123456789-0123456789",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "LOGIN_RATE_LIMIT": "100000 per minute",
            "PAIRING_INSTANCE_DIR": str(tmp), "UPLOAD_DIR": str(tmp / "uploads"),
            "FLASK_DEBUG": "0", "PAIRING_ENV": "development",
            "PAYMENT_PROVIDERS": "sandbox,manual"}


def seed(env: dict[str, str], clients: int) -> tuple[list[int], list[str], list[str]]:
    os.environ.update(env)
    from datetime import date, timedelta

    from pairing import create_app
    from pairing.accounts import services as accounts
    from pairing.db import utcnow
    from pairing.extensions import db
    from pairing.giving import idnumber
    from pairing.giving import services as giving
    from pairing.places.models import Village
    from pairing.places.services import load_reference_data

    def user(email: str, role: str, jurisdiction: str | None = None):  # noqa: ANN202
        return accounts.create_user(email=email, password=PASSWORD, display_name=email[:8],
                                    role=role, jurisdiction=jurisdiction)

    app = create_app()
    with app.app_context():
        load_reference_data()
        sec, ver = user("sec@bench.example", "secretary"), user("ver@bench.example",
                                                                "verifier", "43")
        emails = [user(f"donor{n}@bench.example", "donor").email for n in range(clients)]
        staff = [user(f"staff{n}@bench.example", "coordinator", "CN").email for n in range(2)]
        village = Village(name="压测村", county_code="433124", secretary_id=sec.id,
                          status="verified")
        db.session.add(village)
        db.session.flush()
        ids = []
        for n, goal in enumerate((BIG, SMALL)):
            household = giving.register_household(sec, village, giving.HouseholdData(
                f"B{n}", "测试户", idnumber.make("433124", date(1970, 1, 1 + n), n), members=3,
                consent_publish=True, consent_sensitive=True))
            req = giving.create_request(sec, household, purpose="other", title=f"压测求助{n}",
                                        story="benchmark", amount_needed_fen=goal,
                                        deadline=utcnow() + timedelta(days=30))
            giving.submit_request(sec, req)
            giving.verify_request(ver, req, True)
            req.notice_until = utcnow() - timedelta(seconds=1)
            giving.settle(req)
            ids.append(req.id)
        db.session.commit()
        return ids, emails, staff


class Client:
    def __init__(self, base: str) -> None:
        self.base, self.http = base, requests.Session()

    def login(self, email: str) -> str:
        self.post("/login", {"email": email, "password": PASSWORD})
        return self.token()

    def token(self, path: str = "/") -> str:
        return TOKEN.search(self.http.get(self.base + path, timeout=60).text).group(1)  # type: ignore[union-attr]

    def post(self, path: str, form: dict[str, str], token: str = "") -> requests.Response:
        form = {**form, "csrf_token": token or self.token()}
        return self.http.post(self.base + path, data=form, allow_redirects=False, timeout=60)

    def twin(self) -> Client:
        """A second connection with the same cookies: the other half of a double click."""
        other = Client(self.base)
        other.http.cookies.update(self.http.cookies)
        return other


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.server_errors: list[str] = []
        self.refused = 0
        self.gifts: dict[int, dict[str, int]] = {}  # request -> {receipt or payment: fen}

    def answer(self, started: float, response: requests.Response) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            if response.status_code >= 500:
                self.server_errors.append(f"{response.status_code} {response.request.url}")


def post(who: Client, path: str, form: dict[str, str], token: str,
         answers: list[requests.Response], t: Tally) -> None:
    t0 = time.perf_counter()
    response = who.post(path, form, token)
    t.answer(t0, response)
    answers.append(response)


def give(base: str, requests_: list[int], emails: list[str], seconds: float, t: Tally) -> float:
    stop_at: list[float] = []
    start = threading.Barrier(len(emails) + 1,
                              action=lambda: stop_at.append(time.monotonic() + seconds))

    def donor(email: str, seed: int) -> None:
        import random

        rng, c = random.Random(seed), Client(base)
        token = c.login(email)
        twin = c.twin()
        start.wait()
        n = seed  # each donor starts elsewhere in the pattern, so short runs have every kind
        while time.monotonic() < stop_at[0]:
            n += 1
            rid = requests_[1] if n % 7 == 0 else requests_[0]
            amount = rng.randint(1, 50)
            form = {"amount": str(amount), "fallback": "0", "key": uuid.uuid4().hex,
                    "provider": "manual" if n % 5 == 0 else "sandbox"}
            clicks = [c, twin] if n % 10 == 0 else [c]
            answers: list[requests.Response] = []
            path = f"/crowdfunding/{rid}/donate"
            threads = [threading.Thread(target=post, args=(who, path, form, token, answers, t))
                       for who in clicks]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            places = {r.headers.get("Location", "") for r in answers if r.status_code == 302}
            accepted = {p for p in places if "/giving/receipts/" in p or "/payments/" in p}
            with t.lock:
                if accepted:  # a double click must land on one gift
                    for place in accepted:
                        t.gifts.setdefault(rid, {})[place] = amount * 100
                    if len(accepted) > 1:
                        t.server_errors.append(f"double click made two gifts: {accepted}")
                elif places:
                    t.refused += 1

    threads = [threading.Thread(target=donor, args=(e, i)) for i, e in enumerate(emails)]
    for th in threads:
        th.start()
    start.wait()
    began = stop_at[0] - seconds
    for th in threads:
        th.join()
    return time.monotonic() - began


def confirm_transfers(base: str, staff: list[str], t: Tally) -> int:
    """Both staff confirm every pending transfer at once (the double booking of issue 17)."""
    payments = sorted({int(p.rsplit("/", 1)[1]) for gifts in t.gifts.values() for p in gifts
                       if "/payments/" in p})
    desks = [Client(base) for _ in staff]
    tokens = [d.login(e) for d, e in zip(desks, staff, strict=True)]
    barrier = threading.Barrier(len(desks))

    def desk(i: int) -> None:
        barrier.wait()
        for pid in payments:
            t0 = time.perf_counter()
            t.answer(t0, desks[i].post(f"/payments/{pid}/confirm", {}, tokens[i]))

    threads = [threading.Thread(target=desk, args=(i,)) for i in range(len(desks))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return len(payments)


def reconcile(env: dict[str, str], request_ids: list[int]) -> dict[int, dict[str, object]]:
    os.environ.update(env)
    from sqlalchemy import func, select

    from pairing import create_app
    from pairing.extensions import db
    from pairing.giving.models import Donation, HelpRequest
    from pairing.ledger import services as ledger

    with create_app().app_context():
        out: dict[int, dict[str, object]] = {}
        for rid in request_ids:
            req = db.session.get(HelpRequest, rid)
            rows = db.session.execute(select(func.count(), func.coalesce(func.sum(
                Donation.amount_fen), 0)).where(Donation.request_id == rid,
                                                Donation.status == "confirmed")).one()
            out[rid] = {"raised": req.raised_fen, "pledged": req.pledged_fen,
                        "needed": req.amount_needed_fen, "rows": rows[0], "rows_sum": rows[1],
                        "balance": ledger.balance_of(req.ledger_code)}
        out[0] = {"problems": ledger.verify()}
        return out


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4",
         "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "pairing:create_app()"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database-url", default="", help="a PostgreSQL database of the "
                        "benchmark's own (default: a new schema in the test database)")
    args = parser.parse_args()
    schema = "" if args.database_url else f"bench_{uuid.uuid4().hex[:8]}"
    url = psycopg(args.database_url or PG)
    admin = sa.create_engine(psycopg(PG))
    if schema:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-donations-"))
    env = environment(url, tmp)
    server = None
    t = Tally()
    try:
        subprocess.run([sys.executable, "-m", "flask", "--app", "pairing", "db", "upgrade",
                        "heads"], cwd=ROOT, env=env, check=True, capture_output=True)
        request_ids, emails, staff = seed(env, args.clients)
        server, base = serve(env, args.workers)
        elapsed = give(base, request_ids, emails, args.seconds, t)
        transfers = confirm_transfers(base, staff, t)
        result = reconcile(env, request_ids)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if schema:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    lat = sorted(t.latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))] if lat else 0.0
    gifts = sum(len(g) for g in t.gifts.values())
    exact = True
    print(f"clients {args.clients}, gunicorn workers {args.workers}x4 threads, "
          f"{elapsed:.1f} s on PostgreSQL ({'schema ' + schema if schema else args.database_url})")
    print(f"gifts accepted: {gifts} ({gifts / elapsed:.1f} per second), {transfers} of them "
          f"bank transfers confirmed by two staff at once; refused (request full): "
          f"{t.refused}; requests sent: {len(lat)}")
    print(f"latency p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"5xx and double gifts: {len(t.server_errors)} {t.server_errors[:3]}")
    for rid in request_ids:
        seen = sum(t.gifts.get(rid, {}).values())
        r = result[rid]
        ok = (seen == r["raised"] == r["balance"] == r["rows_sum"] and r["pledged"] == 0
              and len(t.gifts.get(rid, {})) == r["rows"] and r["raised"] <= r["needed"])
        exact &= ok
        print(f"request {rid} (goal {r['needed']}): clients saw {seen} fen in "
              f"{len(t.gifts.get(rid, {}))} gifts; raised {r['raised']}, ledger balance "
              f"{r['balance']}, {r['rows']} confirmed rows summing {r['rows_sum']}, pledged "
              f"{r['pledged']}  ->  {'EXACT' if ok else 'MISMATCH'}")
    problems = result[0]["problems"]
    print(f"ledger verify: {'clean' if not problems else problems[:5]}")
    passed = exact and not problems and not t.server_errors
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
