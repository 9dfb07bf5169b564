"""gunicorn settings read from the working directory (`gunicorn 'pairing:create_app()'`
run from the project's root, as compose.yaml and tests/servers.py do).

Threaded workers are refused: under `-k gthread --threads N` (N > 1) workers die with
SIGSEGV while loading ORM rows of /offers and /enterprises under concurrent requests.
It was reproduced in-process with plain threads too, with SQLAlchemy's Cython extensions
off, psycopg's pure-Python implementation, MarkupSafe's and PyYAML's C code off,
OR-Tools and pylmcf stubbed out, on CPython 3.11.2 and 3.11.7; it did not happen with the
cyclic garbage collector off. The cause is not found yet, so processes, not threads, give
the concurrency: `-w` sync workers (the default), as many as memory allows.
"""

from __future__ import annotations

import os

REFUSAL = ("pairing: threaded gunicorn workers (-k gthread / --threads > 1) crash with "
           "SIGSEGV on this application; run sync workers instead (-k sync -w N). "
           "See gunicorn.conf.py.")


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    cfg = server.cfg
    threaded = cfg.threads > 1 or cfg.worker_class_str in ("gthread", "gunicorn.workers.gthread.ThreadWorker")
    if threaded and os.environ.get("PAIRING_ALLOW_THREADS") != "1":
        raise SystemExit(REFUSAL)
