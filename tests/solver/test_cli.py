"""Command line round trip on a small synthetic instance, and the synthetic geography."""

from __future__ import annotations

import numpy as np
import pytest

from solver import check, greedy, solve
from solver.__main__ import main
from solver.io import load_instance, load_solution
from solver.synth import EAST, WEST, synth


def test_synth_solve_check(tmp_path, capsys):
    inst_f, sol_f = tmp_path / "i.npz", tmp_path / "s.npz"
    assert main(["synth", "--offers", "400", "--needs", "600", "--seed", "3", "-o", str(inst_f)]) == 0
    assert main(["solve", str(inst_f), "-o", str(sol_f)]) == 0
    out = capsys.readouterr().out
    assert "gap:" in out and "flow_bound:" in out and "flow_gap:" in out
    assert main(["check", str(inst_f), str(sol_f)]) == 0
    inst, sol = load_instance(inst_f), load_solution(sol_f)
    assert check(inst, sol) == [] and sol.stats.gap <= 0.05
    assert main(["solve", str(inst_f), "--exact", "off", "-o", str(sol_f)]) == 0
    heuristic = load_solution(sol_f)
    assert check(inst, heuristic) == [] and not heuristic.stats.exact and sol.stats.exact
    assert heuristic.stats.objective <= sol.stats.objective and heuristic.stats.bound >= sol.stats.bound
    assert main(["solve", str(inst_f), "--exact", "off", "--consolidate", "0", "-o", str(sol_f)]) == 0
    plain = load_solution(sol_f)
    assert check(inst, plain) == [] and plain.stats.bound == heuristic.stats.bound


def test_synthetic_geography_and_greedy_below_solver():
    inst = synth(800, 900, seed=5)
    o, n = inst.offers, inst.needs
    assert np.isin(o.province, list(EAST)).mean() > 0.5
    assert np.isin(n.province, list(WEST)).mean() > 0.5
    assert 0.8 < (o.max_villages <= 10).mean() < 1
    s, g = solve(inst), greedy(inst)
    assert check(inst, g) == []
    assert g.stats.objective < s.stats.objective


def test_files_are_written_under_exactly_the_names_given(tmp_path, capsys):
    # `synth -o inst` once wrote inst.npz, and `solve inst` then failed.
    inst_f, sol_f = tmp_path / "inst", tmp_path / "sol"
    assert main(["synth", "--offers", "60", "--needs", "90", "--seed", "1", "-o", str(inst_f)]) == 0
    assert main(["solve", str(inst_f), "-o", str(sol_f)]) == 0
    assert main(["check", str(inst_f), str(sol_f)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inst", "sol"]
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["synth", "--help"])
    assert "exactly this name" in capsys.readouterr().out
