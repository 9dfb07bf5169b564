"""The application plus a bare "hello" route, served by one gunicorn in benchmarks/pages.py
--load: the baseline and the pages share the same server, workers and machine load."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pairing import create_app  # noqa: E402

app = create_app({"RATELIMIT_ENABLED": False})


@app.get("/__hello")
def hello() -> str:
    return "hello"
