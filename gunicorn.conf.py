"""gunicorn settings read from the working directory (`gunicorn 'pairing:create_app()'`
run from the project's root, as compose.yaml and tests/servers.py do).

Threaded workers (`-k gthread --threads N`, N > 1) are refused on CPython 3.11 only.
There, workers of this application die with SIGSEGV under concurrent requests: the C
stack ends in the interpreter's own object memory (a freed InstanceState attribute array
reused, `_PyMem_DebugRawFree: bad ID` under PYTHONMALLOC=debug), only with the cyclic
garbage collector on, and with SQLAlchemy's and psycopg's C code, wrapt's extension and
pylmcf/nanobind each ruled out. The same packages on CPython 3.12 (same SQLAlchemy,
psycopg, gunicorn, and numpy 2.4.6 as on 3.11) served the same load on national data
without a crash. So on 3.11 processes, not threads, give the concurrency: `-w` sync
workers (the default); on 3.12 and later threads are allowed.
"""

from __future__ import annotations

import gc
import os
import sys

SAFE_THREADS = (3, 12)
REFUSAL = ("pairing: threaded gunicorn workers (-k gthread / --threads > 1) crash with "
           "SIGSEGV on CPython 3.11; run sync workers instead (-k sync -w N) or Python 3.12 "
           "or later. See gunicorn.conf.py.")


def threads_refused(threads: int, worker_class: str,
                    version: tuple[int, int] = sys.version_info[:2]) -> bool:
    threaded = threads > 1 or worker_class in ("gthread", "gunicorn.workers.gthread.ThreadWorker")
    return threaded and version < SAFE_THREADS and os.environ.get("PAIRING_ALLOW_THREADS") != "1"


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    if threads_refused(server.cfg.threads, server.cfg.worker_class_str):
        raise SystemExit(REFUSAL)


def post_worker_init(worker) -> None:  # noqa: ANN001, ARG001 - gunicorn's worker
    """The application's own objects (models, templates, catalogues, place names: some
    200,000) live as long as the worker: frozen out of the cyclic collector, so its full
    collections no longer walk them. Each took 105 ms, a pause that fell on whichever
    request was running, about one in sixty verifier queue pages on national data."""
    gc.collect()
    gc.freeze()
