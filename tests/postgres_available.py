"""Exit 0 when the test PostgreSQL answers (used by `make test`)."""

from __future__ import annotations

import os
import sys

import psycopg

URL = os.environ.get("PAIRING_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")

try:
    psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except psycopg.Error as exc:
    print(f"PostgreSQL at {URL}: {exc}", file=sys.stderr)
    sys.exit(1)
