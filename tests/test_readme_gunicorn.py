"""The README's production command runs two gunicorn instances on one host without a shared
control socket (gunicorn 27 puts one at ~/.gunicorn/gunicorn.ctl for every instance)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def _readme_gunicorn_options() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"`([^`\n]* gunicorn -w [^`\n]*create_app[^`\n]*)`", readme).group(1)
    words = shlex.split(command[command.index("gunicorn "):])
    # Keep the options (less the address, which each instance gets its own of).
    options, skip = [], False
    for word in words[1:-1]:
        if skip:
            skip = False
        elif word in ("-b", "--bind", "-w", "--workers"):
            skip = True
        else:
            options.append(word)
    return options


def test_gunicorn_has_an_upper_bound_in_pyproject():
    assert re.search(r'"gunicorn>=[\d.]+,<\d+"', (ROOT / "pyproject.toml").read_text())


def test_two_instances_of_the_readme_command_share_no_control_socket(tmp_path):
    options = _readme_gunicorn_options()
    assert "--no-control-socket" in options or "--control-socket" in options
    env = {"HOME": str(tmp_path), "PATH": str(BIN), "PAIRING_INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path}/site.db"}
    processes = []
    try:
        for _ in range(2):
            processes.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "-b", "127.0.0.1:0", "-w", "1", *options,
                 "pairing:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True))
        time.sleep(6)
        assert all(p.poll() is None for p in processes)
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        for p in processes:
            p.terminate()
            p.wait(timeout=15)
