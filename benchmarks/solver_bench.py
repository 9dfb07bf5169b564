"""Solver benchmark. By default, in one run: 100 random county-size rounds (the share proven
optimal within 2 s), a province round exact vs the flow heuristic (time, objective), and
the national round (time, memory, objective, proven bound, gap), then a summary side by side.
--more adds the older sections: the province five times against HiGHS' LP, national with a
time limit and with independent limits against greedy, candidates alone and the bound
flows on LEMON against OR-Tools.

    .venv/bin/python benchmarks/solver_bench.py [--seed S] [--scale F] [--more]
    .venv/bin/python benchmarks/solver_bench.py --site national.npz

--scale shrinks the province and national instances (e.g. 0.1 for a quick look); the
figures in solver/README.md are from --scale 1 on a 2-core machine.
--site solves the instance a round built from the site's data (`benchmarks/rounds.py
--export national.npz` after `flask demo load --scale national`) beside a synthetic one of
its size, compares their shapes, and solves two variants of it that each take one of
synth's traits.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor

import highspy
import numpy as np

from solver import Options, Weights, candidates, cardinality, flow, greedy, reference, solve
from solver.metrics import StageMeter
from solver.score import poverty_points
from solver.solve import prepare
from solver.synth import synth


def _stages(s) -> str:
    return ", ".join(f"{k} {s.seconds[k]:.1f} s / {s.peak_mb[k]:.0f} MB" for k in s.seconds)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the solver's workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _all_covered(st) -> float:
    return float(np.dot(st.covered_by_decile, st.needs_by_decile) / sum(st.needs_by_decile))


def _peak(st) -> float:
    return max(st.peak_mb.values(), default=0.0)


def counties(seed: int, rounds: int, villages: int, seconds: float) -> str:
    """`rounds` random rounds of `villages` villages in one province, each solved with the
    exact stage within `seconds` in all: how many were proven optimal in that time."""
    proven, walls, gaps = 0, [], []
    for r in range(rounds):
        inst = synth(round(villages * 110 / 130), villages, seed * 1000 + r, province=52)
        t = time.perf_counter()
        st = solve(inst, Options(time_limit_s=seconds, exact=True, exact_seconds=seconds)).stats
        walls.append(time.perf_counter() - t)
        proven += st.optimal and walls[-1] <= seconds
        gaps.append(st.gap)
    line = (f"{rounds} county-size rounds ({villages} villages, about {len(inst.needs)} needs and "
            f"{len(inst.offers)} offers): {proven / rounds:.0%} proven optimal within {seconds:g} s; wall median "
            f"{np.median(walls):.2f} s, max {max(walls):.2f} s; gap of the others median "
            f"{np.median([g for g in gaps if g > 0] or [0]):.4%}, max {max(gaps):.4%}")
    print("== 1.", line, flush=True)
    return line


def province_exact(seed: int, scale: float, seconds: float) -> list[str]:
    """A province round by the flow heuristic alone and with the exact stage."""
    villages = round(10_000 * scale)
    inst = synth(round(villages * 110 / 130), villages, seed, province=52)
    print(f"== 2. a province (Guizhou): {villages} villages, {len(inst.needs)} needs, {len(inst.offers)} offers; "
          f"the exact stage gets {seconds:g} s", flush=True)
    rows = []
    for name, opt in (("flow heuristic", Options(exact=False)), ("exact", Options(exact=True, exact_seconds=seconds))):
        t = time.perf_counter()
        st = solve(inst, opt).stats
        wall = time.perf_counter() - t
        rows.append(f"province {name:>14}: {wall:6.2f} s  objective {st.objective:,}  bound {st.bound:,}  "
                    f"gap {st.gap:.4%}{'  proven optimal' if st.optimal else ''}")
        print("  " + rows[-1], flush=True)
    return rows


def national_summary(seed: int, scale: float) -> str:
    inst = synth(round(110_000 * scale), round(130_000 * scale), seed)
    t = time.perf_counter()
    st = solve(inst, Options(k=30)).stats
    wall = time.perf_counter() - t
    line = (f"national: {wall:.1f} s, peak {_peak(st):,.0f} MB, objective {st.objective:,}, proven bound "
            f"{st.bound:,}, gap {st.gap:.4%} (flow bound {st.flow_bound:,}, gap to it {st.flow_gap:.4%}); "
            f"engine {st.engine}")
    print("== 3.", line, flush=True)
    return line


def national(seed: int, scale: float, limit: float | None, limits: str, baseline: bool, passes: int) -> None:
    inst = synth(round(110_000 * scale), round(130_000 * scale), seed, limits=limits)
    lim = inst.offers.max_villages
    print(f"== 1. national, village limits '{limits}' ({np.mean(lim <= 10):.0%} of offers serve at most 10): "
          f"{len(inst.offers)} offers, {len(inst.needs)} needs, K = 30, time limit {limit}, "
          f"{passes} consolidating passes")
    t, c = time.perf_counter(), _cpu()
    sol = solve(inst, Options(k=30, time_limit_s=limit, consolidate=passes))
    st = sol.stats
    print(f"solver: {time.perf_counter() - t:.1f} s total ({_cpu() - c:.1f} CPU s); {_stages(st)}")
    print(f"  objective {st.objective:,}  flow bound {st.flow_bound:,}  gap to it {st.flow_gap:.4%}  arcs {st.arcs:,}"
          f"  re-solves {st.rounds}  time limit hit: {st.time_limit_hit}")
    print(f"  Lagrangian bound {st.bound:,} ({(st.flow_bound - st.bound) / st.flow_bound:.4%} below the flow's), "
          f"gap to it {st.gap:.4%}")
    if not baseline:
        print(f"  poorest decile covered {st.covered_by_decile[0]:.2%}, all needs {_all_covered(st):.2%}")
        return
    t, c = time.perf_counter(), _cpu()
    g = greedy(inst, Options(k=30))
    print(f"greedy: {time.perf_counter() - t:.1f} s total ({_cpu() - c:.1f} CPU s); {_stages(g.stats)}")
    print(f"  objective {g.stats.objective:,} ({g.stats.objective / st.objective:.2%} of the solver's)")
    print(f"  poorest decile covered: solver {st.covered_by_decile[0]:.2%}, greedy {g.stats.covered_by_decile[0]:.2%}")
    print(f"  all needs covered:      solver {_all_covered(st):.2%}, greedy {_all_covered(g.stats):.2%}")


def _highs_bound(inst, w: Weights, opt: Options) -> tuple[float, float]:
    """The solver's flow model (village limits relaxed, offers capped at what they can
    reach) as an LP for HiGHS: (optimum, seconds)."""
    prep = prepare(inst, w)
    arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded)
    oi = np.concatenate([a.oi for a in arcs])
    ni = np.concatenate([a.ni for a in arcs])
    unit = np.concatenate([a.score for a in arcs]) + poverty_points(inst.needs, w)[ni]
    no, nn, na = len(inst.offers), len(inst.needs), oi.size
    # Columns: arcs x (rows: offer capacity, need demand, -slice), then slices s (row +1).
    start = np.r_[np.arange(0, 3 * na, 3), 3 * na + np.arange(nn + 1)]
    index = np.c_[oi, no + ni, no + nn + ni].ravel()
    value = np.tile([1.0, 1.0, -1.0], na)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = na + nn, no + 2 * nn
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.r_[unit, prep.bonus].astype(float)
    lp.col_lower_ = np.zeros(na + nn)
    lp.col_upper_ = np.r_[np.minimum(np.minimum(prep.available, cardinality.reach(oi, ni, prep.limits))[oi],
                                     prep.demand[ni]), prep.slice_left].astype(float)
    lp.row_lower_ = np.full(no + 2 * nn, -highspy.kHighsInf)
    cap = np.minimum(prep.available, cardinality.reach(oi, ni, prep.limits))  # the solver's capped offers
    lp.row_upper_ = np.r_[cap, prep.demand, np.zeros(nn)].astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = start.astype(np.int32)
    lp.a_matrix_.index_ = np.r_[index, no + nn + np.arange(nn)].astype(np.int32)
    lp.a_matrix_.value_ = np.r_[value, np.ones(nn)]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    return h.getInfo().objective_function_value, time.perf_counter() - t


def province(seed: int, scale: float, passes: int) -> None:
    villages = round(10_000 * scale)
    inst = synth(round(villages * 110 / 130), villages, seed, province=52)
    print(f"== 2. a province (Guizhou): {villages} villages, {len(inst.needs)} needs, {len(inst.offers)} offers")
    w, opt = Weights(), Options(k=30, consolidate=passes)
    times = []
    for _ in range(5):  # single runs vary by 10-20% on these machines
        t, c = time.perf_counter(), _cpu()
        sol = solve(inst, opt, w)
        times.append(time.perf_counter() - t)
    total = float(np.median(times))
    st = sol.stats
    print(f"solver, five runs: {', '.join(f'{x:.2f}' for x in times)} s (median {total:.2f} s); last run "
          f"{_cpu() - c:.2f} CPU s, {_stages(st)}; gap {st.flow_gap:.4%} to the flow bound, {st.gap:.4%} to the "
          f"Lagrangian one")
    lp, lp_s = _highs_bound(inst, w, opt)
    flow_s = st.seconds["flow"]
    print(f"HiGHS LP of the same flow model: optimum {lp:,.0f} vs flow optimum (bound) {st.flow_bound:,}: "
          f"{'same' if abs(lp - st.flow_bound) < 0.5 else 'DIFFERENT'}")
    print(f"  HiGHS {lp_s:.2f} s vs min-cost flow {flow_s:.2f} s: {lp_s / max(flow_s, 1e-9):.0f}x "
          f"({lp_s / total:.1f}x the whole solve)")


def candidates_alone(seed: int, scale: float) -> None:
    inst = synth(round(110_000 * scale), round(130_000 * scale), seed)
    w, opt = Weights(), Options(k=30)
    prep = prepare(inst, w)
    meter = StageMeter()
    c = _cpu()
    with meter.stage("candidates"), ThreadPoolExecutor(2) as pool:
        arcs = candidates.build_all(inst, w, opt, prep.available, prep.demand, prep.excluded, pool)
    print(f"\n== 3. candidates alone (two threads), national: {meter.seconds['candidates']:.1f} s "
          f"({_cpu() - c:.1f} CPU s), "
          f"peak {meter.peak_mb['candidates']:.0f} MB; {sum(a.oi.size for a in arcs):,} arcs, "
          f"{sum(a.scored for a in arcs):,} scored (row, offer) pairs, {sum(a.groups for a in arcs):,} groups")
    engines(inst, w, prep, arcs)


def engines(inst, w, prep, arcs) -> None:
    """Each kind's bound flow on LEMON's network simplex (the solver's) and on OR-Tools'
    cost scaling, one after the other on one core: the same optimum, and their times."""
    pov = poverty_points(inst.needs, w).astype(np.int64)
    lim, secs, same = prep.limits, [0.0, 0.0], True
    for a in sorted((a for a in arcs if a.oi.size), key=lambda a: -a.oi.size):
        unit = a.score + pov[a.ni]
        avail = np.minimum(lim.available, cardinality.reach(a.oi, a.ni, lim))
        t = time.perf_counter()
        cost = flow.build(a.oi, a.ni, unit, avail, lim.demand, lim.slice_left, lim.bonus)[0].solve()[1]
        secs[0] += time.perf_counter() - t
        t = time.perf_counter()
        cap = np.minimum(avail[a.oi], lim.demand[a.ni])
        same &= cost == reference.optimal_cost(a.oi, a.ni, unit, np.zeros_like(cap), cap, avail, lim.demand,
                                                lim.slice_left, lim.bonus)
        secs[1] += time.perf_counter() - t
    print(f"   the bound flows of all kinds, one core: LEMON network simplex {secs[0]:.1f} s, OR-Tools "
          f"SimpleMinCostFlow {secs[1]:.1f} s ({secs[1] / secs[0]:.1f}x); optima {'the same' if same else 'DIFFERENT'}")


def _shape(name: str, inst) -> None:
    """What tells the site's data from synth's: supply against demand per unit, sizes,
    and how village limits compare with what an offer would need to give out its quantity."""
    from solver.taxonomy import KIND_NAMES, KINDS

    o, n = inst.offers, inst.needs
    people = np.array([KINDS[k][1] == "people" for k in KIND_NAMES])
    for unit, mask in (("yuan", ~people), ("people", people)):
        om, nm = mask[o.kind], mask[n.kind]
        q, d = o.quantity[om], n.quantity[nm]
        # Villages an offer would need at the median need to give out all it has.
        wanted = np.ceil(q / max(1, np.median(d)))
        print(f"  {name} {unit:6}: {om.sum():,} offers, {nm.sum():,} needs; supply / demand "
              f"{q.sum() / max(1, d.sum()):.2f}; median offer {np.median(q):,.0f}, need {np.median(d):,.0f}; "
              f"limit below what the median need asks of it for {np.mean(o.max_villages[om] < wanted):.0%} "
              f"of offers; corr(limit, quantity) {np.corrcoef(o.max_villages[om], np.log(q + 1))[0, 1]:.2f}")


def _solve_line(name: str, inst, passes: int, w: Weights | None = None) -> None:
    t = time.perf_counter()
    st = solve(inst, Options(k=30, consolidate=passes), w or Weights()).stats
    print(f"  {name}: {time.perf_counter() - t:.1f} s; gap {st.flow_gap:.4%} to the flow bound, {st.gap:.4%} "
          f"to the Lagrangian one; repair {st.seconds.get('repair', 0):.1f} s, re-solves {st.rounds}")


def site(path: str, seed: int, passes: int) -> None:
    """The site's national instance beside synth's, and what-if variants of it."""
    import dataclasses

    from solver.io import load_instance
    from solver.taxonomy import KIND_NAMES, KINDS

    inst = load_instance(path)
    provinces = np.unique(inst.needs.province)  # a province round: synth's villages there too
    syn = synth(round(len(inst.offers) / 1.75), round(len(inst.needs) / 2.25), seed,
                province=int(provinces[0]) if provinces.size == 1 else None)
    print(f"== the site's instance ({path}): {len(inst.offers):,} offers, {len(inst.needs):,} needs; "
          f"synth of its size: {len(syn.offers):,} offers, {len(syn.needs):,} needs")
    _shape("site ", inst)
    _shape("synth", syn)
    _solve_line("site's instance", inst, passes)
    _solve_line("synth of its size", syn, passes)
    # Variant 1: the site's offers with synth's budget limits (N = ceil(quantity / a
    # village's share around the needs' median)), all else the site's.
    rng = np.random.default_rng(seed)
    people = np.array([KINDS[k][1] == "people" for k in KIND_NAMES])
    o = inst.offers
    med = np.where(people[o.kind], 8, 80_000)
    share = np.maximum(1, np.rint(med * rng.lognormal(0.0, 0.5, len(o))))
    budget = dataclasses.replace(o, max_villages=np.clip(-(-o.quantity // share), 1, 50).astype(np.int64))
    _solve_line("site's instance with synth's budget limits", dataclasses.replace(inst, offers=budget), passes)
    # Variant 2: the site's needs shrunk to synth's supply / demand ratio per unit.
    n = inst.needs
    ratio = {}
    for unit, mask in (("yuan", ~people), ("people", people)):
        ratio[unit] = (syn.offers.quantity[mask[syn.offers.kind]].sum() / syn.needs.quantity[mask[syn.needs.kind]].sum()) \
            / (o.quantity[mask[o.kind]].sum() / n.quantity[mask[n.kind]].sum())
    scale = np.where(people[n.kind], 1 / ratio["people"], 1 / ratio["yuan"])
    scale[np.isin(n.id, inst.locked[:, 1])] = 1.0  # a locked pair keeps its need whole
    small = dataclasses.replace(n, quantity=np.maximum(1, np.rint(n.quantity * scale)).astype(np.int64))
    _solve_line(f"site's instance, needs scaled to synth's supply/demand (x{1 / ratio['yuan']:.2f} yuan)",
                dataclasses.replace(inst, needs=small), passes)
    # Variant 3: no fairness-slice bonus (which rewards spreading an offer over many needs'
    # first units, what village limits forbid): its own bound, its own gap.
    _solve_line("site's instance without the slice bonus", inst, passes,
                Weights(slice_bonus=0, slice_step=0))
    _solve_line("synth of its size without the slice bonus", syn, passes,
                Weights(slice_bonus=0, slice_step=0))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--time-limit", type=float, default=20.0, help="a second national solve with this limit")
    ap.add_argument("--consolidate", type=int, default=Options.consolidate, help="consolidating passes (0: none)")
    ap.add_argument("--counties", type=int, default=100, help="county-size rounds")
    ap.add_argument("--county-villages", type=int, default=60)
    ap.add_argument("--exact-seconds", type=float, default=30.0, help="the province's exact stage")
    ap.add_argument("--more", action="store_true", help="the older sections as well")
    ap.add_argument("--site", help="an instance exported by benchmarks/rounds.py --export (.npz)")
    a = ap.parse_args()
    if a.site:
        site(a.site, a.seed, a.consolidate)
        raise SystemExit(0)
    # The small rounds first: after the national run this process holds about 1 GB, which
    # forked workers inherit (the province took 2.1 s there, 1.6-1.7 s first, stop 16).
    summary = [counties(a.seed, a.counties, a.county_villages, 2.0), *province_exact(a.seed, a.scale, a.exact_seconds),
               national_summary(a.seed, a.scale)]
    print("\n== summary (load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + ")")
    print("\n".join(summary))
    if a.more:
        province(a.seed, a.scale, a.consolidate)
        national(a.seed, a.scale, None, "budget", baseline=True, passes=a.consolidate)
        national(a.seed, a.scale, a.time_limit, "budget", baseline=False, passes=a.consolidate)
        national(a.seed, a.scale, None, "independent", baseline=True, passes=a.consolidate)
        candidates_alone(a.seed, a.scale)
