"""The load part of benchmarks/pages.py: one gunicorn, N concurrent clients per page, a
bounded number of seconds each, all on this machine's loopback."""

from __future__ import annotations

import html
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _start(workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    log = open(ROOT / "instance" / "bench-gunicorn.log", "w+b")  # noqa: SIM115
    kind = ["-k", "gthread", "--threads", str(threads)] if threads > 1 else ["-k", "sync"]
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), *kind, "-w", str(workers),
         "-b", "127.0.0.1:0", "--timeout", "120", "--chdir", str(ROOT / "benchmarks"),
         "load_app:app"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=os.environ | {"PYTHONPATH": str(ROOT)}, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log.seek(0)
        found = re.search(rb"Listening at: http://127\.0\.0\.1:(\d+)", log.read())
        if found:
            url = f"http://127.0.0.1:{found.group(1).decode()}"
            try:
                if requests.get(url + "/__hello", timeout=5).status_code == 200:
                    return process, url
            except requests.RequestException:
                pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start: see instance/bench-gunicorn.log")


def _hammer(url: str, clients: int, seconds: float) -> tuple[list[float], int, float]:
    """Latencies (ms) of successful answers, the number of failures, wall seconds."""
    times: list[float] = []
    failures = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client() -> None:
        session = requests.Session()
        session.cookies.set("lang", "zh")
        while time.monotonic() < end:
            t0 = time.perf_counter()
            try:
                ok = session.get(url, timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                if ok:
                    times.append(elapsed)
                else:
                    failures[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failures[0], time.monotonic() - started


NEXT_HTML = re.compile(r'<a href="([^"]+)" rel="next"')


def next_url(path: str, body: str, link_header: str) -> str | None:
    """The page after this one: the API's Link header, an HTML list's rel="next" link."""
    found = re.match(r"<([^>]+)>", link_header or "")
    if found:
        return found.group(1)
    found = NEXT_HTML.search(body)
    return html.unescape(found.group(1)) if found else None


def _deep(base: str, page: str) -> str:
    """The address of "path@N": page N of a list (HTML or API), reached by following its
    next links (each page costs what the first costs, so the walk is quick)."""
    path, _at, depth = page.partition("@")
    url = base + path
    for _ in range(int(depth) - 1 if depth else 0):
        response = requests.get(url, timeout=120)
        found = next_url(path, response.text, response.headers.get("Link", ""))
        if not found:
            raise RuntimeError(f"{path} has fewer than {depth} pages")
        url = found if found.startswith("http") else base + found
    return url


def run_load(pages: list[str], clients: int, seconds: float, workers: int, threads: int,
             percentile: Callable[[list[float], float], float]) -> int:
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"(1- and 5-minute load average), {os.cpu_count()} cores")
    process, base = _start(workers, threads)
    try:
        urls = {path: _deep(base, path) for path in pages}
        for path in pages:  # warm every worker's caches first
            requests.get(urls[path], timeout=120)
        kind = f"gthread x{workers} ({threads} threads each)" if threads > 1 else f"sync x{workers}"
        print(f"{clients} clients, {seconds:.0f} s per page, gunicorn {kind}, "
              f"Python {sys.version.split()[0]}")
        print(f"{'page':30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
              f"{'of hello':>9} {'errors':>7}")
        baseline = 0.0
        for path in pages:
            times, failures, wall = _hammer(urls[path], clients, seconds)
            rate = len(times) / wall
            baseline = baseline or rate
            if not times:
                print(f"{path:30} no successful answer ({failures} errors)")
                continue
            print(f"{path:30} {rate:8.1f} {statistics.median(times):8.1f} "
                  f"{percentile(times, 95):8.1f} {percentile(times, 99):8.1f} "
                  f"{rate / baseline:8.1%} {failures:7d}")
        log = (ROOT / "instance" / "bench-gunicorn.log").read_text(errors="replace")
        crashes = len(re.findall(r"SIGSEGV|was sent|exited with code", log))
        print(f"worker crashes: {crashes}")
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0
