"""Server time of the public marketplace pages at national scale.

    DATABASE_URL=postgresql://... python -m flask --app pairing demo load --scale national
    DATABASE_URL=postgresql://... python benchmarks/pages.py [--rounds 30]
    DATABASE_URL=postgresql://... python benchmarks/pages.py --load 8 [--seconds 10]
    DATABASE_URL=postgresql://... python benchmarks/pages.py --staff [--rounds 30]

Without --load, requests go through the whole Flask stack in-process (routing, queries,
templates), so the figures are server time without the network: p50 and p95 per page.
With --load N, one gunicorn (benchmarks/load_app.py; sync workers, or gthread ones with
--threads T) serves the site and a bare "hello" route; each page gets N concurrent clients
for --seconds, the hello baseline first, in the same run: req/s, p50/p95/p99 and req/s as
a share of the baseline's, then the workers that crashed.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from pairing import create_app  # noqa: E402
from pairing.enterprises.models import Enterprise  # noqa: E402
from pairing.extensions import db  # noqa: E402
from pairing.places.models import Village  # noqa: E402

PAGES = [
    ("offers", "/offers"),
    ("offers page 50 (by cursor)", "/offers@50"),
    ("offers kind+province", "/offers?kind=procurement&province=33"),
    ("offers mechanism+sort", "/offers?mechanism=employment&sort=quantity"),
    ("offers search 1 char", "/offers?q=茶"),
    ("offers search 2 chars", "/offers?q=茶叶"),
    ("offers search 4 chars", "/offers?q=茶叶收购"),
    ("needs", "/needs"),
    ("needs county+kind", "/needs?county={county}&kind=jobs"),
    ("needs province+priority", "/needs?province=52&sort=priority"),
    ("needs search", "/needs?q=猕猴桃销路"),
    ("needs search 2 chars", "/needs?q=核桃&province=62"),
    ("villages", "/villages"),
    ("villages province+poor", "/villages?province=51&sort=poor"),
    ("villages search name", "/villages?q={vname}"),
    ("villages kind", "/villages?kind=infrastructure&province=53"),
    ("enterprises", "/enterprises"),
    ("enterprises province+sector", "/enterprises?province=44&sector=C&sort=employees"),
    ("enterprises search", "/enterprises?q=科技"),
    ("village page", "/villages/{village}"),
    ("enterprise page", "/enterprises/{enterprise}"),
    ("needs page 500 (by cursor)", "/needs@500"),
    ("dashboard", "/dashboard"),
    ("dashboard, a province", "/dashboard/province/52"),
    ("dashboard, a county", "/dashboard/county/{county}"),
    ("home", "/"),
    ("crowdfunding", "/crowdfunding"),
    ("shop", "/shop"),
    ("API offers", "/api/v1/offers"),
    ("API offers page 500 (cursor)", "/api/v1/offers@500"),
    ("API needs, a province", "/api/v1/needs?province=52"),
    ("API villages by name", "/api/v1/villages?sort=name"),
    ("API figures", "/api/v1/figures"),
]


# "path@N": page N of an API list, reached by following its Link header (the API serves
# `page=N` only up to 10: deeper pages are read by cursor).
LOAD_PAGES = ["/__hello", "/static/css/site.css", "/", "/offers", "/offers@500",
              "/needs?q=茶叶", "/needs?q=茶", "/villages?province=52", "/enterprises",
              "/crowdfunding", "/shop", "/api/v1/offers@500", "/api/v1/needs@500",
              "/dashboard", "/api/v1/figures"]


def _deep(client, page: str) -> str:  # noqa: ANN001 - Flask's test client
    """Page N of "path@N", by following the list's next links from its first page."""
    from load import next_url  # benchmarks/load.py

    path, _at, depth = page.partition("@")
    url = path
    for _ in range(int(depth) - 1):
        response = client.get(url)
        found = next_url(path, response.get_data(as_text=True), response.headers.get("Link", ""))
        if not found:
            raise RuntimeError(f"{path} has fewer than {depth} pages")
        url = found.removeprefix("http://localhost")
    return url


STAFF = [("bench.verifier.cn@example.org", "verifier", "CN"),
         ("bench.verifier.52@example.org", "verifier", "52")]
STAFF_PAGES = ["/verification", "/"]


def staff_pages(rounds: int) -> int:
    """The pages of a national and a provincial verifier (made in the benchmark's database
    if missing), logged in through the log-in form like anyone."""
    from pairing.accounts import services as accounts
    from pairing.accounts.models import User

    password = "benchmark password 30"
    app = create_app({"TESTING": False, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        for email, role, jurisdiction in STAFF:
            if db.session.scalar(select(User).where(User.email == email)) is None:
                accounts.create_user(email=email, password=password, display_name="基准核查员",
                                     role=role, jurisdiction=jurisdiction)
        db.session.commit()
    like_a_worker()
    print(f"{'staff page':40} {'p50 ms':>8} {'p95 ms':>8}")
    for email, _role, jurisdiction in STAFF:
        client = app.test_client()
        client.set_cookie("lang", "zh")
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": email, "password": password, "csrf_token": token})
        for path in STAFF_PAGES:
            times = []
            for i in range(rounds + 3):
                t0 = time.perf_counter()
                response = client.get(path)
                assert response.status_code == 200, (email, path, response.status_code)
                if i >= 3:
                    times.append((time.perf_counter() - t0) * 1000)
            label = f"{path} (verifier, {jurisdiction})"
            print(f"{label:40} {statistics.median(times):8.1f} {percentile(times, 95):8.1f}")
    return 0


def like_a_worker() -> None:
    """What a gunicorn worker does once the application is loaded (gunicorn.conf.py's
    post_worker_init): the application's objects frozen out of the cyclic collector."""
    gc.collect()
    gc.freeze()


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--load", type=int, default=0, help="concurrent clients per page")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--staff", action="store_true",
                        help="the verifier's queue and home page, national and a province's")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker: above 1, gthread workers (CPython 3.12+)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("set DATABASE_URL to the PostgreSQL database loaded with --scale national")
        return 2
    if args.load:
        from load import run_load  # benchmarks/load.py

        return run_load(LOAD_PAGES, args.load, args.seconds, args.workers, args.threads,
                        percentile)
    if args.staff:
        return staff_pages(args.rounds)
    app = create_app({"TESTING": False, "RATELIMIT_ENABLED": False})
    rng = random.Random(1)
    with app.app_context():
        villages = db.session.execute(select(Village.id, Village.county_code, Village.name)
                                      .where(Village.status == "verified")
                                      .order_by(Village.id).limit(5000)).all()
        enterprises = db.session.scalars(select(Enterprise.id).where(
            Enterprise.status == "verified").order_by(Enterprise.id).limit(5000)).all()
        print(f"{len(villages)} sample villages, {len(enterprises)} sample enterprises")
    like_a_worker()
    client = app.test_client()
    client.set_cookie("lang", "zh")
    all_times: list[float] = []
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8}")
    for label, pattern in PAGES:
        times = []
        deep = _deep(client, pattern) if "@" in pattern else None
        for i in range(args.rounds + 3):
            vid, county, vname = rng.choice(villages)
            url = deep or pattern.format(village=vid, county=county, vname=vname,
                                         enterprise=rng.choice(enterprises))
            t0 = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if i >= 3:  # the first requests warm caches
                times.append(elapsed)
        all_times += times
        print(f"{label:32} {statistics.median(times):8.1f} {percentile(times, 95):8.1f}")
    print(f"{'all pages':32} {statistics.median(all_times):8.1f} {percentile(all_times, 95):8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
