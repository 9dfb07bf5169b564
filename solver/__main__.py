"""Command line: python -m solver synth|solve|check (see solver/README.md)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from . import check, greedy, solve
from .io import load_instance, load_solution, save_instance, save_solution
from .synth import synth
from .types import Options


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m solver")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("synth", help="write a synthetic national instance (.npz)")
    s.add_argument("--offers", type=int, required=True, help="about this many offers (enterprises have 1-3)")
    s.add_argument("--needs", type=int, required=True, help="about this many needs (villages have 1-4)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--limits", choices=("budget", "independent"), default="budget",
                   help="village limits from each offer's budget (default) or drawn independently (stress)")
    s.add_argument("-o", "--output", required=True,
                   help="the file written, exactly this name (no .npz is added: solve and check read it back as given)")
    v = sub.add_parser("solve", help="solve an instance and print its statistics")
    v.add_argument("file")
    v.add_argument("-o", "--output", help="write the solution to exactly this file (no .npz is added)")
    v.add_argument("-k", type=int, default=30)
    v.add_argument("--time-limit", type=float)
    v.add_argument("--threads", type=int, default=2)
    v.add_argument("--consolidate", type=int, default=Options.consolidate,
                   help="consolidating re-solves of each flow before the village-limit repair (0: none)")
    v.add_argument("--exact", choices=("auto", "on", "off"), default="auto",
                   help=f"the exact MILP stage: auto runs it when offers + needs <= {Options.exact_rows}")
    v.add_argument("--exact-seconds", type=float, default=Options.exact_seconds, help="the exact stage's time")
    v.add_argument("--greedy", action="store_true", help="the greedy baseline instead")
    c = sub.add_parser("check", help="validate a solution against its instance")
    c.add_argument("file")
    c.add_argument("solution")
    a = ap.parse_args(argv)
    if a.cmd == "synth":
        t = time.perf_counter()
        inst = synth(max(1, round(a.offers / 1.75)), max(1, round(a.needs / 2.25)), a.seed, limits=a.limits)
        save_instance(inst, a.output)
        print(f"{len(inst.offers)} offers, {len(inst.needs)} needs in {time.perf_counter() - t:.1f} s -> {a.output}")
        return 0
    if a.cmd == "solve":
        inst = load_instance(a.file)
        opt = Options(k=a.k, time_limit_s=a.time_limit, threads=a.threads, consolidate=a.consolidate,
                      exact={"auto": None, "on": True, "off": False}[a.exact], exact_seconds=a.exact_seconds)
        sol = (greedy if a.greedy else solve)(inst, opt)
        for key, val in dataclasses.asdict(sol.stats).items():
            print(f"{key}: {json.dumps(val)}")
        print(f"flow_gap: {json.dumps(sol.stats.flow_gap)}")
        print(f"optimal: {json.dumps(sol.stats.optimal)}")
        if a.output:
            save_solution(sol, a.output)
        return 0
    errors = check(load_instance(a.file), load_solution(a.solution))
    for e in errors[:50]:
        print(e)
    print("ok" if not errors else f"{len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
