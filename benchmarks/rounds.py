"""A pairing round through the site's services, stage by stage, beside the solver alone.

    createdb -h 127.0.0.1 -U postgres rounds_bench        # a database of its own
    export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/rounds_bench
    python benchmarks/rounds.py --load                      # migrate, demo + national data
    python benchmarks/rounds.py [--province 52] [--export national.npz]
    DATABASE_URL=sqlite:////tmp/rounds_bench.db python benchmarks/rounds.py --load

It drives what `flask rounds run` drives (services.create_round, start_round, jobs.run)
and prints, for each stage the round records (and for the write path's steps), its wall
time, its SQL statements and the peak resident memory of the process; then the solver
alone (`python -m solver solve`) on the very instance the round built, in a fresh process.
Pending proposals of earlier runs are deleted first, so that every run solves the same
instance (this is the benchmark's own database). --export keeps that instance as .npz.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, event, select  # noqa: E402

from pairing import create_app  # noqa: E402
from pairing.accounts.models import Role, User  # noqa: E402
from pairing.extensions import db  # noqa: E402
from pairing.matching import jobs, services, to_solver  # noqa: E402
from pairing.matching.models import Notification, Proposal, Round  # noqa: E402


def _cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the solver's workers): on a
    shared machine wall times vary twofold, CPU time much less."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Meter:
    """Wall time, statements and peak RSS between marks; a thread samples RSS."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, int, float]] = []
        self.queries = 0
        self._stage, self._t, self._c, self._q, self._peak = "", 0.0, 0.0, 0, 0.0
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self._peak = max(self._peak, _rss_mb())

    def count(self, *_args: object) -> None:
        self.queries += 1

    def mark(self, stage: str) -> None:
        now, cpu, rss = time.perf_counter(), _cpu_s(), _rss_mb()
        if self._stage:
            self.rows.append((self._stage, now - self._t, cpu - self._c, self.queries - self._q,
                              max(self._peak, rss)))
        self._stage, self._t, self._c, self._q, self._peak = stage, now, cpu, self.queries, rss

    def close(self) -> None:
        self.mark("")
        self._stop.set()


def _wrap(module: object, name: str, steps: list[tuple[str, float, int]], meter: Meter) -> None:
    """Time each call of module.name (a step inside a stage), if the code has it."""
    real = getattr(module, name, None)
    if real is None:
        return

    def timed(*args: object, **kwargs: object) -> object:
        t, q = time.perf_counter(), meter.queries
        try:
            return real(*args, **kwargs)
        finally:
            steps.append((f"{module.__name__.rsplit('.', 1)[-1]}.{name}",  # type: ignore[attr-defined]
                          time.perf_counter() - t, meter.queries - q))

    setattr(module, name, timed)


def load(share: float = 1.0) -> None:
    """Migrate, then the demo (its coordinator runs the round) and the national data, or
    `share` of it (the same generator with fewer villages and enterprises)."""
    from flask_migrate import upgrade

    from pairing import demo
    from pairing.needs import national

    upgrade(revision="heads")
    demo.load(echo=print)
    national.load_national(echo=print, villages=round(national.VILLAGES * share),
                           enterprises=round(national.ENTERPRISES * share))


def reset() -> None:
    """Earlier runs' pending proposals would hold capacity: remove them (own database)."""
    db.session.execute(delete(Notification).where(Notification.kind == "proposals.new"))
    db.session.execute(delete(Proposal).where(Proposal.status == "pending"))
    db.session.execute(delete(Round).where(Round.status.in_(("running", "failed", "draft"))))
    db.session.commit()


def round_once(province: str | None, keep: Callable[[object], None]) -> int:
    coordinator = db.session.scalar(select(User).where(
        User.role == Role.COORDINATOR, User.active, User.jurisdiction == "CN").order_by(User.id))
    if coordinator is None:
        raise SystemExit("no nationwide coordinator: run with --load first")
    meter, steps = Meter(), []
    event.listen(db.engine, "before_cursor_execute", meter.count)
    real_prepare = to_solver.prepare

    def prepare(*args: object, **kwargs: object) -> object:
        prep = real_prepare(*args, **kwargs)
        keep(prep.instance)  # type: ignore[attr-defined]
        return prep

    to_solver.prepare = prepare  # type: ignore[assignment]
    # The round's module since issue 26 (execute.py), services.py before.
    runner = importlib.import_module("pairing.matching.execute") \
        if importlib.util.find_spec("pairing.matching.execute") else services
    for module, name in ((to_solver, "rows"), (to_solver, "figures"),
                         (runner, "_notify_new"), (runner, "_insert_proposals")):
        _wrap(module, name, steps, meter)
    real_execute = runner.execute_round

    def execute(session: object, rnd: object, beat: Callable[[str], None]) -> object:
        def marked(stage: str) -> None:
            meter.mark(stage)
            beat(stage)
        return real_execute(session, rnd, marked)

    runner.execute_round = execute  # type: ignore[attr-defined]
    t0, c0 = time.perf_counter(), _cpu_s()
    meter.mark("start")
    rnd = services.create_round(coordinator, province, {})
    services.start_round(coordinator, rnd)
    round_id = rnd.id
    db.session.commit()
    jobs.run(round_id)
    meter.close()
    total, cpu = time.perf_counter() - t0, _cpu_s() - c0
    event.remove(db.engine, "before_cursor_execute", meter.count)
    rnd = db.session.get(Round, round_id)
    f = rnd.figures or {}
    print(f"round {round_id} {rnd.status} {rnd.error}: {f.get('offers')} offers, {f.get('needs')} "
          f"needs, {f.get('proposed')} proposals")
    print(f"{'stage':34} {'wall s':>9} {'CPU s':>9} {'queries':>9} {'peak MB':>9}")
    for stage, secs, cpu_s, queries, peak in meter.rows:
        print(f"{stage:34} {secs:9.1f} {cpu_s:9.1f} {queries:9,} {peak:9.0f}")
    for name, secs, queries in steps:
        print(f"  step {name:27} {secs:9.1f} {'':9} {queries:9,}")
    print(f"{'round end to end':34} {total:9.1f} {cpu:9.1f} {meter.queries:9,} "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:9.0f}")
    if f:
        s = f["solver"]
        print(f"solver in the round: objective {s['objective']:,}, gap {s['gap']:.4%}, "
              f"stages {s['seconds']}")
    return total, cpu


def solver_alone(path: str) -> tuple[float, float]:
    """`python -m solver solve` in a fresh process: its wall time, peak and gap."""
    # The child reports its own peak (VmHWM, its worker processes apart): a forked
    # child's ru_maxrss starts from this big process's.
    code = ("import resource, runpy, sys\n"
            f"sys.argv = ['solver', 'solve', {path!r}, '--threads', '2']\n"
            "try:\n    runpy.run_module('solver', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "print('peak_mb: %d' % (int(hwm[0].split()[1]) // 1024))\n")
    t, c = time.perf_counter(), _cpu_s()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    secs, cpu = time.perf_counter() - t, _cpu_s() - c
    stats = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    print(f"solver alone on the same instance: {secs:.1f} s wall, {cpu:.1f} CPU s (loading the .npz "
          f"included), "
          f"peak {stats.get('peak_mb')} MB; objective {stats.get('objective')}, gap {float(stats['gap']):.4%} "
          f"(flow gap {float(stats['flow_gap']):.4%}); stages {stats.get('seconds')}")
    return secs, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help="migrate and load demo + national data")
    ap.add_argument("--share", type=float, default=1.0,
                    help="with --load: this share of the national data (e.g. 0.1)")
    ap.add_argument("--province", default=None, help="a province round instead of nationwide")
    ap.add_argument("--export", default=None, help="keep the round's solver instance (.npz)")
    ap.add_argument("--no-solver", action="store_true", help="skip the solver alone")
    a = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.endswith("/test"):
        print("set DATABASE_URL to a database of the benchmark's own (not the tests')")
        return 2
    app = create_app({"TESTING": False, "RATELIMIT_ENABLED": False, "MATCHING_INLINE_MAX": 10**9})
    kept: list[object] = []
    with app.app_context():
        if a.load:
            t = time.perf_counter()
            load(a.share)
            print(f"loaded in {time.perf_counter() - t:.0f} s")
        reset()
        total, cpu = round_once(a.province, kept.append)
    if not kept:
        return 1
    from solver.io import save_instance

    path = a.export or tempfile.mkstemp(suffix=".npz")[1]
    save_instance(kept[0], path)  # type: ignore[arg-type]
    kept.clear()
    if not a.no_solver:
        alone, alone_cpu = solver_alone(path)
        print(f"round / solver alone: {total / alone:.2f}x wall, {cpu / alone_cpu:.2f}x CPU")
    if not a.export:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
