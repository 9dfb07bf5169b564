"""Fixtures of the API tests (shared with tests/stats through tests/public_rows.py)."""

from public_rows import gifts, paired, seeded, token_for  # noqa: F401
