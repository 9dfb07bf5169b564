"""Fixtures of the dashboard tests (shared with tests/api through tests/public_rows.py)."""

from public_rows import gifts, paired, seeded, token_for  # noqa: F401
